/** A document's lint result as LSP diagnostics. */
import { getRule, type Finding, type Fix, type Language } from '@retrylint/shared';
import { Diagnostic, DiagnosticSeverity, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ResultMessage } from '../cli/results.js';
import { renderFix } from '../fixes/index.js';
import type { DataFix, DiagnosticData, FixKind } from './diagnostic-data.js';
import type { DocumentLint } from './document-lint.js';

export const SOURCE = 'retrylint';

function rangeOf(document: TextDocument, start: number, end: number): Range {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

/** A fix through a slot in another file renders to nothing here (`renderFix` declines it): cross-file-actions.ts offers it. */
function dataFix(fix: Fix, kind: FixKind, document: TextDocument, language: Language): DataFix | undefined {
  const edits = renderFix(fix, document.getText(), language);
  if (!edits || edits.length === 0) return undefined;
  const lspEdits: TextEdit[] = edits.map((edit) => ({ range: rangeOf(document, edit.start, edit.end), newText: edit.text }));
  return { title: fix.title, kind, edits: lspEdits };
}

/** The same fixes, in the same states, as the CLI's messages (cli/messages.ts). */
function fixesOf(finding: Finding, document: TextDocument, language: Language): DataFix[] {
  const fixes: (DataFix | undefined)[] = [];
  if (finding.fix?.applicability === 'safe') fixes.push(dataFix(finding.fix, 'safe', document, language));
  if (finding.fix?.applicability === 'unsafe') fixes.push(dataFix(finding.fix, 'unsafe', document, language));
  for (const suggestion of finding.suggestions ?? []) fixes.push(dataFix(suggestion, 'suggestion', document, language));
  return fixes.filter((fix): fix is DataFix => fix !== undefined);
}

function findingDiagnostic(finding: Finding, lint: DocumentLint, document: TextDocument): Diagnostic {
  const fixes = fixesOf(finding, document, lint.language);
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    version: lint.version,
    fixable: fixes.some((fix) => fix.kind === 'safe'),
    unsafe: fixes.some((fix) => fix.kind === 'unsafe'),
    fixes,
  };
  const docsUrl = getRule(finding.ruleId)?.meta.docsUrl;
  return {
    range: rangeOf(document, finding.span.start, finding.span.end),
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SOURCE,
    code: finding.ruleId,
    ...(docsUrl ? { codeDescription: { href: docsUrl } } : {}),
    message: finding.message,
    data,
  };
}

function noticeDiagnostic(notice: ResultMessage): Diagnostic {
  const range: Range = {
    start: { line: notice.line - 1, character: notice.column - 1 },
    end: { line: notice.endLine - 1, character: notice.endColumn - 1 },
  };
  return {
    range,
    severity: notice.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SOURCE,
    message: notice.message,
  };
}

export function inDocumentOrder(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `document` must hold the text that was linted (same version). */
export function diagnosticsOf(lint: DocumentLint, document: TextDocument): Diagnostic[] {
  return inDocumentOrder([...lint.notices.map(noticeDiagnostic), ...lint.findings.map((finding) => findingDiagnostic(finding, lint, document))]);
}
