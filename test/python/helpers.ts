import { copyTree, type PySource } from '../../src/core/python/ast';
import { buildMcpModel, type PyMcpModel } from '../../src/core/python/mcp-model';
import { ImportTable } from '../../src/core/python/names';
import { loadPythonParser, type TreeSitterParser } from '../../src/core/python/parser';

let parser: Promise<TreeSitterParser> | undefined;

/** Parses Python text into the engine's AST copy (the tree-sitter tree is freed at once). */
export async function parsePy(text: string, file = '/virtual/server.py'): Promise<PySource> {
  parser ??= loadPythonParser();
  const tree = (await parser).parse(text)!;
  try {
    return copyTree(file, text, tree);
  } finally {
    tree.delete();
  }
}

/** The MCP model of Python text. */
export async function modelOf(text: string): Promise<PyMcpModel> {
  const src = await parsePy(text);
  return buildMcpModel(src, new ImportTable(src.root));
}
