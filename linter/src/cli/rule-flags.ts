import { ruleIds, type RuleSetting, type Severity } from '@retrylint/shared';
import { UsageError } from './usage-error.js';

const SEVERITY_NAMES: Readonly<Record<string, Severity>> = {
  off: 'off',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  '0': 'off',
  '1': 'warn',
  '2': 'error',
};

/** `--rule id:severity`, repeatable; later flags win. */
export function parseRuleFlags(flags: readonly string[]): Record<string, RuleSetting> | undefined {
  if (flags.length === 0) return undefined;
  const settings: Record<string, RuleSetting> = {};
  for (const flag of flags) {
    const separator = flag.lastIndexOf(':');
    const id = flag.slice(0, separator).trim();
    const severity = SEVERITY_NAMES[flag.slice(separator + 1).trim()];
    if (separator < 1 || !severity) {
      throw new UsageError(`--rule expects id:severity (off, warn or error), got "${flag}"`);
    }
    if (!ruleIds.includes(id)) throw new UsageError(`--rule: unknown rule "${id}" (see \`retrylint rules\`)`);
    settings[id] = severity;
  }
  return settings;
}
