/**
 * The one pipeline every face shares: text -> frontend -> sites -> rules -> findings.
 */
import { judgeSites, type Finding, type Language, type Policy, type RetrySite, type RuleSettings, type Span } from '@retrylint/shared';
import { frontendFor, languageOf } from './frontends/index.js';

/** A file that could not be (fully) read or parsed: ESLint's `fatal` message. */
export interface FatalProblem {
  readonly ruleId: null;
  readonly fatal: true;
  readonly message: string;
  readonly severity: 'error';
  readonly span: Span;
}

export type LintMessage = Finding | FatalProblem;

export interface LintOptions {
  readonly policy: Policy;
  readonly rules: RuleSettings;
}

export interface FileLintResult {
  readonly filePath: string;
  readonly language: Language | undefined;
  readonly messages: readonly LintMessage[];
  /** The retry sites the frontend found (the editor's hover and code lens read them). */
  readonly sites: readonly RetrySite[];
}

export function isFatal(message: LintMessage): message is FatalProblem {
  return message.ruleId === null;
}

export async function lintText(text: string, filePath: string, options: LintOptions): Promise<FileLintResult> {
  const language = languageOf(filePath);
  if (!language) return { filePath, language, messages: [], sites: [] };
  const frontend = await frontendFor(language);
  const model = frontend.extract(text, filePath);
  const fatal: FatalProblem[] = model.parseErrors.map((error) => ({
    ruleId: null,
    fatal: true,
    message: `Parsing error: ${error.message}`,
    severity: 'error',
    span: error.span,
  }));
  const findings = judgeSites(model.sites, options.policy, options.rules);
  return { filePath, language, messages: [...fatal, ...findings], sites: model.sites };
}
