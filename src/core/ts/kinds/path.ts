import type { ArgView, CallView, SinkEntry, SinkHit } from './types';
import { findEntry, taintedArgs } from './types';

/**
 * Path traversal (CWE-22): file system calls and their path argument positions (as in
 * eslint-plugin-security's fs table), for `fs`, `fs/promises`, `fs-extra` and
 * `graceful-fs`, sync, callback and promise forms alike. Pure existence checks (`access`,
 * `exists`, `stat`) are left out: they leak one bit, not contents.
 */
const ONE_PATH = [
  'appendFile', 'chmod', 'chown', 'lchmod', 'lchown', 'lutimes', 'mkdir', 'mkdtemp', 'open', 'opendir', 'readdir',
  'readFile', 'readlink', 'rm', 'rmdir', 'truncate', 'unlink', 'utimes', 'watch', 'writeFile', 'createReadStream',
  'createWriteStream', 'openAsBlob', 'glob',
];
const TWO_PATHS = ['copyFile', 'cp', 'link', 'rename', 'symlink'];
const FS_EXTRA = ['outputFile', 'outputJson', 'outputJSON', 'readJson', 'readJSON', 'writeJson', 'writeJSON', 'remove', 'emptyDir', 'ensureFile', 'ensureDir', 'mkdirs', 'mkdirp'];
const FS_EXTRA_TWO = ['copy', 'move', 'ensureLink', 'ensureSymlink'];
const FS_MODULES = ['fs', 'fs-extra', 'graceful-fs', 'original-fs'];

function withSync(names: readonly string[]): string[] {
  return names.flatMap((n) => (n.startsWith('create') || n === 'watch' || n === 'openAsBlob' ? [n] : [n, `${n}Sync`]));
}

export const PATH_SINKS: readonly SinkEntry[] = [
  { modules: FS_MODULES, members: withSync(ONE_PATH), args: [0] },
  { modules: FS_MODULES, members: withSync(TWO_PATHS), args: [0, 1] },
  { modules: ['fs-extra'], members: withSync(FS_EXTRA), args: [0] },
  { modules: ['fs-extra'], members: withSync(FS_EXTRA_TWO), args: [0, 1] },
  { modules: ['tar'], members: ['x', 'extract', 'c', 'create'], args: [0] },
];

/** Response helpers that send a file from disk (express `res.sendFile`, `res.download`). */
export const RESPONSE_FILE_METHODS: ReadonlySet<string> = new Set(['sendFile', 'download', 'sendfile']);
const RESPONSE_RECEIVER = /^(?:res|response|reply)$/;

/**
 * nodemailer reads each attachment's `path` (a file, or a URL it fetches) into the message:
 * `transporter.sendMail({ attachments: [{ path }] })`, `new MailComposer({ attachments })`
 * (GongRzhe/Gmail-MCP-Server's `send_email` mails any file the client names).
 */
export const MAIL_SINKS: readonly SinkEntry[] = [
  // `new MailComposer(options)` from `nodemailer/lib/mail-composer` is the package itself (subpaths are dropped).
  { modules: ['nodemailer'], members: ['sendMail', ''], args: [0] },
];

function attachmentHits(opts: ArgView | undefined): SinkHit[] {
  const attachments = opts?.props?.get('attachments');
  if (!attachments) return [];
  const out: SinkHit[] = [];
  for (const a of attachments.elems ?? [attachments]) {
    const p = a.props?.get('path');
    // `attachment`: the path is a field of the mail's options, no argument a fix can wrap.
    if (p?.tainted) out.push({ kind: 'path', arg: p, data: { attachment: true } });
    // A client-made attachment object (or list of them): its `path` is the client's.
    else if (!a.props && a.tainted) out.push({ kind: 'path', arg: a, data: { attachment: true } });
  }
  return out;
}

export function pathHits(call: CallView): SinkHit[] {
  if (findEntry(MAIL_SINKS, call.ref)) return attachmentHits(call.args[0]);
  const entry = findEntry(PATH_SINKS, call.ref);
  // A method of what an fs call returned (`(await fs.open(p)).createReadStream({ encoding })`, a
  // FileHandle's) works on that file and takes no path.
  if (entry && FS_MODULES.includes(call.ref!.module) && call.ref!.path.indexOf('()') >= 0 && call.ref!.path.indexOf('()') < call.ref!.path.length - 1) return [];
  if (entry) return taintedArgs(entry, call).map((arg) => ({ kind: 'path', arg }));
  if (call.receiverName && RESPONSE_RECEIVER.test(call.receiverName) && RESPONSE_FILE_METHODS.has(call.name)) {
    const first = call.args[0];
    // `res.sendFile(name, { root })` confines the name to root.
    if (first?.tainted && !call.args[1]?.props?.has('root')) return [{ kind: 'path', arg: first }];
  }
  return [];
}

/** `path` functions whose result is a normalised absolute or joined path. */
export const NORMALIZERS: ReadonlySet<string> = new Set(['resolve', 'join', 'normalize']);
/** Functions that resolve symbolic links. */
export const REALPATH: ReadonlySet<string> = new Set(['realpath', 'realpathSync', 'native']);
