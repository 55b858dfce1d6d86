/**
 * `retrylint lsp --stdio`: runs the language server bundle that ships next to the CLI's, so
 * the CLI itself does not load the LSP libraries. The server reads its transport from the
 * command line (`--stdio`, `--node-ipc`) and runs until the client ends the session.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { moduleDirectory } from './here.js';
import { UsageError } from './usage-error.js';

export interface LspCommandOptions {
  readonly stdio?: boolean;
  readonly nodeIpc?: boolean;
}

export function runLspCommand(options: LspCommandOptions): void {
  if (!options.stdio && !options.nodeIpc) {
    throw new UsageError('retrylint lsp needs a transport: --stdio (or --node-ipc when a Node client starts it)');
  }
  const bundle = path.join(moduleDirectory(), 'server.cjs');
  if (!existsSync(bundle)) throw new UsageError('the language server is not built: run `npm run build` first');
  createRequire(import.meta.url)(bundle);
}
