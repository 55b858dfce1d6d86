/**
 * Code actions for retrylint diagnostics, per diagnostic in this order: the safe fix
 * (preferred), the unsafe fix and suggestions, a fix that edits another file, "Fix all retrylint problems in this file",
 * "Disable <rule> for this line", "Show documentation for <rule>". A fix-on-save request
 * (`source.fixAll`) gets one `source.fixAll.retrylint` action with the whole file's edit.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_COMMAND, FIX_ALL_KIND, SHOW_DOCUMENTATION_COMMAND } from './commands.js';
import { crossFileActions, type OtherFileReader } from './cross-file-actions.js';
import { readDiagnosticData, type DiagnosticData } from './diagnostic-data.js';
import { SOURCE } from './diagnostics.js';
import { disableLineEdit } from './disable-line.js';
import type { DocumentLint } from './document-lint.js';

export interface CodeActionContext {
  readonly document: TextDocument;
  readonly lint: DocumentLint;
  /** The whole file's safe fixes as one edit (computed only when asked for). */
  readonly fixAll: () => Promise<CodeAction['edit'] | undefined>;
  /** Whether a text still parses (a disable comment must not break the file). */
  readonly parses: (text: string) => boolean;
  /** Another file's text, for a fix that edits it (project mode); none: such fixes are not offered. */
  readonly readOtherFile?: OtherFileReader;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function fixActions(diagnostic: Diagnostic, data: DiagnosticData, document: TextDocument): CodeAction[] {
  if (data.version !== document.version) return []; // edits of an older text would land wrong
  return data.fixes.map((fix) => ({
    title: fix.kind === 'unsafe' ? `${fix.title} (unsafe)` : fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.kind === 'safe' ? { isPreferred: true } : {}),
    edit: { changes: { [document.uri]: [...fix.edits] } },
  }));
}

function fixAllCommandAction(document: TextDocument): CodeAction {
  const title = 'Fix all retrylint problems in this file';
  return {
    title,
    kind: CodeActionKind.QuickFix,
    command: { title, command: FIX_ALL_COMMAND, arguments: [{ uri: document.uri, version: document.version }] },
  };
}

function disableAction(diagnostic: Diagnostic, data: DiagnosticData, context: CodeActionContext): CodeAction | undefined {
  const { document, lint } = context;
  const edit = disableLineEdit(document, lint.language, diagnostic.range.start.line, data.ruleId);
  const text = document.getText();
  const offset = document.offsetAt(edit.range.start);
  const candidate = text.slice(0, offset) + edit.newText + text.slice(document.offsetAt(edit.range.end));
  // A comment line inside JSX text or a multi-line string would not be a comment.
  const parsedBefore = !lint.notices.some((notice) => notice.fatal);
  if (parsedBefore && !context.parses(candidate)) return undefined;
  return {
    title: `Disable ${data.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [document.uri]: [edit] } },
  };
}

function documentationAction(ruleId: string): CodeAction {
  const title = `Show documentation for ${ruleId}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    command: { title, command: SHOW_DOCUMENTATION_COMMAND, arguments: [{ ruleId }] },
  };
}

export async function codeActions(params: CodeActionParams, context: CodeActionContext): Promise<CodeAction[]> {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (only && only.length > 0 && wants(only, FIX_ALL_KIND)) {
    const edit = await context.fixAll();
    if (edit) actions.push({ title: 'Fix all retrylint problems', kind: FIX_ALL_KIND, edit });
  }
  if (!wants(only, CodeActionKind.QuickFix)) return actions;

  const seenTitles = new Set<string>();
  const add = (action: CodeAction | undefined) => {
    if (!action || seenTitles.has(action.title)) return;
    seenTitles.add(action.title);
    actions.push(action);
  };
  const fileHasSafeFix = context.lint.findings.some((finding) => finding.fix?.applicability === 'safe');
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const data = readDiagnosticData(diagnostic.data);
    if (!data) continue;
    for (const action of fixActions(diagnostic, data, context.document)) actions.push(action);
    if (context.readOtherFile && data.version === context.document.version) {
      actions.push(...(await crossFileActions(diagnostic, context.lint, context.document, context.readOtherFile)));
    }
    if (fileHasSafeFix) add(fixAllCommandAction(context.document));
    add(disableAction(diagnostic, data, context));
    add(documentationAction(data.ruleId));
  }
  return actions;
}
