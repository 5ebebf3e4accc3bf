#!/usr/bin/env -S npx tsx
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createNotesServer } from './server.js';

// stdio transport: stdout carries only MCP messages, so diagnostics go to stderr.
const server = createNotesServer();
await server.connect(new StdioServerTransport());
console.error('notes MCP server running on stdio');
