/**
 * Command execution sinks (kinds `command` and `argument`): which calls run a shell or a
 * program, and where the command sits. Data only; the analyzer interprets the modes.
 */

/**
 * How a call treats its command argument:
 * - `shell`: always a shell command string (`os.system`).
 * - `shell-kw`: a shell string when `shell=` is truthy, else an argv list or a program path
 *   (`subprocess.run`).
 * - `argv-spread`: each positional argument is one argv element, program first
 *   (`asyncio.create_subprocess_exec`).
 * - `auto`: a string is run by a shell, a list is an argv (`anyio.run_process`).
 */
export type CommandMode = 'shell' | 'shell-kw' | 'argv-spread' | 'auto';

export interface CommandSink {
  readonly functions: readonly string[];
  readonly mode: CommandMode;
  /** Position and keyword name of the command argument (ignored for `argv-spread`). */
  readonly arg: number;
  readonly keyword?: string;
}

export const COMMAND_SINKS: readonly CommandSink[] = [
  { functions: ['os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'commands.getoutput', 'commands.getstatusoutput'], mode: 'shell', arg: 0, keyword: 'cmd' },
  { functions: ['subprocess.getoutput', 'subprocess.getstatusoutput'], mode: 'shell', arg: 0, keyword: 'cmd' },
  { functions: ['asyncio.create_subprocess_shell', 'asyncio.subprocess.create_subprocess_shell'], mode: 'shell', arg: 0, keyword: 'cmd' },
  { functions: ['pexpect.run', 'pexpect.spawn', 'pexpect.popen_spawn.PopenSpawn'], mode: 'shell', arg: 0, keyword: 'command' },
  {
    functions: ['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen'],
    mode: 'shell-kw',
    arg: 0,
    keyword: 'args',
  },
  { functions: ['asyncio.create_subprocess_exec', 'asyncio.subprocess.create_subprocess_exec', 'os.execlp', 'os.execl', 'os.spawnlp'], mode: 'argv-spread', arg: 0 },
  { functions: ['anyio.run_process', 'anyio.open_process', 'trio.run_process'], mode: 'auto', arg: 0, keyword: 'command' },
];

/**
 * MCP clients that start a server as a child process: `StdioServerParameters(command=..., args=[...])`
 * handed to `stdio_client` spawns `command` with `args` (no shell), as the TypeScript SDK's
 * `StdioClientTransport` does (MCP Inspector's proxy, CVE-2025-49596).
 */
export const STDIO_SERVER_PARAMETERS: ReadonlySet<string> = new Set(['mcp.StdioServerParameters', 'mcp.client.stdio.StdioServerParameters']);

/** Methods that run a remote or local shell command string whatever the receiver (paramiko, fabric). */
export const COMMAND_METHODS: ReadonlySet<string> = new Set(['exec_command']);

/** Shells whose `-c` argument is a command string. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'cmd.exe', 'powershell', 'pwsh']);

/** Elements after which a program stops parsing options. */
export const END_OF_OPTIONS: ReadonlySet<string> = new Set(['--', '--end-of-options']);

/**
 * Options that take the next argv element as their value, so a user value right after them
 * is not parsed as an option (single-letter short options are assumed to, too).
 */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--namespace', '--context', '--message', '--branch', '--author', '--grep', '--format', '--depth', '--since',
  '--until', '--max-count', '--file', '--output', '--region', '--profile', '--selector', '--container', '--name',
  '--type', '--label', '--filter', '--query', '--project', '--pattern', '--regexp',
  // git branch/tag/for-each-ref: the next element is the commit even when it starts with '-'.
  '--contains', '--no-contains', '--merged', '--no-merged', '--points-at',
  // helm's and kubectl's global options (their flag parser takes the next element as the value
  // even when it starts with '-'; kubectl-mcp-server's `["--kube-context", context]`), and
  // helm's value files and overrides. Not `--user`, `--server` or `--version`, which other
  // programs (pip, most CLIs) read as switches.
  '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-token', '--kube-as-user', '--kube-as-group',
  '--kube-ca-file', '--cluster', '--values', '--set', '--set-string', '--set-file', '--set-json',
  // velero's name for kubectl's --context.
  '--kubecontext',
]);

/**
 * GitPython's command wrapper, `repo.git.<subcommand>(*args, **kwargs)`, runs
 * `git <subcommand> <kwargs as attached --key=value options> *args` without a shell: each
 * positional argument (lists flattened, None dropped) is one argv element that git parses as an
 * option if it starts with '-' (mcp-server-git's CVE-2025-68144: `repo.git.diff(target)`).
 * `repo.git.execute(argv)` runs a whole argument list. GitPython's own methods that take refs or
 * paths (`repo.commit(rev)`, `repo.index.diff(rev)`) resolve them in Python first; `index.add`
 * never calls git.
 */
export const GITPYTHON_MODULE = 'git';
/** The Repo attribute that is the command wrapper (`repo.git`). */
export const GITPYTHON_WRAPPER_ATTRIBUTE = 'git';
/** Methods of the wrapper that are no git subcommand. */
export const GITPYTHON_NON_COMMANDS: ReadonlySet<string> = new Set([
  'custom_environment', 'update_environment', 'set_persistent_git_options', 'clear_cache', 'refresh', 'polish_url',
  'check_unsafe_protocols', 'check_unsafe_options', 'transform_kwarg', 'transform_kwargs', 'environment',
  'get_object_header', 'get_object_data', 'stream_object_data',
]);
