/**
 * Shared building blocks for fix builders (core rules here, MCP rules in ./mcp): file style
 * detection, import insertion/merging for TS/JS (ESM and CommonJS) and Python, node lookup by
 * span, and edit application helpers.
 */
export * from './style';
export * from './ts-imports';
export * from './py-imports';
export * from './edits';
export * from './diff';
