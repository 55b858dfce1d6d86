/**
 * Runs the rules over a file's sites: the one place where severities and options from a
 * config meet the rules. Every face of the product (CLI, ESLint plugin, language server)
 * calls this, so they cannot disagree.
 */
import type { Fix } from './fix.js';
import type { ResolvedRuleSetting } from './policy/config.js';
import type { Policy } from './policy/options.js';
import { rules, type AnyRule } from './rules/index.js';
import { formatMessage, type Severity } from './rules/rule.js';
import type { RetrySite } from './site.js';
import type { Span } from './span.js';

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly severity: 'warn' | 'error';
  readonly span: Span;
  readonly fix?: Fix;
  readonly suggestions?: readonly Fix[];
  /** The site the finding is about. */
  readonly siteId: string;
}

export type RuleSettings = Readonly<Record<string, ResolvedRuleSetting>>;

function severityFor(rule: AnyRule, setting: ResolvedRuleSetting | undefined, messageId: string): Severity {
  const configured = setting?.severity ?? 'default';
  if (configured !== 'default') return configured;
  const perMessage = rule.meta.messageSeverity?.[messageId];
  if (rule.meta.defaultSeverity === 'off') return 'off';
  return perMessage ?? rule.meta.defaultSeverity;
}

export function judgeSites(sites: readonly RetrySite[], policy: Policy, settings: RuleSettings): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = settings[rule.meta.id];
    if (setting?.severity === 'off') continue;
    if (!setting && rule.meta.defaultSeverity === 'off') continue;
    const options = { ...rule.defaultOptions, ...setting?.options };
    for (const site of sites) {
      if (!rule.meta.languages.includes(site.language)) continue;
      for (const report of rule.check(site, policy, options)) {
        const severity = severityFor(rule, setting, report.messageId);
        if (severity === 'off') continue;
        const finding: Finding = {
          ruleId: rule.meta.id,
          messageId: report.messageId,
          message: formatMessage(rule.meta.messages[report.messageId] ?? report.messageId, report.data),
          severity,
          span: report.span,
          siteId: site.id,
          ...(report.fix ? { fix: report.fix } : {}),
          ...(report.suggestions?.length ? { suggestions: report.suggestions } : {}),
        };
        findings.push(finding);
      }
    }
  }
  return dedupe(findings).sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
}

/** The same rule and message at the same place once (a call shared by two sites). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}|${finding.messageId}|${finding.span.start}|${finding.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
