import type { WardenConfig } from '../core';

/** A rule's severity as the user may set it in `mcpWarden.rules`. */
export type RuleSetting = 'error' | 'warning' | 'note' | 'off';

/** The `mcpWarden.*` settings the language server reads, per workspace folder. */
export interface ServerSettings {
  readonly enable: boolean;
  /** Rule id -> severity or `off`; overrides `.mcp-warden.json`. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Glob patterns (gitignore syntax) relative to the workspace folder, never analysed. */
  readonly exclude: readonly string[];
}

export const DEFAULT_SETTINGS: ServerSettings = { enable: true, rules: {}, exclude: [] };

const RULE_SETTINGS: ReadonlySet<string> = new Set(['error', 'warning', 'note', 'off']);

/** Accepts whatever the client sends; anything malformed falls back to the default. */
export function normaliseSettings(raw: unknown): ServerSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const obj = raw as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (typeof obj.rules === 'object' && obj.rules !== null && !Array.isArray(obj.rules)) {
    for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
      // VS Code's own vocabulary says "information"/"info"; accept it for note.
      const v = value === 'information' || value === 'info' ? 'note' : value;
      if (typeof v === 'string' && RULE_SETTINGS.has(v)) rules[id] = v as RuleSetting;
    }
  }
  const exclude = Array.isArray(obj.exclude) ? obj.exclude.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  return { enable: obj.enable !== false, rules, exclude };
}

/** The project file's configuration with the editor settings laid over it. */
export function mergeConfig(file: WardenConfig, settings: ServerSettings): WardenConfig {
  return { ...file, rules: { ...file.rules, ...settings.rules } };
}
