// esbuild plugin: serves `import * as ts from 'typescript'` from an ES module whose exports
// are plain constants. Without it every `ts.SyntaxKind` / `ts.isCallExpression` in the bundle
// goes through two getters (esbuild's __toESM wrapper around TypeScript's own getter-based
// exports) with a megamorphic keyed load each; profiles of a lint pass spent 15-20% of their
// self time in that getter. With an ES module, esbuild binds `ts.x` to the constant directly.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const NAMESPACE = 'flat-typescript';

/** @returns {import('esbuild').Plugin} */
export function flatTypescript() {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^typescript$/ }, (args) => {
        if (args.namespace === NAMESPACE) return undefined;
        return { path: 'typescript', namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => {
        const real = require.resolve('typescript');
        // TypeScript's exports are fixed once its module has run, so snapshotting them is safe.
        const keys = Object.keys(require('typescript')).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
        const contents = [
          // require(), not `import * as`: esbuild's ES-module view of a CommonJS module copies
          // each of TypeScript's 2,000+ exports into getters first, ~10 ms of every start-up.
          `const t = Object.assign({}, require(${JSON.stringify(real)}));`,
          ...keys.map((k) => `export const ${k} = t.${k};`),
          'export default t;',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: dirname(real) };
      });
    },
  };
}
