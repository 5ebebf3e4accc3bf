import { randomBytes, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerProcess } from './process';

/** A fresh random token of lowercase hex. */
export function token(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Two random factors whose product appears only if something computed it. The product stays
 * below 2^24, so a server that uses it as a host name (ping $(...)) gets a 0.x.x.x address,
 * which is never routed: the harness never makes a server reach a public address.
 */
export function arithmetic(): { a: number; b: number; product: string } {
  const a = randomInt(4001, 5000);
  const b = randomInt(1009, 3354);
  return { a, b, product: String(a * b) };
}

/** True when `p` is `dir` or inside it. */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Bounds of a server root the harness copies into the run folder (a data folder, not a project). */
const RELOCATE_MAX_ENTRIES = 1000;
const RELOCATE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The per-run temp folder: the servers' HOME and TMPDIR, a canary file outside any server root,
 * a folder for marker files, copies of server roots, and (when allowed) whatever the harness
 * plants next to a server's root outside it (removed at the end).
 */
export class RunWorkspace {
  readonly dir: string;
  readonly home: string;
  readonly tmp: string;
  readonly markers: string;
  /** Copies of server roots named in launch arguments or environment variables. */
  readonly roots: string;
  /** Every server process started in this run, for the teardown at the run's deadline. */
  readonly processes = new Set<ServerProcess>();
  /** Set by the teardown: nothing more may be started. */
  closed = false;
  /** A file outside every root whose content proves a traversal read. */
  readonly canaryFile: string;
  readonly canaryContent: string;
  readonly marker: string;
  private readonly planted: string[] = [];

  constructor() {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-run-')));
    this.marker = token(8);
    this.home = path.join(this.dir, 'home');
    this.tmp = path.join(this.dir, 'tmp');
    this.markers = path.join(this.dir, 'markers');
    this.roots = path.join(this.dir, 'roots');
    const outside = path.join(this.dir, 'outside');
    for (const d of [this.home, this.tmp, this.markers, this.roots, outside]) fs.mkdirSync(d, { recursive: true });
    this.canaryContent = `mcpw-canary-${token(8)}`;
    this.canaryFile = path.join(outside, `secret-${token(4)}.txt`);
    fs.writeFileSync(this.canaryFile, `${this.canaryContent}\n`);
  }

  /** A marker file path that does not exist yet. */
  markerPath(): string {
    return path.join(this.markers, `m${token(6)}`);
  }

  /**
   * Copies the folder `root` into the run folder, so canaries can be planted next to the copy
   * without writing outside the run folder. Returns the copy, or why it was not made: only small
   * data folders are copied (never a project folder, nor one holding the server's own code).
   */
  relocate(root: string, keepOut: readonly string[]): { copy: string } | { skipped: string } {
    if (keepOut.some((k) => isInside(k, root))) return { skipped: `'${root}' holds the server's own files` };
    for (const marker of ['package.json', 'pyproject.toml', '.git', 'node_modules']) {
      if (fs.existsSync(path.join(root, marker))) return { skipped: `'${root}' is a project folder (it has ${marker})` };
    }
    let entries = 0;
    let bytes = 0;
    const walk = (dir: string): string | undefined => {
      let list: fs.Dirent[];
      try {
        list = fs.readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        return `'${dir}' is not readable (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
      }
      for (const e of list) {
        if (++entries > RELOCATE_MAX_ENTRIES) return `'${root}' has more than ${RELOCATE_MAX_ENTRIES} entries`;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          const why = walk(full);
          if (why) return why;
        } else if (e.isFile()) {
          bytes += fs.statSync(full).size;
          if (bytes > RELOCATE_MAX_BYTES) return `'${root}' holds more than ${RELOCATE_MAX_BYTES / 1024 / 1024} MB`;
        } else if (!e.isSymbolicLink()) {
          return `'${full}' is not a regular file`;
        }
      }
      return undefined;
    };
    const why = walk(root);
    if (why) return { skipped: why };
    const copy = path.join(this.roots, token(3), path.basename(root));
    try {
      fs.cpSync(root, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    } catch (err) {
      return { skipped: `'${root}' could not be copied (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    return { copy };
  }

  /**
   * Plants `<root>-<suffix>/secret.txt` (a sibling sharing the root's name as prefix) and
   * `<root>/.mcpw-<suffix>` (a symlink to the outside canary folder). Nothing existing is touched:
   * both names are new and random, and cleanup() removes exactly them.
   */
  plantNextTo(root: string): { sibling?: { file: string; content: string }; symlink?: { file: string } } {
    const out: { sibling?: { file: string; content: string }; symlink?: { file: string } } = {};
    const suffix = `mcpw${token(3)}`;
    const siblingDir = `${root}-${suffix}`;
    try {
      fs.mkdirSync(siblingDir);
      this.planted.push(siblingDir);
      const content = `mcpw-sibling-${token(8)}`;
      const file = path.join(siblingDir, 'secret.txt');
      fs.writeFileSync(file, `${content}\n`, { flag: 'wx' });
      out.sibling = { file, content };
    } catch {
      // Parent not writable: the sibling probe is skipped.
    }
    const link = path.join(root, `.${suffix}`);
    try {
      fs.symlinkSync(path.dirname(this.canaryFile), link, 'dir');
      this.planted.push(link);
      out.symlink = { file: path.join(link, path.basename(this.canaryFile)) };
    } catch {
      // Root not writable or no symlink support: the symlink probe is skipped.
    }
    return out;
  }

  /** Removes the run folder and everything planted outside it. */
  cleanup(): void {
    for (const p of this.planted.splice(0)) {
      try {
        fs.rmSync(p, { recursive: true, force: true });
      } catch {
        // Best effort; the name is unique and harmless.
      }
    }
    try {
      fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // A server that still holds files open; the OS temp cleaner gets it.
    }
  }
}

/**
 * A loopback HTTP listener for SSRF probes. Only paths under a random run token count, so a
 * stray request (or a port scanner) cannot forge a hit.
 */
export class LoopbackListener {
  private server: http.Server | undefined;
  private readonly hits = new Map<string, string>();
  private readonly waiters = new Map<string, () => void>();
  readonly runToken = token(8);
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const m = new RegExp(`^/${this.runToken}/([a-z0-9]+)`).exec(req.url ?? '');
      if (m) {
        this.hits.set(m[1]!, `${req.method} ${req.url} from ${req.socket.remoteAddress}`);
        this.waiters.get(m[1]!)?.();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.server.unref();
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A URL that records a hit for `id` when fetched. */
  url(id: string): string {
    return `http://127.0.0.1:${this.port}/${this.runToken}/${id}`;
  }

  hit(id: string): string | undefined {
    return this.hits.get(id);
  }

  /** Resolves with the hit for `id`, or undefined after `ms` (servers may fetch after answering). */
  async waitFor(id: string, ms: number): Promise<string | undefined> {
    if (this.hits.has(id)) return this.hits.get(id);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.waiters.set(id, () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.waiters.delete(id);
    return this.hits.get(id);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    // close() waits for every connection to end; one accepted after closeAllConnections (a server
    // still fetching) must not hold the run open.
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.closeAllConnections();
        resolve();
      }, 500);
      s.close(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
