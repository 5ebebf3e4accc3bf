import { Linter } from '../../src/core';
import type { FileResult } from '../../src/core/types';
import { TsEngine } from '../../src/core/ts/engine';
import { allRules } from '../../src/rules';

// Shared by the taint replay cache tests: what is compared, and the two kinds of linter.

/** What a user sees of a result: two analyses agree when these strings are equal. */
export const comparable = (r: FileResult): string => JSON.stringify({ findings: r.findings, problems: r.problems });

/** A linter with every rule on one TypeScript engine (reach the engine for its cache statistics). */
export async function tsLinter(): Promise<{ linter: Linter; engine: TsEngine }> {
  const engine = new TsEngine();
  return { linter: await Linter.create({ rules: allRules, engines: [engine] }), engine };
}

/** A linter that has analysed nothing yet: its analysis of a text is the reference. */
export const freshLinter = async (): Promise<Linter> => (await tsLinter()).linter;

/** The head of the cache tests' servers: sinks, the SDK server, zod and a result helper. */
export const PRELUDE = [
  "import { exec, execSync } from 'node:child_process';",
  "import type { IncomingMessage } from 'node:http';",
  "import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  "const server = new McpServer({ name: 'x', version: '1' });",
  "const ok = (t = '') => ({ content: [{ type: 'text' as const, text: t }] });",
  '',
].join('\n');
