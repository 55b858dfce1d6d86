import type { FileResult } from '../cli/results.js';

/** What a formatter may know about the run besides the results. */
export interface ReportContext {
  /** Paths in reports are relative to this folder. */
  readonly cwd: string;
  /** Write ANSI colours (decided by the CLI: TTY, NO_COLOR, FORCE_COLOR). */
  readonly color: boolean;
  readonly toolVersion: string;
  /** The Markdown doc page of a rule, when the docs are shipped. */
  readonly ruleDoc: (ruleId: string) => string | undefined;
}

/** One output format: every file's results in, the whole output text out. */
export type Formatter = (results: readonly FileResult[], context: ReportContext) => string;
