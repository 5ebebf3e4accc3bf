import type { TreeSitterParser } from './parser';

/**
 * Error recovery for files that are mid-edit. tree-sitter recovers well from local mistakes,
 * but an unclosed bracket swallows everything after it into one ERROR node, losing every
 * later function. For such files, this splits the text into top-level statements (lines that
 * start at column 0), re-parses each one alone, and blanks out those that do not parse,
 * keeping every offset and line break, so the rest is analysed at its real position.
 */
export function blankBrokenStatements(text: string, parser: TreeSitterParser): string | undefined {
  const chunks = topLevelChunks(text);
  if (chunks.length < 2) return undefined;
  let out = '';
  let changed = false;
  for (const c of chunks) {
    const chunk = text.slice(c.start, c.end);
    const tree = parser.parse(chunk);
    const broken = !tree || tree.rootNode.hasError;
    tree?.delete();
    if (broken) {
      // Same length in UTF-16 code units, line breaks kept: spans and line numbers stay valid.
      out += chunk.replace(/[^\r\n]/g, ' ');
      changed = true;
    } else out += chunk;
  }
  return changed ? out : undefined;
}

interface Chunk {
  readonly start: number;
  readonly end: number;
}

/** Lines that continue the previous top-level statement although they start at column 0. */
const CONTINUATION = /^(?:else\b|elif\b|except\b|finally\b|case\b|[)\]}]|#|$)/;

function topLevelChunks(text: string): Chunk[] {
  const starts: number[] = [0];
  let lineStart = 0;
  let pendingDecorator = false;
  while (lineStart < text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const line = text.slice(lineStart, lineEnd).replace(/\r?\n$/, '');
    const topLevel = line.length > 0 && !/^\s/.test(line) && !CONTINUATION.test(line);
    if (topLevel && lineStart > 0 && !pendingDecorator) starts.push(lineStart);
    if (topLevel) pendingDecorator = line.startsWith('@');
    lineStart = lineEnd;
  }
  return starts.map((s, i) => ({ start: s, end: starts[i + 1] ?? text.length }));
}
