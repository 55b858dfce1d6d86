/**
 * `retrylint.lintWorkspace`: asks the server to lint every file of every workspace folder.
 * The server's work-done progress drives a cancellable notification; its diagnostics land
 * in the Problems panel.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { LintWorkspaceRequest, type LintWorkspaceResult } from './protocol.js';

export const LINT_WORKSPACE_COMMAND = 'retrylint.lintWorkspace';

function summary(result: LintWorkspaceResult): string {
  const files = result.files === 1 ? '1 file' : `${result.files} files`;
  const problems = result.problems === 1 ? '1 problem' : `${result.problems} problems`;
  return result.cancelled ? `retrylint: cancelled after ${files} (${problems} so far).` : `retrylint: ${problems} in ${files}.`;
}

export async function lintWorkspace(client: LanguageClient): Promise<LintWorkspaceResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'retrylint: linting the workspace', cancellable: true },
    async (progress, cancellation) => {
      const workDoneToken = randomUUID();
      let reported = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const increment = value.percentage === undefined ? undefined : Math.max(0, value.percentage - reported);
        if (value.percentage !== undefined) reported = value.percentage;
        progress.report({ message: value.message, increment });
      });
      try {
        const result = await client.sendRequest(LintWorkspaceRequest, { workDoneToken }, cancellation);
        void vscode.window.showInformationMessage(summary(result));
        return result;
      } catch (error) {
        if (cancellation.isCancellationRequested) {
          void vscode.window.showInformationMessage('retrylint: workspace lint cancelled.');
          return undefined;
        }
        throw error;
      } finally {
        listener.dispose();
      }
    },
  );
}
