import type { Engine } from './engine';
import { PythonEngine } from './python/engine';
import { TsEngine } from './ts/engine';

/** One instance of every language engine. */
export function createEngines(): Engine[] {
  return [new TsEngine(), new PythonEngine()];
}
