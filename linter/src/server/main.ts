/**
 * The language server's entry point (`dist/server.cjs`, also started by `retrylint lsp`).
 * The transport comes from the command line: `--stdio`, `--node-ipc` or `--socket=<port>`.
 * The same bundle started as a worker thread with ProjectWorkerData is the project worker.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { isProjectWorkerData } from './project-messages.js';
import { runProjectWorker } from './project-worker.js';
import { RetrylintServer } from './server.js';

function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // Console output would corrupt a stdio transport: route it to the client's log.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  new RetrylintServer(connection).listen();
}

if (!isMainThread && isProjectWorkerData(workerData)) runProjectWorker(workerData.maxPrograms);
else startServer();
