/** `retrylint.openRuleDocumentation`: a quick pick of the rules; opens the chosen rule's page. */
import { rules } from '@retrylint/shared';
import * as vscode from 'vscode';

export const OPEN_RULE_DOCUMENTATION_COMMAND = 'retrylint.openRuleDocumentation';

interface RuleItem extends vscode.QuickPickItem {
  readonly docsUrl: string;
}

/** The rule of the diagnostic under the cursor, if retrylint reported one there. */
function ruleAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const cursor = editor.selection.active;
  const diagnostic = vscode.languages
    .getDiagnostics(editor.document.uri)
    .find((candidate) => candidate.source === 'retrylint' && candidate.range.contains(cursor));
  const code = diagnostic?.code;
  if (typeof code === 'object') return String(code.value);
  return code === undefined ? undefined : String(code);
}

export async function openRuleDocumentation(): Promise<boolean> {
  const current = ruleAtCursor();
  const items: RuleItem[] = rules.map((rule) => ({
    label: rule.meta.id,
    detail: rule.meta.description,
    docsUrl: rule.meta.docsUrl,
  }));
  // The rule under the cursor comes first, so Enter opens it.
  items.sort((a, b) => Number(b.label === current) - Number(a.label === current));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'retrylint: open rule documentation',
    placeHolder: 'Choose a rule',
    matchOnDetail: true,
  });
  if (!picked) return false;
  return vscode.env.openExternal(vscode.Uri.parse(picked.docsUrl));
}
