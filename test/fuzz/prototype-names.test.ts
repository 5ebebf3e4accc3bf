/**
 * Names the analysed code can give anything it likes, and that are also members of every
 * JavaScript object (issue 9 robustness): every fuzz seed (the rule fixtures and the example
 * servers) is linted with the names of its called methods, its decorators and the classes it
 * constructs renamed to `constructor`, `toString`, `__proto__` and the like. A lookup table
 * with Object.prototype behind it took those names for its own entries: the Python engine
 * threw on `@mcp.constructor()` and a message spoke of a transport named `undefined`. No
 * engine may crash, and no message may carry a value that was never a name.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';
import { resultErrors } from './check';
import { loadSeeds } from './generate';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString', 'propertyIsEnumerable', '__defineGetter__'];

/** `text` with each method called (`.name(`), decorator (`@x.name`) and class constructed (`new Name(`) renamed, cycling through `names` from `offset`. */
function renamed(text: string, names: readonly string[], offset: number): string {
  let k = offset;
  return text.replace(/(\.|@[A-Za-z_]\w*\.|\bnew )([A-Za-z_]\w*)(?=\s*\()/g, (_, head: string) => `${head}${names[k++ % names.length]}`);
}

/** Interpolations of something that was not a string or a name: `undefined`, a function's source, an object. */
const GARBAGE = /\bundefined\b|\[native code\]|\[object \w+\]|\bfunction \w*\(/;

let linter: Linter;
before(async () => {
  linter = await createLinter();
});

test('code whose names are Object.prototype members lints without a crash or a garbled message', () => {
  const errors: string[] = [];
  let renames = 0;
  for (const seed of loadSeeds()) {
    for (let offset = 0; offset < 3; offset++) {
      const text = renamed(seed.text, PROTOTYPE_NAMES, offset);
      if (text === seed.text) break;
      renames++;
      const result = linter.lintText(seed.name, text);
      const where = `${seed.name} (names from ${PROTOTYPE_NAMES[offset]})`;
      for (const e of resultErrors(seed.name, text, result)) errors.push(`${where}: ${e}`);
      for (const f of result.findings) {
        // A message quoting the analysed code may hold anything; only the words around it are checked.
        const words = f.message.replace(/'[^']*'|`[^`]*`|"[^"]*"/g, "''");
        if (GARBAGE.test(words)) errors.push(`${where}: ${f.ruleId}: ${f.message}`);
      }
    }
  }
  assert.ok(renames > 100, `only ${renames} renamed seeds`);
  assert.deepEqual(errors, []);
});
