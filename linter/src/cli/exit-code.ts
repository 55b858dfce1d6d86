import type { ResultCounts } from './results.js';

export const EXIT_CLEAN = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_FAILURE = 2;

/** ESLint's rule: errors fail the run; warnings only above `--max-warnings` (when set, >= 0). */
export function exitCodeFor(counts: ResultCounts, maxWarnings: number | undefined): number {
  if (counts.errorCount > 0) return EXIT_PROBLEMS;
  if (maxWarnings !== undefined && maxWarnings >= 0 && counts.warningCount > maxWarnings) return EXIT_PROBLEMS;
  return EXIT_CLEAN;
}
