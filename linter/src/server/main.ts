/**
 * The language server's entry point (`dist/server.cjs`, also started by `retrylint lsp`).
 * The transport comes from the command line: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RetrylintServer } from './server.js';

const connection = createConnection(ProposedFeatures.all);
// Console output would corrupt a stdio transport: route it to the client's log.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
new RetrylintServer(connection).listen();
