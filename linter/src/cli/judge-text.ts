/**
 * One text through the pipeline as the CLI sees it: prefilter, frontend and rules, then
 * inline suppressions; its messages in the reporters' shape; and its fixes applied with
 * the re-parse check. The CLI (from disk) and the language server (from an editor's
 * buffer) both call these, so they cannot disagree about a file.
 */
import { ruleIds, type Finding, type Language, type RetrySite } from '@retrylint/shared';
import type { FileConfig } from '../config/file-config.js';
import { applySuppressions, parseDirectives, type UnusedDirective } from '../config/suppressions.js';
import { applyFixes, type FixOutcome } from '../fixes/index.js';
import { frontendFor } from '../frontends/index.js';
import { isFatal, lintText, type FatalProblem } from '../lint.js';
import { byPosition, fatalMessage, fileNotice, findingMessage } from './messages.js';
import { mayContainRetryCode } from './prefilter.js';
import type { ResultMessage } from './results.js';

export interface JudgeSettings {
  /** false parses every file (the prefilter is a speed-up, never a filter of findings). */
  readonly prefilter: boolean;
  readonly reportUnusedDisable: boolean;
}

export interface Judged {
  readonly fatal: readonly FatalProblem[];
  /** Findings left after suppressions. */
  readonly findings: readonly Finding[];
  readonly unused: readonly UnusedDirective[];
  readonly unknownIds: readonly { line: number; column: number; endColumn: number; ruleId: string }[];
  readonly parsed: boolean;
  readonly sites: readonly RetrySite[];
}

export async function judgeText(
  text: string,
  filePath: string,
  language: Language,
  config: FileConfig,
  settings: JudgeSettings,
): Promise<Judged> {
  const parsed = !settings.prefilter || mayContainRetryCode(text, language);
  const result = parsed ? await lintText(text, filePath, config) : undefined;
  const messages = result?.messages ?? [];
  const fatal = messages.filter(isFatal);
  const findings = messages.filter((message): message is Finding => !isFatal(message));
  const directives = parseDirectives(text, language);
  const { kept, unused } = applySuppressions(
    findings.map((finding) => ({ finding, ruleId: finding.ruleId, line: finding.span.line })),
    directives,
  );
  const unknownIds = directives.flatMap((directive) =>
    directive.ruleIds
      .filter((ruleId) => !ruleIds.includes(ruleId))
      .map((ruleId) => ({ line: directive.line, column: directive.column, endColumn: directive.endColumn, ruleId })),
  );
  return { fatal, findings: kept.map((item) => item.finding), unused, unknownIds, parsed, sites: result?.sites ?? [] };
}

export function directiveMessages(judged: Judged, settings: JudgeSettings): ResultMessage[] {
  const messages = judged.unknownIds.map((unknownId) =>
    fileNotice(`Unknown rule "${unknownId.ruleId}" in a retrylint directive.`, unknownId),
  );
  if (!settings.reportUnusedDisable) return messages;
  for (const { directive, ruleId } of judged.unused) {
    if (ruleId !== undefined && !ruleIds.includes(ruleId)) continue; // already reported as unknown
    const what = ruleId === undefined ? '' : ` from '${ruleId}'`;
    messages.push(
      fileNotice(`Unused retrylint-${directive.kind} directive (no problems were reported${what}).`, directive),
    );
  }
  return messages;
}

/** The messages of a judged text, sorted by position, with their fixes rendered against `text`. */
export function judgedMessages(judged: Judged, text: string, language: Language, settings: JudgeSettings): ResultMessage[] {
  const directives = directiveMessages(judged, settings);
  // Most files have nothing to report: no need to split them into lines.
  if (judged.fatal.length === 0 && judged.findings.length === 0) return directives.sort(byPosition);
  const lines = text.split(/\r\n|\r|\n/);
  return [
    ...judged.fatal.map((problem) => fatalMessage(problem, lines)),
    ...judged.findings.map((finding) => findingMessage(finding, text, lines, language)),
    ...directives,
  ].sort(byPosition);
}

/** `--fix` on a text: re-lint after each pass, keep only fixes whose result still parses. */
export async function fixText(
  text: string,
  filePath: string,
  language: Language,
  config: FileConfig,
  options: JudgeSettings & { readonly unsafe: boolean },
): Promise<FixOutcome> {
  const frontend = await frontendFor(language);
  return applyFixes(text, {
    language,
    unsafe: options.unsafe,
    lint: async (candidate) => (await judgeText(candidate, filePath, language, config, { ...options, prefilter: false })).findings,
    parses: (candidate) => frontend.parses(candidate, filePath),
  });
}
