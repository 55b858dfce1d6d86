import type { LintFileSettings } from './lint-file.js';

/** What the pool sends a worker per file. */
export interface LintTask {
  readonly filePath: string;
  readonly settings: LintFileSettings;
}
