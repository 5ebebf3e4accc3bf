import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every TypeScript/JavaScript file under `dir`, recursively. */
export function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : /\.[cm]?[jt]sx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}
