/**
 * `retrylint.showSchedule`, the command of the server's code lenses: moves the cursor to the
 * retry site and opens the hover there, which holds the site's delay schedule.
 */
import * as vscode from 'vscode';

export const SHOW_SCHEDULE_COMMAND = 'retrylint.showSchedule';

interface LspPosition {
  readonly line: number;
  readonly character: number;
}

function isPosition(value: unknown): value is LspPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Record<string, unknown>;
  return Number.isInteger(line) && Number.isInteger(character);
}

export async function showSchedule(uri: unknown, position: unknown): Promise<boolean> {
  if (typeof uri !== 'string' || !isPosition(position)) return false;
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preserveFocus: false });
  const target = new vscode.Position(position.line, position.character);
  editor.selection = new vscode.Selection(target, target);
  editor.revealRange(new vscode.Range(target, target), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
  return true;
}
