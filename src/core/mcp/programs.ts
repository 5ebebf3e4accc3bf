/**
 * Programs whose option parser turns an argument starting with `-` into behaviour (`git
 * --upload-pack=...`, `kubectl --kubeconfig=...`, `ssh -oProxyCommand=...`, `find -exec`, `tar
 * --to-command`, interpreters' `-e`/`-c`, `xcrun simctl` and `xcodebuild` options): a client value
 * in such a program's argument vector is argument injection (CWE-88) unless `--` comes first or
 * the value is checked. One table for both engines, so a server gets the same answer in
 * TypeScript and in Python.
 */
export const OPTION_PARSING_PROGRAMS: ReadonlySet<string> = new Set([
  // version control, containers and clusters
  'git', 'hg', 'svn', 'kubectl', 'helm', 'docker', 'podman', 'nerdctl', 'oc',
  // Kubernetes tools on the same flag parser as kubectl (cobra: `--kubeconfig`, `--server`,
  // `--context` anywhere on the line; kubectl-mcp-server runs velero, virtctl, istioctl,
  // cilium, flux and vcluster)
  'velero', 'virtctl', 'istioctl', 'cilium', 'flux', 'vcluster', 'minikube', 'kustomize', 'argocd',
  // remote access and transfer
  'ssh', 'scp', 'sftp', 'rsync', 'curl', 'wget',
  // archives
  'tar', 'zip', 'unzip', '7z',
  // search and text
  'find', 'xargs', 'grep', 'rg', 'sed', 'awk', 'jq', 'less', 'man',
  // package managers and build tools
  'npm', 'npx', 'pnpm', 'yarn', 'pip', 'pip3', 'uv', 'mvn', 'gradle', 'cargo', 'go', 'make',
  // interpreters and runtimes
  'node', 'deno', 'bun', 'python', 'python3', 'perl', 'ruby', 'php', 'java',
  // cloud and infrastructure CLIs
  'aws', 'gcloud', 'az', 'gh', 'terraform',
  // databases
  'psql', 'mysql', 'sqlite3',
  // media and documents
  'ffmpeg', 'convert', 'magick', 'pandoc', 'yt-dlp',
  // crypto
  'openssl', 'gpg',
  // files and processes
  'cp', 'mv', 'rm', 'ln', 'chmod', 'chown', 'env', 'sudo', 'systemctl', 'journalctl',
  // Apple and Android device tools (ios-simulator-mcp, XcodeBuildMCP, adb-mcp)
  'xcrun', 'xcodebuild', 'adb',
  // task managers (mcp-server-taskwarrior)
  'task', 'taskwarrior',
  // AI coding agents' CLIs wrapped as MCP tools (jamubc/gemini-mcp-tool): `--yolo` turns on
  // their auto-approval of shell commands
  'gemini', 'qwen',
]);

/**
 * Programs whose option parser (yargs) never takes an argument starting with '-' as the value
 * of the option before it: `gemini -m --yolo -p ...` sets `--yolo`. For them a client value
 * right after a value-taking option is still an option.
 */
export const HYPHEN_VALUES_ARE_OPTIONS: ReadonlySet<string> = new Set(['gemini', 'qwen']);

/**
 * Flags after which a shell takes its next argument as a script (`sh -c`, `cmd /c`,
 * `powershell -Command`); first after a program the analysis cannot name, they say it is a
 * shell (a shell taken from a table or the configuration). One table for both engines.
 */
export const SHELL_COMMAND_FLAGS: ReadonlySet<string> = new Set(['-c', '/c', '/C', '-Command', '-command', '-lc', '-ic']);

/** adb options before the subcommand that take the next word as their value. */
const ADB_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-s', '-t', '-H', '-P', '-L']);
/** ssh's one-letter options that take a value (ssh(1) SYNOPSIS). */
const SSH_VALUE_LETTERS = 'BbcDEeFIiJLlmOopQRSWw';

/** Where a program runs part of its argument vector as a shell command line elsewhere. */
export interface RemoteCommand {
  /** Index (in the vector after the program) of the first word of that command line. */
  readonly start: number;
  /** Where the command line runs, for messages: `the device`, `the remote host`. */
  readonly where: string;
  /** The program and subcommand, for messages: `adb shell`, `ssh`. */
  readonly runner: string;
}

/**
 * Programs that hand the rest of their argument vector to a shell on another machine: `adb
 * [-s serial] shell <words>` runs the words on the device, `ssh [options] <destination> <words>`
 * on the remote host. Both join the words with spaces into one command line for that shell, so
 * the quoting of the vector does not survive: a client value among the words is command
 * injection (CWE-78) there, with no `shell: true` in sight. `words` are the vector's constant
 * strings after the program (undefined where the value is not known). Undefined when the
 * vector does not reach such a command line, or when an unknown word stands before adb's
 * subcommand (the command line's start is then unknown).
 */
export function remoteCommand(program: string, words: readonly (string | undefined)[]): RemoteCommand | undefined {
  if (program === 'adb') {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === undefined) return undefined;
      if (ADB_VALUE_OPTIONS.has(w)) i++;
      else if (w === 'shell') return i + 1 < words.length ? { start: i + 1, where: 'the device', runner: 'adb shell' } : undefined;
      else if (!w.startsWith('-')) return undefined; // another subcommand
    }
    return undefined;
  }
  if (program === 'ssh') {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      // An unknown word where options end is taken for the destination: a client value there that
      // starts with '-' is an option instead, which the argument check reports.
      if (w === '--') return i + 2 < words.length ? { start: i + 2, where: 'the remote host', runner: 'ssh' } : undefined;
      if (w !== undefined && w.startsWith('-') && w.length > 1) {
        // `-tp 22`: flags, then a letter whose value is the rest of the word or the next word.
        for (let k = 1; k < w.length; k++) {
          if (!SSH_VALUE_LETTERS.includes(w[k]!)) continue;
          if (k === w.length - 1) i++;
          break;
        }
        continue;
      }
      // The destination; what follows is the remote command line.
      return i + 1 < words.length ? { start: i + 1, where: 'the remote host', runner: 'ssh' } : undefined;
    }
  }
  return undefined;
}
