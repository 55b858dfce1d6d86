/**
 * What a run knows about each file once it is linted: messages in ESLint's shape (1-based
 * lines and columns, severity 1 = warning, 2 = error), their counts, and what the reporters
 * need beyond ESLint's fields. Plain data, so results cross worker threads unchanged.
 */

import type { Fix, TextEdit } from '@retrylint/shared';

/** ESLint's fix: replace `text` over the UTF-16 offsets `range`. */
export interface RangeEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

export interface ResultSuggestion {
  readonly desc: string;
  readonly fix: RangeEdit;
}

/** Edits in one file, offsets into that file's text as the run leaves it. */
export interface FileEdits {
  /** Absolute path. */
  readonly filePath: string;
  readonly edits: readonly RangeEdit[];
}

/**
 * A fix with edits in other files than the finding's (project mode); only
 * `--unsafe-fixes` applies it, after every file's own fixes.
 */
export interface CrossFileFixMessage {
  readonly desc: string;
  /** The rule's fix, rendered once every file's own fixes are done (its spans are offsets in the files as read). */
  readonly fix: Fix;
  /** The rendered edits, per file; absent until rendered, and when the fix cannot be written. */
  readonly files?: readonly FileEdits[];
}

export type SeverityNumber = 1 | 2;

export interface ResultMessage {
  /** The bare rule id; null for problems of the file itself (syntax error, unreadable, directive). */
  readonly ruleId: string | null;
  readonly messageId?: string;
  readonly severity: SeverityNumber;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The file could not be (fully) parsed. */
  readonly fatal?: true;
  /** The fix `--fix` applies (safe fixes only). */
  readonly fix?: RangeEdit;
  /**
   * A safe fix `--fix` applies whose edits lie too far apart to print as one ESLint-style
   * replacement (see `MAX_MERGED_GAP_CHARS`); it still counts as fixable.
   */
  readonly fixTooWide?: true;
  readonly suggestions?: readonly ResultSuggestion[];
  /** A fix exists that only `--unsafe-fixes` applies. */
  readonly unsafeFix?: true;
  readonly crossFileFix?: CrossFileFixMessage;
  /** The source of the reported lines, whitespace-normalised (for SARIF fingerprints). */
  readonly lineText: string;
}

export interface FileTimings {
  readMs: number;
  lintMs: number;
  fixMs: number;
}

export interface FileResult {
  /** Absolute path. */
  readonly filePath: string;
  readonly messages: readonly ResultMessage[];
  /** The file passed the prefilter and went through a parser. */
  readonly parsed: boolean;
  readonly timings: FileTimings;
  /** Fixes applied (or, for a dry run, that would be applied). */
  readonly fixesApplied: number;
  /** Unified diff of the fixes (dry run only, when something changed). */
  readonly diff?: string;
  /**
   * What the fixes changed, as edits on the text read (when they changed it): a cross-file
   * fix into this file was computed on that text and is mapped through them.
   */
  readonly fixChanges?: readonly TextEdit[];
  /** The file's config (or one it extends) is invalid: the run must stop with exit code 2. */
  readonly configErrors?: readonly string[];
}

export interface ResultCounts {
  readonly errorCount: number;
  readonly warningCount: number;
  readonly fatalErrorCount: number;
  readonly fixableErrorCount: number;
  readonly fixableWarningCount: number;
  /** Problems only `--unsafe-fixes` can fix. */
  readonly unsafeFixableCount: number;
}

export function countMessages(messages: readonly ResultMessage[]): ResultCounts {
  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  let unsafeFixableCount = 0;
  for (const message of messages) {
    if (message.severity === 2) {
      errorCount++;
      if (message.fatal) fatalErrorCount++;
      if (message.fix || message.fixTooWide) fixableErrorCount++;
    } else {
      warningCount++;
      if (message.fix || message.fixTooWide) fixableWarningCount++;
    }
    if (message.unsafeFix) unsafeFixableCount++;
  }
  return { errorCount, warningCount, fatalErrorCount, fixableErrorCount, fixableWarningCount, unsafeFixableCount };
}

export function sumCounts(results: readonly FileResult[]): ResultCounts {
  const total = {
    errorCount: 0,
    warningCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    unsafeFixableCount: 0,
  };
  for (const result of results) {
    const counts = countMessages(result.messages);
    for (const key of Object.keys(total) as (keyof ResultCounts)[]) total[key] += counts[key];
  }
  return total;
}
