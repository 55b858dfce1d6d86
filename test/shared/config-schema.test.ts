import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import {
  buildConfigSchema,
  DEFAULT_POLICY_OPTIONS,
  GUARD_OPTION_KEYS,
  parseConfigText,
  PROFILE_NAMES,
  ruleIds,
  starterConfigText,
  type JsonSchema,
} from '@retrylint/shared';

const schemaFile = fileURLToPath(new URL('../../shared/config.schema.json', import.meta.url));
const expectedText = `${JSON.stringify(buildConfigSchema(), null, 2)}\n`;

describe('shared/config.schema.json', () => {
  it('is in step with buildConfigSchema() (regenerate: npm run generate:schema -w shared)', () => {
    // UPDATE_SCHEMA=1 rewrites the committed file from the rule registry and policy options.
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaFile, expectedText);
    const committed = readFileSync(schemaFile, 'utf8');
    expect(committed, 'shared/config.schema.json is out of date: run `npm run generate:schema -w shared`').toBe(expectedText);
  });
});

describe('buildConfigSchema', () => {
  const schema = buildConfigSchema();
  const definitions = schema.definitions ?? {};

  it('is a valid draft-07 schema that ajv compiles', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('enumerates every registered rule, with a description, for completion', () => {
    const ruleProperties = definitions.rules?.properties ?? {};
    expect(Object.keys(ruleProperties)).toEqual([...ruleIds]);
    for (const id of ruleIds) expect(ruleProperties[id]?.description, id).toBeTruthy();
    expect(definitions.rules?.additionalProperties).toBe(false);
  });

  it('describes every policy option with its type and default', () => {
    const options = definitions.policy?.properties ?? {};
    expect(Object.keys(options).sort()).toEqual([...Object.keys(DEFAULT_POLICY_OPTIONS), ...GUARD_OPTION_KEYS].sort());
    for (const [key, option] of Object.entries(options)) {
      expect(option.description, key).toBeTruthy();
      expect(option.type ?? option.enum, key).toBeDefined();
      expect(option.default, key).toEqual(DEFAULT_POLICY_OPTIONS[key as keyof typeof DEFAULT_POLICY_OPTIONS]);
    }
    for (const key of GUARD_OPTION_KEYS) {
      expect(options[key]?.default, `${key} has no default: absent means off`).toBeUndefined();
      expect(options[key]?.required, key).toEqual(Object.keys(options[key]?.properties ?? {}));
    }
    expect(options.maxAttempts?.minimum).toBe(1);
  });

  it('offers the profile names', () => {
    expect(definitions.profile?.enum).toEqual([...PROFILE_NAMES]);
  });
});

describe('ajv and parseConfigText agree', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(buildConfigSchema() as JsonSchema & object);

  const samples: readonly { readonly name: string; readonly text: string }[] = [
    { name: 'starter config', text: starterConfigText() },
    { name: 'empty object', text: '{}' },
    { name: 'severity with options', text: '{ "rules": { "bounded-attempts": ["warn", {}] } }' },
    { name: 'severity alone in an array', text: '{ "rules": { "require-jitter": ["off"] } }' },
    { name: 'unknown rule', text: '{ "rules": { "bounded-atempts": "warn" } }' },
    { name: 'unknown key', text: '{ "polcy": {} }' },
    { name: 'wrong option type', text: '{ "policy": { "maxAttempts": "five" } }' },
    { name: 'below the minimum', text: '{ "policy": { "maxAttempts": 0 } }' },
    { name: 'not an integer', text: '{ "policy": { "maxDelayMs": 1.5 } }' },
    { name: 'status out of range', text: '{ "policy": { "retryableStatuses": [429, 700] } }' },
    { name: 'token bucket', text: '{ "policy": { "tokenBucket": { "ratePerSecond": 0.5, "burst": 2 } } }' },
    { name: 'zero rate', text: '{ "policy": { "tokenBucket": { "ratePerSecond": 0, "burst": 2 } } }' },
    { name: 'breaker missing a field', text: '{ "policy": { "circuitBreaker": { "failureThreshold": 5, "openMs": 1000 } } }' },
    { name: 'budget with an unknown field', text: '{ "policy": { "retryBudget": { "capacity": 5, "retryCost": 5, "timeoutCost": 10, "successRefund": 1, "refill": 2 } } }' },
    { name: 'override without files', text: '{ "overrides": [{ "profile": "bulk" }] }' },
    { name: 'empty files', text: '{ "overrides": [{ "files": [] }] }' },
    { name: 'unknown profile', text: '{ "profile": "fast" }' },
    { name: 'severity misspelt', text: '{ "rules": { "require-jitter": "warning" } }' },
    { name: 'three items', text: '{ "rules": { "require-jitter": ["warn", {}, 1] } }' },
    { name: 'an array', text: '[]' },
  ];

  it.each(samples)('$name', ({ text }) => {
    const parsed = parseConfigText(text, 'retrylint.config.json');
    const value: unknown = parseJsonc(text);
    expect(parsed.problems.length === 0).toBe(validate(value));
  });
});
