import * as nodePath from 'node:path';
import ts from 'typescript';
import { type ListDir, WorkspacePackages } from './workspaces';

/**
 * Parsed tsconfig files by path, with the text they were parsed from: parsing one takes about
 * 0.1 ms, which an editor would otherwise pay on every keystroke (the reads stay, to see edits).
 */
const parsedConfigs = new Map<string, { readonly text: string; readonly table: AliasTable | undefined; readonly bases: readonly (readonly [string, string])[] }>();
const MAX_PARSED_CONFIGS = 64;

/** `extends` links followed from a tsconfig to the one holding `paths`. */
const MAX_EXTENDS = 3;
/** Folders looked through, from a file upwards, for its tsconfig.json. */
const MAX_UP = 8;

interface AliasTable {
  /** Folder the targets are relative to (`baseUrl`, else the tsconfig's own folder). */
  readonly base: string;
  /** `paths` patterns, longest prefix first: `~/*` -> [`./src/*`]. */
  readonly patterns: readonly { readonly prefix: string; readonly suffix: string; readonly star: boolean; readonly targets: readonly string[] }[];
}

/**
 * The module aliases of a TypeScript project (`compilerOptions.paths` in the nearest
 * tsconfig.json, through `extends`): `import { FigmaService } from '~/services/figma.js'`
 * names a file of the server as surely as a relative specifier (Figma-Context-MCP reaches its
 * vulnerable helper only through such an alias). Read through the caller's `read`, once per
 * folder for the life of the object (one analysis).
 */
export class PathAliases {
  private readonly tables = new Map<string, AliasTable | null>();
  private readonly workspaces: WorkspacePackages | undefined;

  /**
   * @param list the names in a folder: with it, packages of the file's monorepo are resolved too
   * (./workspaces.ts), after the tsconfig's aliases, as the compiler would find them in
   * `node_modules` (an alias wins, as in the compiler).
   */
  constructor(
    private readonly read: (file: string) => string | undefined,
    list?: ListDir,
  ) {
    this.workspaces = list ? new WorkspacePackages(read, list) : undefined;
  }

  /**
   * The file `spec` names from `fromFile`, or undefined when no alias matches and it is no
   * package of the file's monorepo: an alias's target as written (extension included), a
   * workspace package's source file.
   */
  resolve(fromFile: string, spec: string): string | undefined {
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return undefined;
    const table = this.tableFor(nodePath.dirname(fromFile), 0);
    if (table) {
      for (const p of table.patterns) {
        if (p.star ? !(spec.startsWith(p.prefix) && spec.endsWith(p.suffix) && spec.length >= p.prefix.length + p.suffix.length) : spec !== p.prefix) continue;
        const matched = p.star ? spec.slice(p.prefix.length, spec.length - p.suffix.length) : '';
        const target = p.targets[0];
        if (target === undefined) return undefined;
        return nodePath.resolve(table.base, p.star ? target.replace('*', matched) : target);
      }
    }
    return this.workspaces?.resolve(fromFile, spec);
  }

  private tableFor(dir: string, up: number): AliasTable | undefined {
    const known = this.tables.get(dir);
    if (known !== undefined) return known ?? undefined;
    let table: AliasTable | undefined;
    const config = nodePath.join(dir, 'tsconfig.json');
    const text = this.read(config);
    if (text !== undefined) table = this.readConfig(config, text, 0);
    else if (up < MAX_UP && nodePath.dirname(dir) !== dir) table = this.tableFor(nodePath.dirname(dir), up + 1);
    this.tables.set(dir, table ?? null);
    return table;
  }

  /** The alias table of one tsconfig file (the nearest one decides, as for the compiler). */
  private readConfig(file: string, text: string, depth: number): AliasTable | undefined {
    const known = parsedConfigs.get(file);
    // Valid while its text and those of the configs it extends are unchanged.
    if (known && known.text === text && known.bases.every(([f, t]) => this.read(f) === t)) return known.table;
    const bases: (readonly [string, string])[] = [];
    const table = this.parseConfig(file, text, depth, bases);
    if (parsedConfigs.size >= MAX_PARSED_CONFIGS) parsedConfigs.clear();
    parsedConfigs.set(file, { text, table, bases });
    return table;
  }

  private parseConfig(file: string, text: string, depth: number, bases: (readonly [string, string])[]): AliasTable | undefined {
    const parsed = ts.parseConfigFileTextToJson(file, text).config as { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const options = parsed.compilerOptions ?? {};
    const dir = nodePath.dirname(file);
    const paths = options.paths;
    if (paths && typeof paths === 'object') {
      const base = typeof options.baseUrl === 'string' ? nodePath.resolve(dir, options.baseUrl) : dir;
      const patterns = Object.entries(paths as Record<string, unknown>)
        .filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === 'string'))
        .map(([key, targets]) => {
          const star = key.indexOf('*');
          return { prefix: star < 0 ? key : key.slice(0, star), suffix: star < 0 ? '' : key.slice(star + 1), star: star >= 0, targets };
        })
        .sort((a, b) => b.prefix.length - a.prefix.length);
      return patterns.length > 0 ? { base, patterns } : undefined;
    }
    // `paths` from a relative base config (`"extends": "./tsconfig.base.json"`).
    if (typeof parsed.extends === 'string' && parsed.extends.startsWith('.') && depth < MAX_EXTENDS) {
      const next = nodePath.resolve(dir, parsed.extends.endsWith('.json') ? parsed.extends : `${parsed.extends}.json`);
      const nextText = this.read(next);
      if (nextText !== undefined) {
        bases.push([next, nextText]);
        return this.parseConfig(next, nextText, depth + 1, bases);
      }
    }
    return undefined;
  }
}
