/** Turns the pipeline's findings into the messages reporters print (ESLint's shape). */
import type { Finding, Fix, Language, Span, TextEdit } from '@retrylint/shared';
import { isCrossFileFix, renderFix } from '../fixes/index.js';
import type { FatalProblem } from '../lint.js';
import type { RangeEdit, ResultMessage, ResultSuggestion } from './results.js';

/** The text of lines `from`..`to` (1-based), whitespace-normalised. */
export function normalizedLines(lines: readonly string[], from: number, to: number): string {
  return lines
    .slice(from - 1, Math.max(from, to))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * How much unchanged text one merged fix may carry between its edits. A fix that adds an
 * import at the top and changes a call further down would otherwise copy everything in
 * between, once per finding: output that grows with the square of the file.
 */
export const MAX_MERGED_GAP_CHARS = 4096;

/**
 * ESLint's single-edit fix: several edits become one replacement over their whole range;
 * undefined when that would copy more than `MAX_MERGED_GAP_CHARS` of unchanged text.
 */
export function mergeEdits(text: string, edits: readonly TextEdit[]): RangeEdit | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const start = sorted[0].start;
  let cursor = start;
  let copied = 0;
  for (const edit of sorted) {
    copied += Math.max(0, edit.start - cursor);
    cursor = Math.max(cursor, edit.end);
  }
  if (copied > MAX_MERGED_GAP_CHARS) return undefined;
  cursor = start;
  let replacement = '';
  for (const edit of sorted) {
    replacement += text.slice(cursor, edit.start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return { range: [start, cursor], text: replacement };
}

type Rendered = { readonly edit: RangeEdit } | { readonly tooWide: true } | undefined;

function rendered(fix: Fix, text: string, language: Language): Rendered {
  const edits = renderFix(fix, text, language);
  if (!edits || edits.length === 0) return undefined;
  const edit = mergeEdits(text, edits);
  return edit ? { edit } : { tooWide: true };
}

function position(span: Span) {
  return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

export function findingMessage(finding: Finding, text: string, lines: readonly string[], language: Language): ResultMessage {
  // Rendered by the run once every file's own fixes are done (see cross-file-fixes.ts).
  const crossFileFix = finding.fix && isCrossFileFix(finding.fix) ? { desc: finding.fix.title, fix: finding.fix } : undefined;
  const safeFix = finding.fix?.applicability === 'safe' ? rendered(finding.fix, text, language) : undefined;
  const unsafeFix = finding.fix?.applicability === 'unsafe' ? rendered(finding.fix, text, language) : undefined;
  const suggestions: ResultSuggestion[] = [];
  // An unsafe fix is still worth offering where a person reviews it (an editor, a bot).
  if (unsafeFix && 'edit' in unsafeFix && finding.fix) suggestions.push({ desc: finding.fix.title, fix: unsafeFix.edit });
  for (const suggestion of finding.suggestions ?? []) {
    const fix = rendered(suggestion, text, language);
    if (fix && 'edit' in fix) suggestions.push({ desc: suggestion.title, fix: fix.edit });
  }
  return {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    severity: finding.severity === 'error' ? 2 : 1,
    message: finding.message,
    ...position(finding.span),
    ...(safeFix ? ('edit' in safeFix ? { fix: safeFix.edit } : { fixTooWide: true as const }) : {}),
    ...(suggestions.length > 0 ? { suggestions } : {}),
    ...(unsafeFix ? { unsafeFix: true as const } : {}),
    ...(crossFileFix ? { crossFileFix } : {}),
    lineText: normalizedLines(lines, finding.span.line, finding.span.endLine),
  };
}

export function fatalMessage(problem: FatalProblem, lines: readonly string[]): ResultMessage {
  return {
    ruleId: null,
    fatal: true,
    severity: 2,
    message: problem.message,
    ...position(problem.span),
    lineText: normalizedLines(lines, problem.span.line, problem.span.endLine),
  };
}

/** A problem of the file itself that is not a rule's finding (unreadable, binary, directive). */
export function fileNotice(message: string, where: Partial<Pick<ResultMessage, 'line' | 'column' | 'endColumn'>> = {}): ResultMessage {
  const line = where.line ?? 1;
  const column = where.column ?? 1;
  return {
    ruleId: null,
    severity: 1,
    message,
    line,
    column,
    endLine: line,
    endColumn: where.endColumn ?? column,
    lineText: '',
  };
}

export function byPosition(a: ResultMessage, b: ResultMessage): number {
  return a.line - b.line || a.column - b.column || (a.ruleId ?? '').localeCompare(b.ruleId ?? '');
}
