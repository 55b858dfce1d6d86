import { rules, type AnyRule } from '@retrylint/shared';
import { readRuleDoc } from './rule-docs.js';
import { UsageError } from './usage-error.js';

function fixLabel(rule: AnyRule): string {
  return rule.meta.fixable === 'none' ? '' : rule.meta.fixable;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

/** `retrylint rules`: every rule with its default severity, fix kind and summary. */
export function rulesTable(): string {
  const header = ['rule', 'recommended', 'strict', 'fix', 'description'];
  const rows = rules.map((rule) => [
    rule.meta.id,
    rule.meta.defaultSeverity,
    rule.meta.strictSeverity,
    fixLabel(rule),
    rule.meta.description,
  ]);
  return `${table([header, ...rows])}\n`;
}

/** `retrylint rule <id>`: the rule's doc page. */
export function ruleDocText(ruleId: string): string {
  const rule = rules.find((candidate) => candidate.meta.id === ruleId);
  if (!rule) {
    const near = rules.map((candidate) => candidate.meta.id).filter((id) => id.includes(ruleId) || ruleId.includes(id));
    const hint = near.length > 0 ? ` Did you mean ${near.map((id) => `"${id}"`).join(' or ')}?` : '';
    throw new UsageError(`unknown rule "${ruleId}".${hint} See \`retrylint rules\`.`);
  }
  const doc = readRuleDoc(ruleId);
  if (doc) return doc.endsWith('\n') ? doc : `${doc}\n`;
  return `# ${rule.meta.id}\n\n${rule.meta.description}\n\n${rule.meta.docsUrl}\n`;
}
