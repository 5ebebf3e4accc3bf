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
  'git', 'hg', 'svn', 'kubectl', 'helm', 'docker', 'podman',
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
]);
