/**
 * `retrylint/lintWorkspace`: every file `retrylint <folder>` would lint, in every workspace
 * folder, with the same walk, ignore files and configs. Open documents are linted from
 * their buffers (the editor already shows those results); the others get their
 * diagnostics published. Reports work-done progress and stops when the request is cancelled.
 */
import { readFile } from 'node:fs/promises';
import {
  RequestType,
  type CancellationToken,
  type Diagnostic,
  type WorkDoneProgressParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf } from '../frontends/index.js';
import { diagnosticsOf } from './diagnostics.js';
import { lintDocument } from './document-lint.js';
import { uriOf } from './documents.js';
import type { RetrylintServer } from './server.js';

export type LintWorkspaceParams = WorkDoneProgressParams;

export interface LintWorkspaceResult {
  readonly files: number;
  readonly problems: number;
  readonly cancelled: boolean;
}

export const LintWorkspaceRequest = new RequestType<LintWorkspaceParams, LintWorkspaceResult, void>('retrylint/lintWorkspace');

const PROGRESS_TITLE = 'retrylint: linting the workspace';

/** The reporter for the client's token, else one the server creates (its UI can cancel it). */
async function progressFor(server: RetrylintServer, params: LintWorkspaceParams): Promise<{ reporter: WorkDoneProgressReporter; uiCancel?: CancellationToken }> {
  const { window } = server.connection;
  if (params.workDoneToken !== undefined) return { reporter: window.attachWorkDoneProgress(params.workDoneToken) };
  if (server.clientCapabilities.window?.workDoneProgress) {
    const reporter = await window.createWorkDoneProgress();
    return { reporter, uiCancel: reporter.token };
  }
  return { reporter: window.attachWorkDoneProgress(undefined) };
}

/** The workspace's lintable files, each once (under its innermost folder), with that folder. */
async function workspaceFiles(server: RetrylintServer): Promise<{ filePath: string; folder: string }[]> {
  const files: { filePath: string; folder: string }[] = [];
  for (const folder of server.workspaceFolders()) {
    const settings = await server.settingsFor(uriOf(folder));
    if (!settings.enable) continue;
    for (const filePath of await server.configs.filesOf(folder, settings)) {
      if (server.folderFor(filePath) === folder) files.push({ filePath, folder });
    }
  }
  return files;
}

async function lintClosedFile(server: RetrylintServer, filePath: string, folder: string): Promise<Diagnostic[] | undefined> {
  const language = languageOf(filePath);
  if (!language) return undefined;
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch {
    return undefined; // gone or unreadable since the walk: nothing to show
  }
  const uri = uriOf(filePath);
  const settings = await server.settingsFor(uri);
  const { config } = server.configs.configFor(filePath, folder, settings);
  const lint = await lintDocument({ uri, version: 0, filePath, language, text }, config);
  return diagnosticsOf(lint, TextDocument.create(uri, language, 0, text));
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function lintWorkspace(server: RetrylintServer, params: LintWorkspaceParams, token: CancellationToken): Promise<LintWorkspaceResult> {
  const { reporter, uiCancel } = await progressFor(server, params);
  const cancelled = () => token.isCancellationRequested || uiCancel?.isCancellationRequested === true;
  reporter.begin(PROGRESS_TITLE, 0, 'finding files', true);
  let linted = 0;
  let problems = 0;
  try {
    const files = await workspaceFiles(server);
    let reportedPercent = -1;
    for (const { filePath, folder } of files) {
      // Lets the cancellation (a message like any other) arrive between two files.
      await nextTurn();
      if (cancelled()) return { files: linted, problems, cancelled: true };
      const uri = uriOf(filePath);
      const open = server.documents.get(uri);
      if (open) {
        problems += (await server.current(open))?.diagnostics.length ?? 0;
      } else {
        const diagnostics = await lintClosedFile(server, filePath, folder);
        if (diagnostics) {
          problems += diagnostics.length;
          server.publishWorkspaceDiagnostics(uri, diagnostics);
        }
      }
      linted++;
      const percent = Math.floor((100 * linted) / files.length);
      if (percent !== reportedPercent) {
        reportedPercent = percent;
        reporter.report(percent, `${linted}/${files.length} files, ${problems} problems`);
      }
    }
    return { files: linted, problems, cancelled: false };
  } finally {
    reporter.done();
    server.afterWorkspaceLint();
  }
}
