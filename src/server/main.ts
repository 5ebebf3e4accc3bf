import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLinter, VSCODE_LANGUAGE_IDS, type Linter } from '../core';
import { toDiagnostic } from './diagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const linterReady: Promise<Linter> = createLinter();

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
}));

async function validate(doc: TextDocument): Promise<void> {
  const language = VSCODE_LANGUAGE_IDS[doc.languageId];
  if (!language || !doc.uri.startsWith('file:')) return;
  const linter = await linterReady;
  const result = linter.lintText(fileURLToPath(doc.uri), doc.getText(), { language });
  await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: result.findings.map(toDiagnostic) });
}

documents.onDidChangeContent((e) => void validate(e.document));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
