import { nameTable } from '../tables';

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
 * Programs that open the files their operands name: readers, document and media converters, and
 * file tools. A client path among the operands is a path flow (CWE-22), as if the server opened
 * the file itself: `execFile('markitdown', [path])` returns the text of any file the server can
 * read (zcaceres/markdownify-mcp), `execFile('rm', ['-f', path])` deletes it. One table for both
 * engines.
 */
export const FILE_PROGRAMS: ReadonlySet<string> = new Set([
  // readers
  'cat', 'head', 'tail', 'less', 'more', 'wc', 'file', 'strings', 'xxd', 'hexdump', 'od', 'base64', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'stat',
  // document converters
  'markitdown', 'pandoc', 'pdftotext', 'pdftoppm', 'pdftohtml', 'pdfinfo', 'qpdf', 'gs', 'soffice', 'libreoffice', 'unoconv', 'ebook-convert', 'textutil',
  // images, audio, video
  'tesseract', 'exiftool', 'ffmpeg', 'ffprobe', 'convert', 'magick', 'identify', 'sox',
  // file tools
  'cp', 'mv', 'rm', 'ln', 'chmod', 'chown', 'touch', 'mkdir', 'rmdir', 'tee', 'truncate', 'shred',
]);

/**
 * File programs distinctive enough to be recognised by the name of the variable or function that
 * holds their executable's path (`markitdownPath`, `FFMPEG_BIN`, `resolvePandocPath()`,
 * ffmpeg-static's `ffmpegPath`). Not `file`, `cat` or `convert`: `filePath` is no program.
 */
const NAMED_FILE_PROGRAMS: readonly string[] = ['markitdown', 'pandoc', 'pdftotext', 'pdftoppm', 'pdftohtml', 'pdfinfo', 'qpdf', 'soffice', 'libreoffice', 'unoconv', 'tesseract', 'exiftool', 'ffmpeg', 'ffprobe', 'magick'];

/**
 * The file program a name stands for (see NAMED_FILE_PROGRAMS): its words, after a leading verb
 * (`resolve`, `get`, `find`, `which`, `locate`), are the program's name and at most one of path,
 * bin, binary, cmd, command, exe, executable. Undefined for any other name.
 */
export function fileProgramNamed(name: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.length > 0 && /^(?:resolve|get|find|which|locate)$/.test(words[0]!)) words.shift();
  if (words.length === 0 || words.length > 2) return undefined;
  if (words.length === 2 && !/^(?:path|bin|binary|cmd|command|exe|executable)$/.test(words[1]!)) return undefined;
  return NAMED_FILE_PROGRAMS.includes(words[0]!) ? words[0] : undefined;
}

/** Options of file programs whose value is no file (`pandoc -f markdown`, `head -n 20`). */
const NON_FILE_VALUE_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = nameTable({
  head: new Set(['-n', '-c', '--lines', '--bytes']),
  tail: new Set(['-n', '-c', '--lines', '--bytes', '-s', '--sleep-interval', '--pid']),
  pandoc: new Set(['-f', '-r', '--from', '--read', '-t', '-w', '--to', '--write', '-M', '--metadata', '-V', '--variable', '--pdf-engine', '--toc-depth', '--wrap', '--columns']),
  pdftoppm: new Set(['-f', '-l', '-r', '-x', '-y', '-W', '-H', '-scale-to', '-scale-to-x', '-scale-to-y']),
  pdftotext: new Set(['-f', '-l', '-r', '-x', '-y', '-W', '-H', '-enc', '-eol']),
  tesseract: new Set(['-l', '--psm', '--oem', '--dpi', '-c']),
  ffmpeg: new Set(['-f', '-c', '-codec', '-c:v', '-c:a', '-vcodec', '-acodec', '-b', '-b:v', '-b:a', '-r', '-s', '-ss', '-t', '-to', '-vf', '-af', '-filter:v', '-filter:a', '-preset', '-crf', '-ar', '-ac', '-pix_fmt', '-loglevel', '-frames:v', '-q:v', '-map']),
  ffprobe: new Set(['-v', '-loglevel', '-of', '-print_format', '-show_entries', '-select_streams']),
  convert: new Set(['-resize', '-quality', '-density', '-format', '-rotate', '-crop', '-colorspace', '-depth', '-background']),
  magick: new Set(['-resize', '-quality', '-density', '-format', '-rotate', '-crop', '-colorspace', '-depth', '-background']),
  soffice: new Set(['--convert-to', '--infilter']),
  libreoffice: new Set(['--convert-to', '--infilter']),
  unoconv: new Set(['-f', '--format', '-e', '--export']),
  gs: new Set(['-r', '-dFirstPage', '-dLastPage']),
  sox: new Set(['-r', '-b', '-c', '-e', '-t']),
});

/**
 * Which words of a file program's argument vector (after the program) it opens as files: every
 * word that is no constant, except the value of an option that takes no file. The mode of
 * `chmod`/`chown` (their first operand) is no file either. `words[i]` is the constant text of the
 * i-th word, undefined when it is not constant.
 */
export function fileOperands(program: string, words: readonly (string | undefined)[]): number[] {
  const nonFile = NON_FILE_VALUE_OPTIONS[program];
  const out: number[] = [];
  let operand = 0;
  let afterEnd = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w !== undefined) {
      if (w === '--') afterEnd = true;
      else if (afterEnd || !w.startsWith('-')) operand++;
      continue;
    }
    const prev = i > 0 ? words[i - 1] : undefined;
    if (!afterEnd && prev !== undefined && prev.startsWith('-') && nonFile?.has(prev)) continue;
    // `chmod 644 file`, `chown user file`: the first operand is the mode or the owner.
    const first = operand === 0;
    operand++;
    if (first && (program === 'chmod' || program === 'chown')) continue;
    out.push(i);
  }
  return out;
}

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
