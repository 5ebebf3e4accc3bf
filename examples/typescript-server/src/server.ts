import { exec, execFile } from 'node:child_process';
import { readFile, readdir, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { openNotesDb } from './db.js';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

/** Files under this folder are the only ones the file tools may read. */
export const NOTES_ROOT = path.resolve(process.env.NOTES_DIR ?? fileURLToPath(new URL('../notes', import.meta.url)));

function text(value: string) {
  return { content: [{ type: 'text' as const, text: value }] };
}

/**
 * Builds the notes server. Several tools are deliberately vulnerable (see ../README.md);
 * each has a safe twin so the difference is easy to see.
 */
export function createNotesServer(): McpServer {
  const server = new McpServer({ name: 'notes', version: '1.0.0' });
  const db = openNotesDb();

  // FLAW (command injection, CWE-78): the host is pasted into a shell command line.
  server.registerTool(
    'ping_host',
    {
      description: 'Check whether a host answers one ping.',
      inputSchema: { host: z.string().describe('Host name or IP address') },
    },
    async ({ host }) => {
      try {
        const { stdout } = await execAsync(`ping -c 1 -W 1 ${host}`);
        return text(stdout);
      } catch (err) {
        return { ...text(`ping failed: ${(err as Error).message}`), isError: true };
      }
    },
  );

  // SAFE twin: no shell, the host is one argv entry after '--' and must look like a host name.
  server.registerTool(
    'ping_host_safe',
    {
      description: 'Check whether a host answers one ping (safe version).',
      inputSchema: { host: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/).describe('Host name or IP address') },
    },
    async ({ host }) => {
      try {
        const { stdout } = await execFileAsync('ping', ['-c', '1', '-W', '1', '--', host]);
        return text(stdout);
      } catch (err) {
        return { ...text(`ping failed: ${(err as Error).message}`), isError: true };
      }
    },
  );

  // FLAW (SQL injection, CWE-89): the search text is pasted into the SQL statement.
  server.registerTool(
    'search_notes',
    {
      description: "Search alice's notes by title.",
      inputSchema: { query: z.string().describe('Text to look for in note titles') },
    },
    async ({ query }) => {
      try {
        const rows = db.prepare(`SELECT title, body FROM notes WHERE owner = 'alice' AND title LIKE '%${query}%'`).all();
        return text(JSON.stringify(rows));
      } catch (err) {
        return { ...text(`query failed: ${(err as Error).message}`), isError: true };
      }
    },
  );

  // SAFE twin: parameter binding.
  server.registerTool(
    'search_notes_safe',
    {
      description: "Search alice's notes by title (safe version).",
      inputSchema: { query: z.string().max(200).describe('Text to look for in note titles') },
    },
    async ({ query }) => {
      const rows = db.prepare("SELECT title, body FROM notes WHERE owner = 'alice' AND title LIKE ?").all(`%${query}%`);
      return text(JSON.stringify(rows));
    },
  );

  // FLAW (path traversal, CWE-22; the CVE-2025-53110 shape): startsWith(root) without a trailing
  // separator also accepts the sibling folder '<root>-secrets', and the check never resolves symlinks.
  server.registerTool(
    'read_note_file',
    {
      description: 'Read a file from the notes folder.',
      inputSchema: { file: z.string().describe('Path of the note, relative to the notes folder') },
    },
    async ({ file }) => {
      const full = path.resolve(NOTES_ROOT, file);
      if (!full.startsWith(NOTES_ROOT)) {
        return { ...text('access denied: outside the notes folder'), isError: true };
      }
      try {
        return text(await readFile(full, 'utf8'));
      } catch (err) {
        return { ...text(`cannot read: ${(err as Error).message}`), isError: true };
      }
    },
  );

  // SAFE twin: realpath first, then containment with the separator.
  server.registerTool(
    'read_note_file_safe',
    {
      description: 'Read a file from the notes folder (safe version).',
      inputSchema: { file: z.string().describe('Path of the note, relative to the notes folder') },
    },
    async ({ file }) => {
      try {
        const root = await realpath(NOTES_ROOT);
        const full = await realpath(path.resolve(root, file));
        if (full !== root && !full.startsWith(root + path.sep)) {
          return { ...text('access denied: outside the notes folder'), isError: true };
        }
        return text(await readFile(full, 'utf8'));
      } catch (err) {
        return { ...text(`cannot read: ${(err as Error).message}`), isError: true };
      }
    },
  );

  // Harmless: no argument reaches a sink.
  server.registerTool(
    'list_notes',
    { description: 'List the files in the notes folder.', inputSchema: {} },
    async () => text((await readdir(NOTES_ROOT)).join('\n')),
  );

  return server;
}
