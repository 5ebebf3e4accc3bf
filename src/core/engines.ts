import type { Engine } from './engine';
import { PythonEngine } from './python/engine';
import { TsEngine } from './ts/engine';
import type { Language } from './types';

/**
 * One instance of every language engine, or of those that read one of `languages`: engines
 * are cheap to construct but not to initialise (the Python engine compiles tree-sitter's WASM
 * in `init`), so a CLI run over TypeScript files only does not load the Python parser.
 */
export function createEngines(languages?: readonly Language[]): Engine[] {
  const engines: Engine[] = [new TsEngine(), new PythonEngine()];
  return languages ? engines.filter((e) => e.languages.some((l) => languages.includes(l))) : engines;
}
