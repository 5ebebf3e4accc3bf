import * as path from 'node:path';

/** A path relative to `baseDir` with forward slashes, or the absolute path when outside it. */
export function displayPath(baseDir: string, file: string): string {
  const rel = path.relative(baseDir, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
