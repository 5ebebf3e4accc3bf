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

/** A project in memory with folder listings derived from its paths. */
function tree(files: Record<string, string>): { read: (f: string) => string | undefined; list: (d: string) => string[] | undefined; files: Record<string, string> } {
  const list = (dir: string): string[] | undefined => {
    const prefix = `${dir}/`;
    const names = new Set(Object.keys(files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]!));
    return names.size > 0 ? [...names].sort() : undefined;
  };
  return { files, read: (f) => files[f], list };
}

describe('packages of the monorepo', () => {
  const npm = (): ReturnType<typeof tree> =>
    tree({
      '/r/package.json': '{ "name": "root", "private": true, "workspaces": ["packages/*"] }',
      '/r/packages/core/package.json': JSON.stringify({
        name: '@org/mcp-core',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './helpers': { import: './dist/esm/helpers/index.js' } },
        main: './dist/index.js',
      }),
      '/r/packages/core/src/index.ts': 'export const x = 1;',
      '/r/packages/core/src/helpers/index.ts': 'export const y = 1;',
      '/r/packages/plain/package.json': '{ "name": "plain", "main": "lib/main.js" }',
      '/r/packages/plain/src/main.ts': 'export const z = 1;',
      '/r/packages/tools/package.json': '{ "name": "@org/tools" }',
      '/r/packages/tools/src/a.ts': '',
      '/r/node_modules/zod/package.json': '{ "name": "zod" }',
    });

  test('a member package names the TypeScript source behind its exports or main, from any member', () => {
    const p = npm();
    const aliases = new PathAliases(p.read, p.list);
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', '@org/mcp-core'), '/r/packages/core/src/index.ts');
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', '@org/mcp-core/helpers'), '/r/packages/core/src/helpers/index.ts');
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', 'plain'), '/r/packages/plain/src/main.ts');
  });

  test('other packages, unknown subpaths and hosts that cannot list folders resolve to nothing', () => {
    const p = npm();
    const aliases = new PathAliases(p.read, p.list);
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', 'zod'), undefined);
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', '@org/other'), undefined);
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', '@org/mcp-core/nothing-here'), undefined);
    assert.equal(aliases.resolve('/r/packages/tools/src/a.ts', 'node:fs'), undefined);
    assert.equal(new PathAliases(p.read).resolve('/r/packages/tools/src/a.ts', '@org/mcp-core'), undefined);
  });

  test('pnpm-workspace.yaml lists the members; a tsconfig alias of the same name wins', () => {
    const p = tree({
      '/w/package.json': '{ "name": "root" }',
      '/w/pnpm-workspace.yaml': "packages:\n  # the servers\n  - 'apps/*'\n  - \"libs/shared\"\ncatalog:\n  zod: ^3\n",
      '/w/libs/shared/package.json': '{ "name": "@w/shared", "types": "./build/index.d.ts" }',
      '/w/libs/shared/src/index.ts': '',
      '/w/apps/server/package.json': '{ "name": "server" }',
      '/w/apps/server/src/main.ts': '',
    });
    assert.equal(new PathAliases(p.read, p.list).resolve('/w/apps/server/src/main.ts', '@w/shared'), '/w/libs/shared/src/index.ts');
    p.files['/w/apps/server/tsconfig.json'] = '{ "compilerOptions": { "paths": { "@w/shared": ["./vendor/shared.ts"] } } }';
    assert.equal(new PathAliases(p.read, p.list).resolve('/w/apps/server/src/main.ts', '@w/shared'), '/w/apps/server/vendor/shared.ts');
  });

  test('a member added later is found by the next analysis (the cached workspace is checked against the listing)', () => {
    const p = npm();
    assert.equal(new PathAliases(p.read, p.list).resolve('/r/packages/tools/src/a.ts', '@org/late'), undefined);
    p.files['/r/packages/late/package.json'] = '{ "name": "@org/late" }';
    p.files['/r/packages/late/src/index.ts'] = '';
    assert.equal(new PathAliases(p.read, p.list).resolve('/r/packages/tools/src/a.ts', '@org/late'), '/r/packages/late/src/index.ts');
  });
});
