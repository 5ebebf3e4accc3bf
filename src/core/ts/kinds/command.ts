import * as ts from 'typescript';
import type { ArgView, CallView, SinkEntry, SinkHit } from './types';
import { entryMatches, findEntry, plainPath, taintedArgs } from './types';
import { nameTable } from '../../tables';
import { FILE_PROGRAMS, fileOperands, fileProgramNamed, HYPHEN_VALUES_ARE_OPTIONS, OPTION_PARSING_PROGRAMS, SHELL_COMMAND_FLAGS, remoteCommand } from '../../mcp/programs';

/**
 * Command injection (CWE-78) and argument injection (CWE-88): which calls run a shell
 * command string, which run a program with an argument vector, and which programs parse
 * attacker-supplied arguments as options.
 */

/** Calls whose argument is a complete command line run by a shell. */
export const SHELL_COMMAND_SINKS: readonly SinkEntry[] = [
  { modules: ['child_process'], members: ['exec', 'execSync'], args: [0], data: { module: 'child_process', shell: true } },
  { modules: ['execa'], members: ['execaCommand', 'execaCommandSync'], args: [0], data: { module: 'execa', shell: false } },
  { modules: ['shelljs'], members: ['exec'], args: [0], data: { module: 'shelljs', shell: true } },
  // `open` starts the platform opener through a shell on Windows (mcp-remote, CVE-2025-6514).
  { modules: ['open', 'opn'], members: [''], args: [0], data: { module: 'open', shell: true } },
  { modules: ['node-pty'], members: ['spawn'], args: [0], data: { module: 'node-pty', shell: true } },
];

/** Calls that run a program with an argument vector: `(file, args?, options?)`. */
export const PROGRAM_SINKS: readonly SinkEntry[] = [
  { modules: ['child_process'], members: ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork'], args: [0], data: { module: 'child_process' } },
  { modules: ['cross-spawn'], members: ['', 'sync', 'spawn'], args: [0], data: { module: 'cross-spawn' } },
  { modules: ['execa'], members: ['execa', 'execaSync', 'execaNode', ''], args: [0], data: { module: 'execa' } },
  { modules: ['tinyexec'], members: ['x', 'exec'], args: [0], data: { module: 'tinyexec' } },
];

/**
 * MCP clients that start a server as a child process: `new StdioClientTransport({ command, args,
 * env })` spawns `command` with `args` (no shell). A proxy or gateway taking the server to start
 * from a request runs what the request names (MCP Inspector's proxy, CVE-2025-49596).
 */
export const STDIO_TRANSPORT_SINKS: readonly SinkEntry[] = [
  { modules: ['@modelcontextprotocol/sdk'], members: ['StdioClientTransport'], args: [0], data: { module: '@modelcontextprotocol/sdk', transport: 'StdioClientTransport' } },
];

/** simple-git methods whose string or array arguments reach git's command line. */
export const SIMPLE_GIT_METHODS: ReadonlySet<string> = new Set([
  'raw', 'diff', 'diffSummary', 'log', 'show', 'clone', 'mirror', 'fetch', 'pull', 'push', 'checkout',
  'checkoutBranch', 'checkoutLocalBranch', 'branch', 'revparse', 'reset', 'merge', 'rebase', 'tag', 'grep',
  'listRemote', 'addRemote', 'submoduleAdd', 'catFile', 'blame',
]);

/** Shells whose `-c` (or `/c`, `-Command`) argument is a command line. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh']);


/** Options that take the next argument as their value, so that argument cannot start a new option. */
const VALUE_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = nameTable({
  git: new Set(['-C', '-c', '--git-dir', '--work-tree', '-m', '--message', '-b', '-B', '--author', '-F', '--file', '--branch']),
  kubectl: new Set(['-n', '--namespace', '-l', '--selector', '-c', '--container', '--context', '--cluster', '-f', '--filename', '--kubeconfig', '--server', '--user', '--token', '-o', '--output']),
  helm: new Set([
    '-n', '--namespace', '--version', '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-token', '--kube-as-user',
    '--kube-as-group', '--kube-ca-file', '--repo', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json',
    '--timeout', '--revision', '-o', '--output', '--filter',
  ]),
  velero: new Set(['-n', '--namespace', '--kubecontext', '--kubeconfig', '-l', '--selector', '-o', '--output']),
  virtctl: new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--server', '--user', '--token']),
  docker: new Set(['--name', '-w', '--workdir', '--network']),
  'yt-dlp': new Set(['--sub-lang', '--sub-langs', '--sub-format', '-o', '--output', '-f', '--format', '-P', '--paths', '--proxy']),
  adb: new Set(['-s', '-t', '-H', '-P', '-L']),
  xcrun: new Set(['--sdk', '--toolchain']),
  xcodebuild: new Set(['-project', '-workspace', '-scheme', '-target', '-configuration', '-destination', '-sdk', '-derivedDataPath', '-resultBundlePath']),
});

/** Arguments after which a program stops parsing options. */
const END_OF_OPTIONS: ReadonlySet<string> = new Set(['--', '--end-of-options']);

function programName(arg: ArgView | undefined): string | undefined {
  if (arg?.str === undefined) return undefined;
  const base = arg.str.split(/[\\/]/).pop() ?? arg.str;
  return base.replace(/\.exe$/i, '');
}

/** The options object of a `(file, args?, options?)` call. */
function optionsOf(call: CallView): ArgView | undefined {
  const second = call.args[1];
  if (second?.props) return second;
  return call.args[2]?.props ? call.args[2] : undefined;
}

function shellEnabled(options: ArgView | undefined): boolean {
  const shell = options?.props?.get('shell');
  return shell !== undefined && shell.truthy !== false;
}

/**
 * Sink hits of one call for the kinds `command` and `argument`. `want(kind)` says which are
 * requested; an argument already reported as a command is not also an argument injection.
 */
export function commandHits(call: CallView, want: (kind: string) => boolean): SinkHit[] {
  const out: SinkHit[] = [];
  const ref = call.ref;
  const callee = ref ? (plainPath(ref).pop() ?? call.name) : call.name;
  const base = { callee, promisified: call.promisified };
  const shellEntry = findEntry(SHELL_COMMAND_SINKS, ref);
  if (shellEntry) {
    if (want('command')) for (const a of taintedArgs(shellEntry, call)) out.push({ kind: 'command', arg: a, data: { ...base, ...shellEntry.data } });
    return out;
  }
  const programEntry = findEntry(PROGRAM_SINKS, ref);
  if (programEntry) return programHits(call, { ...base, ...programEntry.data }, want);
  const transportEntry = call.isNew ? findEntry(STDIO_TRANSPORT_SINKS, ref) : undefined;
  if (transportEntry) {
    const params = call.args[0];
    const data = { ...base, ...transportEntry.data };
    const command = params?.props?.get('command');
    // The program and its vector as `spawn(command, args)` gets them.
    if (command) return programHits({ ...call, args: [command, ...(params!.props!.has('args') ? [params!.props!.get('args')!] : [])] }, data, want);
    // The whole parameter object comes from the client (`new StdioClientTransport(req.body)`).
    if (params?.tainted && !params.props && want('command')) out.push({ kind: 'command', arg: params, data: { ...data, shell: false } });
    return out;
  }
  if (ref?.module === 'simple-git' && SIMPLE_GIT_METHODS.has(callee) && want('argument')) {
    for (const arg of call.args) {
      for (const el of arg.elems ?? [arg]) {
        if (el.str !== undefined && END_OF_OPTIONS.has(el.str)) break;
        if (el.tainted && !el.fixedPrefix) out.push({ kind: 'argument', arg: el, data: { program: 'git', argIndex: 0, module: 'simple-git', callee } });
      }
    }
  }
  return out;
}

function programHits(call: CallView, data: Record<string, unknown>, want: (kind: string) => boolean): SinkHit[] {
  const out: SinkHit[] = [];
  const file = call.args[0];
  if (!file) return out;
  const argv = call.args[1]?.elems || call.args[1]?.props === undefined ? call.args[1] : undefined;
  const options = optionsOf(call);
  const shell = shellEnabled(options);
  if (shell) {
    // With `shell: true` the file and every argument are joined into one shell command line.
    if (want('command')) {
      if (file.tainted) out.push({ kind: 'command', arg: file, data: { ...data, shell: true } });
      for (const el of argv?.elems ?? (argv?.tainted ? [argv] : [])) if (el.tainted) out.push({ kind: 'command', arg: el, data: { ...data, shell: true } });
    }
    return out;
  }
  // A file program whose path the code looks up (`execFile(markitdownPath, [p])`, the path
  // made from the configuration or a helper's parameter): named by the variable or function
  // that holds it. What the program is otherwise (client data?) is judged below.
  const named = file.str === undefined ? fileProgramNamed(nameOf(file.node)) : undefined;
  if (named !== undefined && want('path') && argv?.elems) {
    for (const el of fileOperandHits(named, argv.elems)) out.push({ kind: 'path', arg: el, data: { ...data, ...programSinkData(named) } });
  }
  if (file.tainted) {
    // `const [cmd, ...args] = command.split(' '); spawn(cmd, args)` in a helper: each call's text
    // decides the program (`splitParam` hits, checked where the helper is called).
    const rest = argv?.elems?.[0]?.split ?? argv?.split;
    if (file.split && !file.split.rest && rest?.rest && rest.param === file.split.param && rest.sep === file.split.sep) {
      for (const kind of ['command', 'argument', 'path']) if (want(kind)) out.push({ kind, arg: file, data: { ...data, shell: false, shape: 'split-param', splitParam: file.split.param, sep: file.split.sep } });
      return out;
    }
    if (want('command')) out.push({ kind: 'command', arg: file, data: { ...data, shell: false } });
    // A helper that runs its parameter as the program with its parameter as the vector
    // (`run(cmd, args)`): each call decides, with its own program and vector (`programVectorHits`).
    if (file.param !== undefined && argv?.param !== undefined) {
      for (const kind of ['command', 'argument', 'path']) if (want(kind)) out.push({ kind, arg: argv, data: { ...data, shape: 'program-param', programParam: file.param } });
    }
    return out;
  }
  const program = programName(file);
  if (program === undefined && argv?.elems && file.str === undefined) {
    // A program the analysis cannot name run as `(prog, ['-c', script])` (a shell chosen from a
    // table or the configuration): `-c` first says shell.
    const [flag, script] = argv.elems;
    if (flag?.str !== undefined && SHELL_COMMAND_FLAGS.has(flag.str) && script?.tainted && want('command')) out.push({ kind: 'command', arg: script, data: { ...data, shell: true } });
    return out;
  }
  if (program === undefined || !argv) return out;
  if (SHELLS.has(program)) {
    const elems = argv.elems ?? [];
    const flag = elems.findIndex((e) => e.str !== undefined && SHELL_COMMAND_FLAGS.has(e.str));
    const script = flag >= 0 ? elems[flag + 1] : undefined;
    if (script?.tainted && want('command')) out.push({ kind: 'command', arg: script, data: { ...data, shell: true, program } });
    if (flag < 0 && argv.tainted && !argv.elems && want('command')) out.push({ kind: 'command', arg: argv, data: { ...data, shell: true, program } });
    return out;
  }
  // `adb shell <words>`, `ssh <host> <words>`: the words are a command line for a shell on the
  // device or the remote host; options are parsed before them only.
  const remote = argv.elems && remoteCommand(program, argv.elems.map((e) => e.str));
  if (remote && argv.elems) {
    if (want('command')) {
      for (const el of argv.elems.slice(remote.start)) if (el.tainted) out.push({ kind: 'command', arg: el, data: { ...data, shell: true, program, remote: remote.where, runner: remote.runner } });
    }
    if (want('argument')) {
      for (const el of optionInjections(program, argv.elems.slice(0, remote.start))) out.push({ kind: 'argument', arg: el, data: { ...data, program, argIndex: argv.elems.indexOf(el) } });
    }
    return out;
  }
  if (want('path') && argv.elems) for (const el of fileOperandHits(program, argv.elems)) out.push({ kind: 'path', arg: el, data: { ...data, ...programSinkData(program) } });
  if (!want('argument') || !OPTION_PARSING_PROGRAMS.has(program)) return out;
  if (!argv.elems) {
    // An argument vector of unknown shape built from input (`args.split(' ')`).
    // `shape: 'unknown'` lets a caller re-check the vector it passes in (helper summaries).
    if (argv.tainted && !argv.fixedPrefix) out.push({ kind: 'argument', arg: argv, data: { ...data, program, argIndex: 1, shape: 'unknown' } });
    return out;
  }
  for (const el of optionInjections(program, argv.elems)) {
    out.push({ kind: 'argument', arg: el, data: { ...data, program, argIndex: argv.elems.indexOf(el) } });
  }
  return out;
}

/**
 * For a helper that runs its parameters as program and vector (`run(cmd, args)`): the elements of
 * the vector one call passes that make a finding of `kind` with the program that call names: the
 * script after `-c` of a shell, or elements a program can parse as options.
 */
export function programVectorHits(file: string, elems: readonly ArgView[], kind: string): ArgView[] {
  const program = programName({ node: undefined, tainted: false, fixedPrefix: true, str: file });
  if (program === undefined) return [];
  const remote = remoteCommand(program, elems.map((e) => e.str));
  if (kind === 'path') return fileOperandHits(program, elems);
  if (kind === 'command') {
    if (remote) return elems.slice(remote.start).filter((e) => e.tainted);
    if (!SHELLS.has(program)) return [];
    const flag = elems.findIndex((e) => e.str !== undefined && SHELL_COMMAND_FLAGS.has(e.str));
    const script = flag >= 0 ? elems[flag + 1] : undefined;
    return script?.tainted ? [script] : [];
  }
  return OPTION_PARSING_PROGRAMS.has(program) ? optionInjections(program, remote ? elems.slice(0, remote.start) : elems) : [];
}

/** The name an expression reads: `x`, `o.x`, `f()` or `o.f()` give `x` or `f`; '' otherwise. */
function nameOf(node: ts.Expression | undefined): string {
  let e = node;
  while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e))) e = e.expression;
  if (e && ts.isCallExpression(e)) e = e.expression;
  if (e && ts.isIdentifier(e)) return e.text;
  if (e && ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** The tainted elements of a file program's vector that it opens as files (`fileOperands`). */
function fileOperandHits(program: string, elems: readonly ArgView[]): ArgView[] {
  if (!FILE_PROGRAMS.has(program)) return [];
  return fileOperands(program, elems.map((e) => (e.tainted ? undefined : e.str))).map((i) => elems[i]!).filter((e) => e.tainted);
}

/** What a path finding at a file program says: the program by name, and why it is a sink. */
export function programSinkData(program: string): Record<string, unknown> {
  return { program, reason: `'${program}' opens the files its arguments name.` };
}

/**
 * The tainted elements of an argument vector that the program can parse as options: before
 * any `--`/`--end-of-options`, not glued to a constant prefix, not the value of an option that
 * takes one (`-C <dir>`).
 */
export function optionInjections(program: string, elems: readonly ArgView[]): ArgView[] {
  const valueOptions = HYPHEN_VALUES_ARE_OPTIONS.has(program) ? undefined : VALUE_OPTIONS[program];
  const out: ArgView[] = [];
  let prev: ArgView | undefined;
  for (const el of elems) {
    if (el.str !== undefined && END_OF_OPTIONS.has(el.str)) break;
    const isValue = prev?.str !== undefined && (valueOptions?.has(prev.str) ?? false);
    if (el.tainted && !el.fixedPrefix && !isValue) out.push(el);
    prev = el;
  }
  return out;
}

/** Whether a ref is a function of a command module at all (cheap pre-filter). */
export function isCommandModule(module: string): boolean {
  return [...SHELL_COMMAND_SINKS, ...PROGRAM_SINKS].some((e) => e.modules.includes(module)) || module === 'simple-git';
}

export { entryMatches };
