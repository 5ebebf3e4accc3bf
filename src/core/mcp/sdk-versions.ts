/**
 * SDK versions with known transport-security fixes, read from the project manifest next to a
 * source file (package.json + package-lock.json, pyproject.toml + uv.lock, requirements*.txt).
 */
import * as path from 'node:path';

/** A fixed vulnerability: versions below `fixed` of `pkg` are affected. */
export interface SdkAdvisory {
  readonly pkg: string;
  readonly fixed: string;
  readonly id: string;
  readonly summary: string;
}

/** DNS-rebinding protection became the default for localhost servers in these releases. */
export const TS_SDK_ADVISORY: SdkAdvisory = {
  pkg: '@modelcontextprotocol/sdk',
  fixed: '1.24.0',
  id: 'CVE-2025-66414',
  summary: 'DNS-rebinding protection is not on by default',
};

export const PY_SDK_ADVISORY: SdkAdvisory = {
  pkg: 'mcp',
  fixed: '1.23.0',
  id: 'CVE-2025-66416',
  summary: 'DNS-rebinding protection is not on by default',
};

/** Reads a file; undefined when missing. */
export type ReadFile = (file: string) => string | undefined;

/** Parses `1.2.3` (extra parts ignored); undefined when not a version. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Lowest version a requirement range admits: `^1.10.0`, `~1.10`, `>=1.2`, `1.x`, `==1.9.0`,
 * `>=1.2,<2`, `1.10.0 || 2.0.0`. Undefined for ranges we cannot read (`*`, `latest`, git URLs,
 * workspace links), which are never reported.
 */
export function minimumVersion(range: string): [number, number, number] | undefined {
  const alternatives = range.split('||').map((r) => r.trim());
  let lowest: [number, number, number] | undefined;
  for (const alt of alternatives) {
    if (!alt || /^(?:\*|latest|x|next)$/i.test(alt) || /[:/]/.test(alt)) return undefined;
    let min: [number, number, number] | undefined;
    for (const part of alt.split(/[\s,]+/)) {
      const m = /^(\^|~=?|>=|==|===|=)?\s*v?(\d+(?:\.(?:\d+|[xX*]))*)/.exec(part);
      if (!m) continue;
      if (part.startsWith('<') || part.startsWith('!=')) continue;
      const v = parseVersion(m[2]!.replace(/[xX*]/g, '0'));
      if (v && (!min || compareVersions(v, min) > 0)) min = v;
    }
    if (!min) continue;
    if (!lowest || compareVersions(min, lowest) < 0) lowest = min;
  }
  return lowest;
}

/** What we learned about an SDK dependency of the project. */
export interface SdkDependency {
  /** The manifest that declares it. */
  readonly manifest: string;
  /** The declared range or pin as written. */
  readonly declared: string;
  /** The locked version, when a lock file next to the manifest names one. */
  readonly locked?: string;
  /** Whether the version in use (locked, else the lowest the range admits) is below the fix. */
  readonly vulnerable: boolean;
}

function* ancestors(file: string): Generator<string> {
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 12; depth++) {
    yield dir;
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** Parsed manifests and locks by path, with the text they were parsed from (a lock can be megabytes). */
const parsedJson = new Map<string, { text: string; value: unknown }>();
const MAX_PARSED = 16;

/**
 * `JSON.parse(text)`, reused while the file at `file` still has that very text: every source
 * file of a package asks about the same package.json and lock. Throws like `JSON.parse`.
 */
function parseJson(file: string, text: string): unknown {
  const hit = parsedJson.get(file);
  if (hit && hit.text === text) return hit.value;
  const value: unknown = JSON.parse(text);
  if (parsedJson.size >= MAX_PARSED) parsedJson.clear();
  parsedJson.set(file, { text, value });
  return value;
}

function verdict(advisory: SdkAdvisory, manifest: string, declared: string, locked: string | undefined): SdkDependency | undefined {
  const fixed = parseVersion(advisory.fixed)!;
  const inUse = locked ? parseVersion(locked) : minimumVersion(declared);
  if (!inUse) return undefined;
  return { manifest, declared, ...(locked ? { locked } : {}), vulnerable: compareVersions(inUse, fixed) < 0 };
}

/** The TypeScript SDK dependency of the nearest package.json that declares it. */
export function findTsSdkDependency(file: string, read: ReadFile): SdkDependency | undefined {
  for (const dir of ancestors(file)) {
    const manifest = path.join(dir, 'package.json');
    const text = read(manifest);
    if (text === undefined) continue;
    let pkg: Record<string, unknown>;
    try {
      pkg = parseJson(manifest, text) as Record<string, unknown>;
    } catch {
      continue;
    }
    let declared: string | undefined;
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[key];
      if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>)[TS_SDK_ADVISORY.pkg] === 'string') {
        declared = (deps as Record<string, string>)[TS_SDK_ADVISORY.pkg];
        break;
      }
    }
    if (declared === undefined) continue;
    return verdict(TS_SDK_ADVISORY, manifest, declared, lockedNpmVersion(dir, read));
  }
  return undefined;
}

/**
 * The SDK version recorded in a package-lock.json (or pnpm-lock.yaml) for the package in `dir`:
 * the lock next to it, or a workspace root's lock that lists `dir` as a workspace member
 * (a lock of an unrelated enclosing project says nothing about this package).
 */
function lockedNpmVersion(dir: string, read: ReadFile): string | undefined {
  for (const d of ancestors(path.join(dir, 'x'))) {
    const rel = path.relative(d, dir).split(path.sep).join('/');
    const lockFile = path.join(d, 'package-lock.json');
    const lock = read(lockFile);
    if (lock !== undefined) {
      try {
        const parsed = parseJson(lockFile, lock) as { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string }> };
        if (rel !== '' && !parsed.packages?.[rel]) return undefined;
        const own = rel === '' ? undefined : parsed.packages?.[`${rel}/node_modules/${TS_SDK_ADVISORY.pkg}`]?.version;
        const v = own ?? parsed.packages?.[`node_modules/${TS_SDK_ADVISORY.pkg}`]?.version ?? parsed.dependencies?.[TS_SDK_ADVISORY.pkg]?.version;
        if (v) return v;
      } catch {
        // A broken lock file tells us nothing.
      }
      return undefined;
    }
    const pnpm = read(path.join(d, 'pnpm-lock.yaml'));
    if (pnpm !== undefined) {
      if (rel !== '' && !pnpm.includes(`\n  ${rel}:`)) return undefined;
      const m = /['"]?\/?@modelcontextprotocol\/sdk@(\d+\.\d+\.\d+)/.exec(pnpm);
      return m?.[1];
    }
  }
  return undefined;
}

/** A requirement line or PEP 508 string naming the `mcp` package (with extras), its specifier. */
function mcpSpecifier(requirement: string): string | undefined {
  const m = /^\s*mcp\s*(?:\[[^\]]*\])?\s*([<>=!~^][^;#]*)?(?:[;#].*)?$/i.exec(requirement);
  if (!m) return undefined;
  return (m[1] ?? '').trim();
}

/** The Python `mcp` dependency of the nearest pyproject.toml or requirements*.txt that declares it. */
export function findPySdkDependency(file: string, read: ReadFile): SdkDependency | undefined {
  for (const dir of ancestors(file)) {
    const candidates: [string, string[]][] = [];
    const pyproject = path.join(dir, 'pyproject.toml');
    const text = read(pyproject);
    if (text !== undefined) {
      // Quoted PEP 508 strings anywhere (project.dependencies, optional groups, uv sources).
      const reqs = [...text.matchAll(/["']([^"'\n]+)["']/g)].map((m) => m[1]!);
      // Poetry style: mcp = "^1.2" or mcp = { version = ">=1.2", extras = [...] }.
      const poetry = /^\s*mcp\s*=\s*(?:["']([^"']+)["']|\{[^}]*version\s*=\s*["']([^"']+)["'])/m.exec(text);
      if (poetry) reqs.push(`mcp ${poetry[1] ?? poetry[2]}`);
      candidates.push([pyproject, reqs]);
    }
    for (const name of ['requirements.txt', 'requirements.in', 'requirements-prod.txt']) {
      const req = read(path.join(dir, name));
      if (req !== undefined) candidates.push([path.join(dir, name), req.split(/\r?\n/)]);
    }
    for (const [manifest, reqs] of candidates) {
      for (const r of reqs) {
        const spec = mcpSpecifier(r);
        if (spec === undefined) continue;
        const locked = lockedPyVersion(dir, read);
        if (!spec && !locked) return undefined; // unpinned: the newest release is installed
        const result = verdict(PY_SDK_ADVISORY, manifest, spec || '*', locked);
        if (result) return result;
        return undefined;
      }
    }
  }
  return undefined;
}

function lockedPyVersion(dir: string, read: ReadFile): string | undefined {
  const uv = read(path.join(dir, 'uv.lock'));
  if (uv !== undefined) {
    const m = /\[\[package\]\]\s*\nname\s*=\s*"mcp"\s*\nversion\s*=\s*"([^"]+)"/.exec(uv);
    if (m) return m[1];
  }
  const poetry = read(path.join(dir, 'poetry.lock'));
  if (poetry !== undefined) {
    const m = /\[\[package\]\]\s*\nname\s*=\s*"mcp"\s*\nversion\s*=\s*"([^"]+)"/.exec(poetry);
    if (m) return m[1];
  }
  return undefined;
}
