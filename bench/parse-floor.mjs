// The floor under every row of the TS/JS throughput table (issue 9): a Node process that loads
// TypeScript, reads each file of the list once and parses it with the options MCP Warden's engine
// uses (src/core/ts/module-cache.ts PARSE_OPTIONS; parents left unset), and does nothing else.
// MCP Warden and ESLint (through @typescript-eslint/parser) both start with this parse; no linter
// built on TypeScript's parser can take less time than this process.
//
//   node bench/parse-floor.mjs LIST.json   (a JSON array of paths; prints the file and node counts)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

function kindOf(file) {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let statements = 0;
for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), options, false, kindOf(file));
  statements += sf.statements.length;
}
console.log(JSON.stringify({ files: files.length, statements, typescript: ts.version }));
