/**
 * Lints an editor buffer exactly as the CLI lints the same file on disk (same prefilter,
 * frontend, rules and suppressions, see cli/judge-text.ts), keeping what the editor needs
 * beyond the CLI's messages: the findings with their abstract fixes, and the retry sites.
 */
import type { Finding, Language, RetrySite } from '@retrylint/shared';
import { directiveMessages, judgeText, type JudgeSettings } from '../cli/judge-text.js';
import { DEFAULT_MAX_FILE_SIZE } from '../cli/lint-file.js';
import { fatalMessage, fileNotice } from '../cli/messages.js';
import type { ResultMessage } from '../cli/results.js';
import type { FileConfig } from '../config/file-config.js';

/** As the CLI's defaults: the prefilter on, unused directives not reported. */
export const EDITOR_JUDGE_SETTINGS: JudgeSettings = { prefilter: true, reportUnusedDisable: false };

export interface DocumentLint {
  readonly uri: string;
  readonly version: number;
  readonly filePath: string;
  readonly language: Language;
  readonly text: string;
  readonly config: FileConfig;
  /** Findings left after suppressions. */
  readonly findings: readonly Finding[];
  /** Problems of the file that are not findings: syntax errors, unknown ids in directives, size. */
  readonly notices: readonly ResultMessage[];
  readonly sites: readonly RetrySite[];
}

export interface DocumentInput {
  readonly uri: string;
  readonly version: number;
  readonly filePath: string;
  readonly language: Language;
  readonly text: string;
}

export async function lintDocument(input: DocumentInput, config: FileConfig): Promise<DocumentLint> {
  const base = { ...input, config };
  if (input.text.length > DEFAULT_MAX_FILE_SIZE) {
    const notice = fileNotice(`File skipped: it is over the size limit of ${DEFAULT_MAX_FILE_SIZE / (1024 * 1024)} MB.`);
    return { ...base, findings: [], notices: [notice], sites: [] };
  }
  const judged = await judgeText(input.text, input.filePath, input.language, config, EDITOR_JUDGE_SETTINGS);
  const lines = input.text.split(/\r\n|\r|\n/);
  const notices = [...judged.fatal.map((problem) => fatalMessage(problem, lines)), ...directiveMessages(judged, EDITOR_JUDGE_SETTINGS)];
  return { ...base, findings: judged.findings, notices, sites: judged.sites };
}
