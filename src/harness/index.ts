/**
 * The MCP Warden harness: starts MCP servers, replays authentication and injection attacks and
 * reports what it proves. Pure Node; never imports vscode.
 */
export { HarnessRun, runHarness, exitCodeOf, HARNESS_EXIT } from './runner';
export { REQUIREMENTS, KNOWN_GAPS, requirement, requirementDocsUrl, type Requirement, type KnownGap, type CheckSeverity, type HarnessTransport } from './requirements';
export { discoverServers, loadConfigFile, DiscoveryError } from './discover';
export { markedProcesses, RUN_MARKER_ENV } from './process';
export type * from './types';
