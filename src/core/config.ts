import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from './types';

/** File name of the project configuration, looked up from the scanned path upwards. */
export const CONFIG_FILE_NAME = '.mcp-warden.json';

export type RuleSetting = Severity | 'off';

export interface WardenConfig {
  /** Per-rule severity override or `off`. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Extra ignore patterns (gitignore syntax), relative to the config file's folder. */
  readonly ignore: readonly string[];
  /** Folder the config file was found in (patterns are relative to it), if any. */
  readonly root?: string;
  /** Absolute path of the config file, if one was read. */
  readonly source?: string;
  /** Files larger than this many UTF-8 bytes are reported `too-large`, not analysed (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** Analyse minified files too (by default they are reported `too-large`). */
  readonly analyzeMinified?: boolean;
}

export const DEFAULT_CONFIG: WardenConfig = { rules: {}, ignore: [] };

export class ConfigError extends Error {}

const SETTINGS: ReadonlySet<string> = new Set(['error', 'warning', 'note', 'off']);
const KEYS: ReadonlySet<string> = new Set(['rules', 'ignore', '$schema', 'maxFileBytes', 'analyzeMinified']);

/** Validates parsed JSON as a config; throws ConfigError with a one-line reason. */
export function parseConfig(value: unknown, source: string): WardenConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${source}: expected a JSON object`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KEYS.has(key)) {
      throw new ConfigError(`${source}: unknown key '${key}'`);
    }
  }
  const rules: Record<string, RuleSetting> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      throw new ConfigError(`${source}: 'rules' must be an object of rule id to severity`);
    }
    for (const [id, setting] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (typeof setting !== 'string' || !SETTINGS.has(setting)) {
        throw new ConfigError(`${source}: rule '${id}' must be one of error, warning, note, off`);
      }
      rules[id] = setting as RuleSetting;
    }
  }
  let ignore: string[] = [];
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || !obj.ignore.every((p) => typeof p === 'string')) {
      throw new ConfigError(`${source}: 'ignore' must be an array of strings`);
    }
    ignore = obj.ignore as string[];
  }
  if (obj.maxFileBytes !== undefined && !(typeof obj.maxFileBytes === 'number' && Number.isSafeInteger(obj.maxFileBytes) && obj.maxFileBytes > 0)) {
    throw new ConfigError(`${source}: 'maxFileBytes' must be a positive whole number of bytes`);
  }
  if (obj.analyzeMinified !== undefined && typeof obj.analyzeMinified !== 'boolean') {
    throw new ConfigError(`${source}: 'analyzeMinified' must be true or false`);
  }
  return {
    rules,
    ignore,
    root: path.dirname(source),
    source,
    ...(obj.maxFileBytes !== undefined ? { maxFileBytes: obj.maxFileBytes as number } : {}),
    ...(obj.analyzeMinified !== undefined ? { analyzeMinified: obj.analyzeMinified as boolean } : {}),
  };
}

/** Reads the nearest `.mcp-warden.json` at or above `startDir`; defaults when there is none. */
export function loadConfig(startDir: string): WardenConfig {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      } catch (err) {
        throw new ConfigError(`${candidate}: ${(err as Error).message}`);
      }
      return parseConfig(parsed, candidate);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return DEFAULT_CONFIG;
    dir = parent;
  }
}
