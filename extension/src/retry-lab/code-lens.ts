/**
 * A "Test in Retry Lab" lens next to each of the server's schedule lenses: the language
 * client's middleware adds it, so the server's lenses stay the linter's alone.
 */
import * as vscode from 'vscode';
import { SHOW_SCHEDULE_COMMAND } from '../show-schedule.js';

export const TEST_SITE_COMMAND = 'retrylint.retryLab.testSite';

export function withRetryLabLenses(lenses: readonly vscode.CodeLens[]): vscode.CodeLens[] {
  return lenses.flatMap((lens) => {
    if (lens.command?.command !== SHOW_SCHEDULE_COMMAND) return [lens];
    const test = new vscode.CodeLens(lens.range, { title: 'Test in Retry Lab', command: TEST_SITE_COMMAND, arguments: lens.command.arguments ?? [] });
    return [lens, test];
  });
}
