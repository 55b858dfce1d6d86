import type { Fix } from '../fix.js';
import type { Policy } from '../policy/options.js';
import type { Language, RetrySite } from '../site.js';
import type { Span } from '../span.js';

export type Severity = 'off' | 'warn' | 'error';

export interface RuleMeta<MessageIds extends string> {
  /** kebab-case id, also the file name: `rules/<id>.ts`, `docs/rules/<id>.md`. */
  readonly id: string;
  /** problem: the code is wrong; suggestion: the code could be better. */
  readonly type: 'problem' | 'suggestion';
  /** One line for `retrylint rules` and SARIF's shortDescription. */
  readonly description: string;
  readonly docsUrl: string;
  /** Severity in the `recommended` config. */
  readonly defaultSeverity: Severity;
  /** Severity in the `strict` config. */
  readonly strictSeverity: Severity;
  /**
   * Message templates with `{{name}}` placeholders. A message may carry its own severity
   * for the recommended config (bounded-attempts: error when unbounded, warn above the limit).
   */
  readonly messages: Record<MessageIds, string>;
  readonly messageSeverity?: Partial<Record<MessageIds, 'warn' | 'error'>>;
  /** The best fix the rule can offer: 'safe' and 'unsafe' are applied by --fix / --unsafe-fixes. */
  readonly fixable: 'safe' | 'unsafe' | 'suggestion' | 'none';
  /** Languages whose frontends can produce what this rule reads. */
  readonly languages: readonly Language[];
  /** JSON Schema of the rule's options object, with defaults. */
  readonly optionsSchema?: Record<string, unknown>;
}

export interface Report<MessageIds extends string> {
  readonly messageId: MessageIds;
  readonly data?: Record<string, string | number>;
  readonly span: Span;
  /** Applied by --fix (safe) or --unsafe-fixes (unsafe). */
  readonly fix?: Fix;
  /** Offered in the editor only. */
  readonly suggestions?: readonly Fix[];
}

export interface Rule<MessageIds extends string = string, Options = Record<string, never>> {
  readonly meta: RuleMeta<MessageIds>;
  readonly defaultOptions: Options;
  /** Judge one site. Must be silent when a deciding value is unknown. */
  check(site: RetrySite, policy: Policy, options: Options): Report<MessageIds>[];
}

/** Lets TypeScript check message ids in reports (typescript-eslint's createRule). */
export function defineRule<MessageIds extends string, Options = Record<string, never>>(
  rule: Rule<MessageIds, Options>,
): Rule<MessageIds, Options> {
  return rule;
}

export const DOCS_BASE_URL = 'https://github.com/retrylint/retrylint/blob/main/shared/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/** Fills `{{name}}` placeholders. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in data ? String(data[key]) : whole,
  );
}
