import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLine } from './types';

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|py)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.vscode-test', 'coverage']);
const MAX_FILES = 2000;
const MAX_BYTES = 1_000_000;

interface SourceFile {
  readonly file: string;
  readonly text: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds where each tool is registered in the project's sources with a cheap textual search:
 * `server.tool('name'`, `registerTool('name'`, `@mcp.tool(name="name")`, a decorated
 * `def name(`, or `name: 'name'` in a low-level tools list. Good enough to point a report at the
 * registration line; the static engines do the precise work.
 */
export class ToolSourceIndex {
  private files: SourceFile[] | undefined;
  /** Answers of find(): it runs for every result of a tool, and the sources do not change mid-run. */
  private readonly found = new Map<string, SourceLine | undefined>();

  constructor(private readonly roots: readonly string[]) {}

  private load(): SourceFile[] {
    if (this.files) return this.files;
    const files: SourceFile[] = [];
    const walk = (dir: string) => {
      if (files.length >= MAX_FILES) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (files.length >= MAX_FILES) return;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p);
        } else if (e.isFile() && SOURCE_EXT.test(e.name)) {
          try {
            if (fs.statSync(p).size <= MAX_BYTES) files.push({ file: p, text: fs.readFileSync(p, 'utf8') });
          } catch {
            // Unreadable: skipped.
          }
        }
      }
    };
    for (const root of this.roots) {
      try {
        if (fs.statSync(root).isDirectory()) walk(root);
        else if (SOURCE_EXT.test(root)) files.push({ file: root, text: fs.readFileSync(root, 'utf8') });
      } catch {
        // Missing root.
      }
    }
    this.files = files;
    return files;
  }

  /**
   * The registration line of `tool`, preferring explicit registration calls, and files in
   * `prefer` (the server's entry file and its folder) over the rest of the project.
   */
  find(tool: string, prefer: readonly string[] = []): SourceLine | undefined {
    const key = JSON.stringify([tool, prefer]);
    if (!this.found.has(key)) this.found.set(key, this.search(tool, prefer));
    const hit = this.found.get(key);
    // A copy: every result owns its location.
    return hit && { ...hit };
  }

  private search(tool: string, prefer: readonly string[]): SourceLine | undefined {
    const n = escapeRe(tool);
    const q = `['"\`]${n}['"\`]`;
    const patterns = [
      new RegExp(`\\.(?:tool|registerTool|register_tool|addTool|add_tool)\\s*\\(\\s*${q}`),
      new RegExp(`@\\w+(?:\\.\\w+)*\\.tool\\s*\\([^)]*name\\s*=\\s*${q}`),
      new RegExp(`@\\w+(?:\\.\\w+)*\\.tool\\s*\\([^)]*\\)\\s*\\n(?:\\s*@.*\\n)*\\s*(?:async\\s+)?def\\s+${n}\\s*\\(`),
      new RegExp(`\\bname\\s*[:=]\\s*${q}`),
    ];
    const rank = (file: string) => {
      const i = prefer.findIndex((p) => file === p || file.startsWith(p + path.sep));
      return i < 0 ? prefer.length : i;
    };
    const files = [...this.load()].sort((a, b) => rank(a.file) - rank(b.file));
    for (const re of patterns) {
      for (const f of files) {
        const m = re.exec(f.text);
        if (!m) continue;
        // Point at the line holding the name, which for decorators is the def line.
        const nameAt = m.index + m[0].search(new RegExp(n));
        return { file: f.file, line: lineOf(f.text, nameAt >= m.index ? nameAt : m.index) };
      }
    }
    return undefined;
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
