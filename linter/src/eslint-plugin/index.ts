/**
 * retrylint as an ESLint plugin (flat config):
 *
 *   import retrylint from 'retrylint/eslint-plugin';
 *   export default [retrylint.configs.recommended];
 *
 * Each ESLint rule runs the TypeScript frontend on the tree ESLint parsed (espree or
 * @typescript-eslint/parser) and the shared rule of the same id.
 */
import type { ESLint, Linter, Rule } from 'eslint';
import { rules as sharedRules, type Severity } from '@retrylint/shared';
import { toEslintRule } from './rule-adapter.js';

const PLUGIN_NAME = 'retrylint';
const VERSION = '0.1.0';

const rules: Record<string, Rule.RuleModule> = Object.fromEntries(sharedRules.map((rule) => [rule.meta.id, toEslintRule(rule)]));

function ruleLevels(pick: (rule: (typeof sharedRules)[number]) => Severity): Linter.RulesRecord {
  return Object.fromEntries(sharedRules.map((rule) => [`${PLUGIN_NAME}/${rule.meta.id}`, pick(rule)]));
}

const plugin = {
  meta: { name: 'retrylint/eslint-plugin', version: VERSION },
  rules,
  configs: {} as Record<'recommended' | 'strict', Linter.Config>,
} satisfies ESLint.Plugin;

plugin.configs.recommended = {
  name: `${PLUGIN_NAME}/recommended`,
  plugins: { [PLUGIN_NAME]: plugin },
  rules: ruleLevels((rule) => rule.meta.defaultSeverity),
};

plugin.configs.strict = {
  name: `${PLUGIN_NAME}/strict`,
  plugins: { [PLUGIN_NAME]: plugin },
  rules: ruleLevels((rule) => rule.meta.strictSeverity),
  settings: { retrylint: { policy: { judgeLibraryDefaults: true } } },
};

export default plugin;
