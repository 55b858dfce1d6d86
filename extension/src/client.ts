/**
 * Starts the language server bundled in the extension (dist/server/server.cjs) as a Node
 * module over stdio, with the parsers' WebAssembly files next to it: nothing is installed
 * globally and nothing outside the extension folder is needed.
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR } from './languages.js';
import type { InitializationOptions } from './protocol.js';
import { withRetryLabLenses } from './retry-lab/code-lens.js';

export const CLIENT_ID = 'retrylint';
const CLIENT_NAME = 'retrylint';

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const serverDirectory = context.asAbsolutePath('dist/server');
  const run = {
    module: context.asAbsolutePath('dist/server/server.cjs'),
    transport: TransportKind.stdio,
    options: { env: { ...process.env, RETRYLINT_WASM_DIR: serverDirectory } },
  };
  return { run, debug: run };
}

export function createClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel, restricted: boolean): LanguageClient {
  const initializationOptions: InitializationOptions = { restricted };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
    initializationOptions,
    // The server pulls settings per folder; this tells it when they change. It watches the
    // config and ignore files itself (dynamic registration of workspace/didChangeWatchedFiles).
    synchronize: { configurationSection: CLIENT_ID },
    // A broken server should be visible in the status bar, not in a stream of pop-ups.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        return lenses ? withRetryLabLenses(lenses) : lenses;
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(context), clientOptions);
}
