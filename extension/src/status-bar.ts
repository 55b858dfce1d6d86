/** The status bar item: the server's state and problem count (`retrylint/status`); a click shows the output. */
import * as vscode from 'vscode';
import type { StatusParams } from './protocol.js';

export const SHOW_OUTPUT_COMMAND = 'retrylint.showOutput';

const ICONS: Readonly<Record<StatusParams['state'], string>> = {
  ok: '$(check)',
  warning: '$(warning)',
  error: '$(error)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('retrylint.status', vscode.StatusBarAlignment.Right, 100);
  private restricted = false;

  constructor() {
    this.item.name = 'retrylint';
    this.item.command = SHOW_OUTPUT_COMMAND;
    this.starting();
    this.item.show();
  }

  setRestricted(restricted: boolean): void {
    this.restricted = restricted;
  }

  starting(): void {
    this.item.backgroundColor = undefined;
    this.render('$(sync~spin) retrylint', 'retrylint: starting the language server');
  }

  stopped(): void {
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.render('$(circle-slash) retrylint', 'retrylint: the language server is not running. Click to see its output.');
  }

  update(status: StatusParams): void {
    const problems = status.problems === 1 ? '1 problem' : `${status.problems} problems`;
    this.item.backgroundColor =
      status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const detail = status.message ?? (status.problems > 0 ? `${problems} in open files` : 'no problems in open files');
    this.render(`${ICONS[status.state]} retrylint ${status.problems}`, `retrylint: ${detail}`);
  }

  private render(text: string, tooltip: string): void {
    this.item.text = this.restricted ? `${text} $(shield)` : text;
    this.item.tooltip = this.restricted
      ? `${tooltip}\n\nRestricted mode (untrusted workspace): lint only, no fixes are applied.`
      : tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
