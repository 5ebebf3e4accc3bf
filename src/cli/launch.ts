/**
 * Entry point of dist/cli.js (issue 9): loads the CLI bundle, dist/cli-main.js, through a V8
 * code cache. The bundle carries TypeScript's compiler (12 MB of JavaScript): compiling it took
 * 0.35-0.45 s of every run's CPU (0.55 s for `lint` on one file, against 0.1 s for an empty
 * Node), which the cache's bytecode replaces with a read and a check. Node 20 has no
 * `module.enableCompileCache`, so this is vm.Script's `cachedData`.
 *
 * Safety, since a wrong cache must never break or change a run:
 * - the cache file is named by what identifies the bundle's bytes (see bundleKey), the Node
 *   version and the CPU architecture, so a rebuilt bundle or another Node never meets an old
 *   cache (V8 itself only compares the source's length, and rejects other V8 versions and flags);
 * - the file holds a SHA-256 of its payload, checked before V8 sees it, and is written to a
 *   temporary name and renamed, so a torn or truncated write is never read;
 * - the folder is the user's cache folder (XDG_CACHE_HOME, ~/.cache, or a per-user folder in
 *   the OS temp folder), used only when it is a real folder owned by this user and writable by
 *   no one else, and the file only when it is a regular file owned by this user: bytecode from
 *   another account is never run;
 * - any failure (unreadable, rejected by V8, unwritable) falls back to compiling the bundle
 *   as Node would, and MCP_WARDEN_NO_CODE_CACHE=1 switches the cache off.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/** The CLI bundle this launcher loads, beside it in dist/. */
const BUNDLE = path.join(__dirname, 'cli-main.js');
const HASH_BYTES = 32;

/** The user's cache folder for mcp-warden, or undefined when there is none that is safe to use. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  let home: string | undefined;
  try {
    home = os.homedir();
  } catch {
    home = undefined;
  }
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home ? path.join(home, '.cache') : undefined;
  const dir = base ? path.join(base, 'mcp-warden') : path.join(os.tmpdir(), `mcp-warden-${uid ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The cached data in `file`, when it is this user's regular file and its checksum holds. */
function readCache(file: string): Buffer | undefined {
  try {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) return undefined;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return undefined;
    const data = fs.readFileSync(file);
    if (data.length <= HASH_BYTES) return undefined;
    const payload = data.subarray(HASH_BYTES);
    const sum = createHash('sha256').update(payload).digest();
    return sum.equals(data.subarray(0, HASH_BYTES)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache next to its final name and renames it there; other caches of this CLI go. */
function writeCache(dir: string, file: string, payload: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([createHash('sha256').update(payload).digest(), payload]), { mode: 0o600 });
    fs.renameSync(tmp, file);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('cli-') && name.endsWith('.bin') && path.join(dir, name) !== file) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** A bundle loaded by `loadWithCodeCache`. */
export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** Whether V8 took the compiled code from the cache. */
  readonly fromCache: boolean;
  /**
   * Writes the cache when there was no usable one. Call it late (at exit): the cache then
   * holds every function the run compiled, not only the top level.
   */
  save(): void;
}

/** CommonJS's wrapper around the bundle: the bundle runs with a module's five arguments. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n})';

/**
 * How long after its last change a bundle file counts as settled (see bundleKey): longer than
 * the coarsest timestamps of the file systems Node runs on (FAT's 2 s).
 */
export const SETTLED_MS = 5_000;

/**
 * Whether a bundle file read now has settled: its last change, by its modification and change
 * times, is at least SETTLED_MS old (and not in the future).
 */
function isSettled(stat: fs.BigIntStats, now: number): boolean {
  const changed = stat.ctimeMs > stat.mtimeMs ? stat.ctimeMs : stat.mtimeMs;
  return BigInt(Math.floor(now)) - changed >= BigInt(SETTLED_MS);
}

/**
 * What names the cache of a bundle's bytes. Hashing the 11 MB bundle took 9 ms of every run
 * (issue 9), so a settled file (`stat` given) is named by its identity instead: device, inode,
 * size, and modification and change times (nanoseconds where the file system has them). Any
 * write to a file sets its change time to the time of the write, which the user cannot
 * choose; so a settled file, whose last change lies SETTLED_MS before the read, has other
 * bytes under the same identity only if it was rewritten with the same size within one
 * timestamp tick of that change, and such a tick ended before the read. A file changed more
 * recently (a build that just ran) is named by a SHA-256 of its bytes, as every file was before.
 */
function bundleKey(stat: fs.BigIntStats | undefined, body: Buffer): string {
  const id = stat
    ? `file:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`
    : `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return createHash('sha256').update(`${id}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32);
}

/**
 * The bundle's text inside the CommonJS wrapper, read into one buffer and decoded once: V8
 * compiles a flat string, and a wrapper concatenated around an 11 MB text is copied whole
 * into a new one. An ASCII bundle (the build keeps it so) decodes as Latin-1, a plain copy
 * into a one-byte string; UTF-8 decoding took 22-25 ms of every run (issue 9).
 */
function readBundle(bundle: string, now: number): { source: string; key: string } {
  const fd = fs.openSync(bundle, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(WRAPPER_HEAD.length + size + WRAPPER_TAIL.length);
    buf.write(WRAPPER_HEAD, 0, 'latin1');
    let end = WRAPPER_HEAD.length;
    while (end < WRAPPER_HEAD.length + size) {
      const n = fs.readSync(fd, buf, end, WRAPPER_HEAD.length + size - end, null);
      if (n === 0) break;
      end += n;
    }
    const body = buf.subarray(WRAPPER_HEAD.length, end);
    // Taken after the read: a change while reading leaves a change time that is not settled,
    // or a size that differs from what was read.
    const stat = fs.fstatSync(fd, { bigint: true });
    const key = bundleKey(stat.size === BigInt(body.length) && isSettled(stat, now) ? stat : undefined, body);
    // The bundle's '#!' line is not JavaScript outside a script file: same length, so offsets hold.
    if (body[0] === 0x23 && body[1] === 0x21) body.fill(0x2f, 0, 2);
    end += buf.write(WRAPPER_TAIL, end, 'latin1');
    const wrapped = buf.subarray(0, end);
    return { source: wrapped.toString(isAscii(wrapped) ? 'latin1' : 'utf8'), key };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs `bundle` as a CommonJS module, compiled from the code cache when one is usable. `now`
 * (milliseconds since the epoch) decides whether the bundle file is settled (bundleKey).
 */
export function loadWithCodeCache(bundle: string, env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): LoadedBundle {
  const { source, key } = readBundle(bundle, now);
  const dir = env.MCP_WARDEN_NO_CODE_CACHE ? undefined : codeCacheDir(env);
  const cacheFile = dir ? path.join(dir, `cli-${key}.bin`) : undefined;
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // No importModuleDynamically: V8 drops it from code restored from a cache (Node 20), so the
  // build leaves the CLI bundle no import() to run (esbuild.mjs), cached or not.
  const script = new vm.Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  const mod = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  run(mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  return {
    exports: mod.exports,
    fromCache,
    save() {
      if (fromCache || !dir || !cacheFile) return;
      try {
        writeCache(dir, cacheFile, script.createCachedData());
      } catch {
        // No cache this time; the next run tries again.
      }
    },
  };
}

/**
 * V8's budget of bytecode a function runs before it is considered for optimisation, doubled
 * (V8 11's default: 67,584). A lint run is a few seconds of mostly cold code (TypeScript's
 * parser, the taint analysis) that V8 kept recompiling with its optimising compiler on a
 * background thread: on the TS/JS corpus of bench/throughput.mjs (773 files, one thread,
 * 2 vCPUs) that compiler took 2.5 s of CPU beside the main thread's 3 s. With twice the budget
 * it optimises a quarter fewer functions: the process used 15-20% less CPU (median 5.65 s
 * against 6.85 s over 8 alternating runs) for the same main-thread time (3.03 s against
 * 3.05 s), which on two shared cores leaves the main thread its core. Tiering decides when code
 * is compiled, never what it computes; flags the user passed to Node win.
 */
export const INTERRUPT_BUDGET = 135_168;

/** Sets INTERRUPT_BUDGET unless Node was started with its own (`--interrupt-budget`, NODE_OPTIONS). */
export function tuneTiering(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): boolean {
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--interrupt[-_]budget(?:=|$)/.test(a));
  if (given) return false;
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}

if (require.main === module) {
  // Before the bundle is compiled: the code cache is made and used under the same flags.
  tuneTiering();
  const loaded = loadWithCodeCache(BUNDLE);
  if (isMainThread) {
    // Only lint runs make a cache: `--version` compiles too little of the bundle, and the
    // harness command is a bundle of its own (esbuild.mjs).
    if (process.argv[2] === 'lint') process.once('exit', () => loaded.save());
    (loaded.exports.cliEntry as () => void)();
  }
}
