// Entry point of dist/server.js. The same bundle is the body of the analysis worker thread
// (./isolate.ts), so that the worker needs no second bundle and loads the same code.
import { isMainThread, workerData } from 'node:worker_threads';
import { ANALYSIS_WORKER_TAG, runAnalysisWorker } from './worker';

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[ANALYSIS_WORKER_TAG] === true) {
  runAnalysisWorker();
} else {
  // Loaded only here: the server module opens the LSP connection when it is evaluated.
  require('./server');
}
