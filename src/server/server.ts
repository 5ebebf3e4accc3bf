import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, type Analysis } from './analysis';
import { codeActions } from './codeActions';
import { confirmedFingerprints } from './confirm';
import { toDiagnostic } from './diagnostics';
import {
  COUNTS,
  HARNESS_RESULTS,
  SCAN_PROGRESS,
  SCAN_WORKSPACE,
  type CountsParams,
  type HarnessResultsParams,
  type ScanResult,
} from './protocol';
import { normaliseSettings, type ServerSettings } from './settings';

/** Typing pauses shorter than this do not start an analysis. */
const CHANGE_DEBOUNCE_MS = 200;

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let folders: WorkspaceFolder[] = [];
let configurationSupport = false;
let snippetSupport = false;
/** Once the user scanned the workspace, closed files keep their (on-disk) diagnostics. */
let workspaceScanned = false;
let harness: HarnessResultsParams = { confirmed: [], tools: [] };

const settingsByFolder = new Map<string, Promise<ServerSettings>>();
const pending = new Map<string, NodeJS.Timeout>();
/** Latest analysis per URI: open documents and files reached by a workspace scan. */
const results = new Map<string, Analysis>();

function log(message: string): void {
  connection.console.log(message);
}

function folderOf(file: string): WorkspaceFolder | undefined {
  let best: WorkspaceFolder | undefined;
  let bestLen = -1;
  for (const f of folders) {
    const dir = fileURLToPath(f.uri);
    if ((file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) && dir.length > bestLen) {
      best = f;
      bestLen = dir.length;
    }
  }
  return best;
}

async function settingsFor(folder: WorkspaceFolder | undefined): Promise<ServerSettings> {
  const key = folder?.uri ?? '';
  let s = settingsByFolder.get(key);
  if (!s) {
    s = configurationSupport
      ? connection.workspace
          .getConfiguration({ ...(folder ? { scopeUri: folder.uri } : {}), section: 'mcpWarden' })
          .then(normaliseSettings, () => normaliseSettings(undefined))
      : Promise.resolve(normaliseSettings(undefined));
    settingsByFolder.set(key, s);
  }
  return s;
}

const cache = new AnalysisCache({
  settingsFor: (file) => {
    const folder = folderOf(file);
    return settingsFor(folder).then((settings) => ({ settings, root: folder ? fileURLToPath(folder.uri) : undefined }));
  },
  readOpen: (file) => documents.get(pathToFileURL(file).toString())?.getText(),
  log,
});

function publish(uri: string): void {
  const a = results.get(uri);
  const findings = a?.findings ?? [];
  const confirmed = a ? confirmedFingerprints(a.file, findings, harness.confirmed, harness.tools) : new Set<string>();
  void connection.sendDiagnostics({
    uri,
    ...(a?.version !== undefined ? { version: a.version } : {}),
    diagnostics: findings.map((f) => toDiagnostic(f, confirmed.has(f.fingerprint))),
  });
  scheduleCounts();
}

let countsTimer: NodeJS.Timeout | undefined;
function scheduleCounts(): void {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = undefined;
    const counts = { errors: 0, warnings: 0, infos: 0, files: 0 };
    for (const a of results.values()) {
      if (a.findings.length) counts.files++;
      for (const f of a.findings) {
        if (f.severity === 'error') counts.errors++;
        else if (f.severity === 'warning') counts.warnings++;
        else counts.infos++;
      }
    }
    void connection.sendNotification(COUNTS, counts satisfies CountsParams);
  }, 50);
}

/** Analyses an open document and publishes its diagnostics, unless it changed meanwhile. */
async function validate(doc: TextDocument): Promise<void> {
  const timer = pending.get(doc.uri);
  if (timer) clearTimeout(timer);
  pending.delete(doc.uri);
  try {
    // Diagnostics need no fixes; a code action asks for them (below).
    const a = await cache.analyse(doc.uri, doc.getText(), doc.version, doc.languageId, { fixes: false });
    // The document changed or closed while we waited for settings or parsers: a newer run follows.
    if (documents.get(doc.uri)?.version !== doc.version) return;
    if (a) results.set(doc.uri, a);
    else results.delete(doc.uri);
    publish(doc.uri);
  } catch (err) {
    // One broken analysis must not take the server down: log it and keep serving.
    connection.console.error(`analysis of ${doc.uri} failed: ${(err as Error).stack ?? String(err)}`);
  }
}

/** Analyses a file from disk (scanned or closed files) and publishes its diagnostics. */
async function validateFromDisk(uri: string): Promise<number> {
  try {
    const file = fileURLToPath(uri);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      results.delete(uri);
      publish(uri);
      return 0;
    }
    const a = await cache.analyse(uri, text, undefined, undefined, { fixes: false });
    if (documents.get(uri)) return a?.findings.length ?? 0; // opened meanwhile: the editor's text wins
    if (a) results.set(uri, a);
    else results.delete(uri);
    publish(uri);
    return a?.findings.length ?? 0;
  } catch (err) {
    connection.console.error(`analysis of ${uri} failed: ${(err as Error).stack ?? String(err)}`);
    return 0;
  }
}

function revalidateAll(): void {
  cache.reset();
  for (const doc of documents.all()) void validate(doc);
  for (const uri of [...results.keys()]) if (!documents.get(uri)) void validateFromDisk(uri);
}

connection.onInitialize((params) => {
  folders = params.workspaceFolders ?? [];
  configurationSupport = params.capabilities.workspace?.configuration === true;
  snippetSupport = (params.capabilities.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
});

connection.onInitialized(() => {
  if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    folders = [...folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
    for (const removed of e.removed) {
      const dir = fileURLToPath(removed.uri);
      for (const uri of [...results.keys()]) {
        if (!documents.get(uri) && fileURLToPath(uri).startsWith(dir + path.sep)) {
          results.delete(uri);
          publish(uri);
        }
      }
    }
    settingsByFolder.clear();
    revalidateAll();
  });
  log(`MCP Warden language server ready (${folders.length} workspace folder(s))`);
});

connection.onDidChangeConfiguration(() => {
  settingsByFolder.clear();
  revalidateAll();
});

connection.onDidChangeWatchedFiles((e) => {
  let configChanged = false;
  for (const change of e.changes) {
    if (change.uri.endsWith('/.mcp-warden.json')) {
      configChanged = true;
      continue;
    }
    if (documents.get(change.uri)) continue; // the editor's buffer is authoritative
    if (change.type === FileChangeType.Deleted) {
      // A deleted or renamed-away file keeps no diagnostics.
      if (results.delete(change.uri)) publish(change.uri);
    } else if (workspaceScanned || results.has(change.uri)) {
      void validateFromDisk(change.uri);
    }
  }
  if (configChanged) revalidateAll();
});

/** Documents whose open event is being handled (TextDocuments fires a content change right after it). */
const opening = new Set<string>();
documents.onDidOpen((e) => {
  opening.add(e.document.uri);
  void validate(e.document);
});
documents.onDidChangeContent((e) => {
  // The change event that accompanies an open is already handled, without delay, above.
  if (opening.delete(e.document.uri)) return;
  const old = pending.get(e.document.uri);
  if (old) clearTimeout(old);
  pending.set(
    e.document.uri,
    setTimeout(() => void validate(e.document), CHANGE_DEBOUNCE_MS),
  );
});
documents.onDidSave((e) => void validate(e.document));
documents.onDidClose((e) => {
  const timer = pending.get(e.document.uri);
  if (timer) clearTimeout(timer);
  pending.delete(e.document.uri);
  cache.closed(e.document.uri);
  if (workspaceScanned && fs.existsSync(fileURLToPath(e.document.uri))) {
    // The workspace view shows every file: fall back to what is saved on disk.
    void validateFromDisk(e.document.uri);
  } else {
    results.delete(e.document.uri);
    publish(e.document.uri);
  }
});

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  try {
    let a = results.get(doc.uri);
    // The request may race a pending debounced analysis: answer for the text the editor shows.
    // Diagnostics were computed without the data-flow fixes: analyse again with them, once per version.
    if (!a || a.version !== doc.version || !a.withFixes) {
      a = await cache.analyse(doc.uri, doc.getText(), doc.version, doc.languageId, { fixes: true });
      if (!a) return [];
      const published = results.get(doc.uri);
      // Editors ask for code actions at every cursor move: keep the fixes for this version.
      if (published && published.version === a.version && documents.get(doc.uri)?.version === a.version) results.set(doc.uri, a);
    }
    return codeActions({
      uri: doc.uri,
      file: a.file,
      text: doc.getText(),
      language: a.language,
      findings: a.findings,
      diagnostics: params.context.diagnostics,
      snippets: snippetSupport,
      readText: (file) => cache.readText(file),
    });
  } catch (err) {
    connection.console.error(`code actions for ${doc.uri} failed: ${(err as Error).stack ?? String(err)}`);
    return [];
  }
});

connection.onRequest(SCAN_WORKSPACE, async (_params: unknown, token: CancellationToken): Promise<ScanResult> => {
  const started = Date.now();
  const files: string[] = [];
  for (const folder of folders) {
    const root = fileURLToPath(folder.uri);
    const settings = await settingsFor(folder);
    if (!settings.enable) continue;
    files.push(...(await cache.listFiles(root)));
  }
  workspaceScanned = true;
  let findings = 0;
  let done = 0;
  for (const file of files) {
    if (token.isCancellationRequested) break;
    const uri = pathToFileURL(file).toString();
    const doc = documents.get(uri);
    if (doc) {
      await validate(doc);
      findings += results.get(uri)?.findings.length ?? 0;
    } else {
      findings += await validateFromDisk(uri);
    }
    done++;
    if (done % 10 === 0 || done === files.length) {
      void connection.sendNotification(SCAN_PROGRESS, { done, total: files.length });
    }
    // Yield so edits, code actions and cancellation are served during a long scan.
    await new Promise((r) => setImmediate(r));
  }
  const result = { files: done, findings, elapsedMs: Date.now() - started, cancelled: token.isCancellationRequested };
  log(`workspace scan: ${result.files} file(s), ${result.findings} finding(s) in ${result.elapsedMs} ms${result.cancelled ? ' (cancelled)' : ''}`);
  return result;
});

connection.onNotification(HARNESS_RESULTS, (params: HarnessResultsParams) => {
  harness = { confirmed: params.confirmed ?? [], tools: params.tools ?? [] };
  for (const uri of results.keys()) publish(uri);
});

connection.onShutdown(() => cache.dispose());

process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? String(err)}`));
process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${String((err as Error)?.stack ?? err)}`));

documents.listen(connection);
connection.listen();
