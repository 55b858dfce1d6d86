export * from './span.js';
export * from './site.js';
export * from './fix.js';
export * from './judge.js';
export * from './policy/options.js';
export * from './policy/profiles.js';
export * from './policy/config.js';
export * from './rules/rule.js';
export { rules, getRule, ruleIds, type AnyRule } from './rules/index.js';
