import * as fs from 'node:fs';
import * as path from 'node:path';
import * as TreeSitter from '@vscode/tree-sitter-wasm';

export type TreeSitterParser = TreeSitter.Parser;
export type TreeSitterTree = TreeSitter.Tree;
export type SyntaxNode = TreeSitter.Node;

/**
 * Finds a WASM file: next to the bundle in dist/ (copied there by esbuild.mjs), else in the
 * installed @vscode/tree-sitter-wasm package (tests and tsx runs).
 */
export function wasmPath(name: string): string {
  const beside = path.join(__dirname, name);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(`@vscode/tree-sitter-wasm/wasm/${name}`);
}

let initialised: Promise<void> | undefined;

/** A parser loaded with the Python grammar. The runtime is initialised once per process. */
export async function loadPythonParser(): Promise<TreeSitterParser> {
  initialised ??= TreeSitter.Parser.init({ locateFile: (name: string) => wasmPath(name) });
  await initialised;
  const language = await TreeSitter.Language.load(wasmPath('tree-sitter-python.wasm'));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  return parser;
}
