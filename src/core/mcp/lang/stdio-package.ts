/**
 * Whether a TS/JS file belongs to a package whose entry point starts a stdio MCP server:
 * tool handlers in `src/tools/*.ts` run inside that server, so their stdout output corrupts
 * the protocol stream even though the file never mentions the transport.
 */
import * as path from 'node:path';

/** Reads a file; undefined when missing. */
export type ReadText = (file: string) => string | undefined;

const cache = new Map<string, string | null>();

/** Candidate source files for an entry path (`dist/index.js` -> `src/index.ts`, ...). */
function sourcesFor(root: string, entry: string): string[] {
  const rel = entry.replace(/^\.\//, '');
  const out = [rel];
  const swapped = rel.replace(/^(?:dist|build|lib|out)\//, 'src/');
  for (const base of new Set([rel, swapped])) {
    const noExt = base.replace(/\.[cm]?js$/, '');
    out.push(`${noExt}.ts`, `${noExt}.mts`, `${noExt}.js`, `${noExt}.mjs`);
  }
  return [...new Set(out)].map((r) => path.join(root, r));
}

/**
 * The entry file (absolute path) of the nearest package.json above `file` that constructs a
 * `StdioServerTransport`, or undefined. Cached per package.
 */
export function stdioEntryOf(file: string, read: ReadText): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 8; depth++) {
    const manifest = path.join(dir, 'package.json');
    if (cache.has(manifest)) return cache.get(manifest) ?? undefined;
    const text = read(manifest);
    if (text !== undefined) {
      let result: string | undefined;
      try {
        const pkg = JSON.parse(text) as { bin?: string | Record<string, string>; main?: string };
        const entries = [
          ...(typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {})),
          ...(pkg.main ? [pkg.main] : []),
          'src/index.ts',
          'index.ts',
          'src/index.js',
          'index.js',
        ];
        outer: for (const e of entries) {
          for (const candidate of sourcesFor(dir, e)) {
            const src = read(candidate);
            if (src !== undefined && /\bnew\s+StdioServerTransport\s*\(/.test(src)) {
              result = candidate;
              break outer;
            }
          }
        }
      } catch {
        // An unreadable manifest says nothing about the transport.
      }
      cache.set(manifest, result ?? null);
      return result;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
