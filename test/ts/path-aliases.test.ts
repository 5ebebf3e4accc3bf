import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PathAliases } from '../../src/core/ts/path-aliases';

/** A project in memory: file path -> text. */
function project(files: Record<string, string>): { read: (f: string) => string | undefined; files: Record<string, string> } {
  return { files, read: (f) => files[f] };
}

describe('tsconfig path aliases', () => {
  test('a wildcard alias names a file under its target; packages and relative specifiers do not match', () => {
    const p = project({ '/p/tsconfig.json': '{ "compilerOptions": { "baseUrl": "./", "paths": { "~/*": ["./src/*"] } } }' });
    const aliases = new PathAliases(p.read);
    assert.equal(aliases.resolve('/p/src/tools/a.ts', '~/services/figma.js'), '/p/src/services/figma.js');
    assert.equal(aliases.resolve('/p/src/tools/a.ts', 'zod'), undefined);
    assert.equal(aliases.resolve('/p/src/tools/a.ts', './b.js'), undefined);
  });

  test('exact aliases, the longest prefix first, targets relative to baseUrl or else to the config', () => {
    const p = project({
      '/p/tsconfig.json': `{
        // comments and trailing commas, as tsconfig allows
        "compilerOptions": { "paths": { "@/*": ["./src/*"], "@/lib/*": ["./vendor/lib/*"], "@utils": ["./src/utils/index.ts"], }, },
      }`,
    });
    const aliases = new PathAliases(p.read);
    assert.equal(aliases.resolve('/p/src/x.ts', '@/lib/q'), '/p/vendor/lib/q');
    assert.equal(aliases.resolve('/p/src/x.ts', '@/a/b'), '/p/src/a/b');
    assert.equal(aliases.resolve('/p/src/x.ts', '@utils'), '/p/src/utils/index.ts');
    assert.equal(aliases.resolve('/p/src/x.ts', '@utils/more'), undefined);
  });

  test('the nearest tsconfig decides, paths come through a relative extends, and an edited base is read again', () => {
    const p = project({
      '/repo/tsconfig.base.json': '{ "compilerOptions": { "paths": { "~/*": ["./packages/core/src/*"] } } }',
      '/repo/packages/server/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "strict": true } }',
    });
    assert.equal(new PathAliases(p.read).resolve('/repo/packages/server/src/index.ts', '~/db.js'), '/repo/packages/core/src/db.js');
    p.files['/repo/tsconfig.base.json'] = '{ "compilerOptions": { "paths": { "~/*": ["./other/*"] } } }';
    assert.equal(new PathAliases(p.read).resolve('/repo/packages/server/src/index.ts', '~/db.js'), '/repo/other/db.js');
  });

  test('no tsconfig, or one without paths: nothing is an alias', () => {
    assert.equal(new PathAliases(project({}).read).resolve('/p/src/a.ts', '~/x'), undefined);
    assert.equal(new PathAliases(project({ '/p/tsconfig.json': '{ "compilerOptions": { "strict": true } }' }).read).resolve('/p/src/a.ts', '~/x'), undefined);
  });
});
