/**
 * The JSON Schema of `retrylint.config.json`, built from the rule registry and the policy
 * options, so editor completion, validation and the rules cannot disagree. The committed
 * `shared/config.schema.json` is this value, kept in step by a test.
 */
import { rules, type AnyRule } from '../rules/index.js';
import type { JitterKind } from '../site.js';
import { AWS_RETRY_BUDGET } from '../engine/retry-budget.js';
import type { JsonSchema } from './json-schema.js';
import { DEFAULT_POLICY_OPTIONS, PROFILE_NAMES, type PolicyOptions } from './options.js';
import { PRESET_NAMES, PRESET_DESCRIPTIONS } from './presets.js';
import { PROFILES } from './profiles.js';

export const CONFIG_SCHEMA_URL = 'https://raw.githubusercontent.com/retrylint/retrylint/main/shared/config.schema.json';

export const CONFIG_FILE_NAME = 'retrylint.config.json';

const SEVERITIES = ['off', 'warn', 'error'] as const;

const JITTER_KINDS = ['none', 'full', 'equal', 'decorrelated', 'proportional', 'additive'] as const satisfies readonly JitterKind[];
// Fails to compile when JitterKind gains a kind this list lacks.
const everyJitterKindListed: Exclude<JitterKind, (typeof JITTER_KINDS)[number]> extends never ? true : never = true;
void everyJitterKindListed;

const HTTP_STATUS: JsonSchema = { type: 'integer', minimum: 100, maximum: 599 };

/** A guard's options: an object whose every field is required, so a half-written guard is an error. */
function guardSchema(description: string, properties: Record<string, JsonSchema>, example: Record<string, number>): JsonSchema & { description: string } {
  return { type: 'object', description, additionalProperties: false, required: Object.keys(properties), properties, examples: [example] };
}

/** One entry per policy option: `satisfies` makes a new option without a schema a type error. */
const POLICY_OPTION_SCHEMAS = {
  maxAttempts: {
    type: 'integer',
    minimum: 1,
    description:
      'Total tries including the first. bounded-attempts warns above it; fixes clamp to it. The profile sets it unless given here.',
  },
  maxDelayMs: {
    type: 'integer',
    minimum: 0,
    description: 'Largest single backoff sleep, in ms (bounded-delay). The profile sets it unless given here.',
  },
  baseDelayMs: {
    type: 'integer',
    minimum: 0,
    description: 'First backoff sleep, in ms: what fixes add where there is none. The profile sets it unless given here.',
  },
  maxRetryAfterMs: {
    type: 'integer',
    minimum: 0,
    description:
      'Largest Retry-After to honour, in ms (respect-retry-after). Above it, give up and surface the error instead of sleeping.',
  },
  maxTimeoutMs: {
    type: 'integer',
    minimum: 1,
    description: 'Largest per-attempt timeout of a non-streaming call, in ms (require-timeout); also the value its fix writes.',
  },
  maxTotalMs: {
    type: 'integer',
    minimum: 1,
    description:
      'Largest worst-case time of a whole retry site, in ms: attempts x per-attempt timeout + all sleeps (bounded-total-time).',
  },
  retryableStatuses: {
    type: 'array',
    items: HTTP_STATUS,
    uniqueItems: true,
    description: 'HTTP statuses worth another attempt; fixes narrow catch-all retries to them.',
  },
  neverRetryStatuses: {
    type: 'array',
    items: HTTP_STATUS,
    uniqueItems: true,
    description: 'HTTP statuses that never succeed on a retry (no-retry-permanent-errors).',
  },
  jitter: {
    enum: JITTER_KINDS,
    description: 'The jitter fixes add to a backoff without randomisation (require-jitter).',
  },
  judgeLibraryDefaults: {
    type: 'boolean',
    description:
      'Also judge finite but long library defaults, such as the 600 s timeout of the OpenAI and Anthropic SDKs (on in retrylint:strict).',
  },
  tokenBucket: guardSchema(
    'A client-side token bucket shared by concurrent calls of the retry engine and the simulator: every attempt takes a token. Absent: off.',
    {
      ratePerSecond: { type: 'number', minimum: 0.001, description: 'Tokens added per second: the sustained requests per second.' },
      burst: { type: 'integer', minimum: 1, description: 'Bucket size: requests that may start at once after a quiet spell.' },
    },
    { ratePerSecond: 50, burst: 100 },
  ),
  circuitBreaker: guardSchema(
    'A circuit breaker shared by concurrent calls of the retry engine and the simulator: opens after consecutive failures (5xx, timeouts, network errors), then lets probes through. Absent: off.',
    {
      failureThreshold: { type: 'integer', minimum: 1, description: 'Consecutive failures that open the circuit.' },
      openMs: { type: 'integer', minimum: 0, description: 'How long the circuit stays open before probing, in ms.' },
      halfOpenProbes: { type: 'integer', minimum: 1, description: 'Probe calls let through when half-open; all must succeed to close the circuit.' },
    },
    { failureThreshold: 5, openMs: 30_000, halfOpenProbes: 1 },
  ),
  retryBudget: guardSchema(
    'An AWS-style retry budget shared by concurrent calls of the retry engine and the simulator: retries cost tokens, successes refund them; when empty, calls stop retrying. Absent: off.',
    {
      capacity: { type: 'integer', minimum: 1, description: 'Tokens when full (AWS SDK: 500).' },
      retryCost: { type: 'integer', minimum: 0, description: 'Tokens a retry after an error costs (AWS SDK: 5).' },
      timeoutCost: { type: 'integer', minimum: 0, description: 'Tokens a retry after a timeout costs (AWS SDK: 10).' },
      successRefund: { type: 'integer', minimum: 0, description: 'Tokens a success puts back, up to the capacity (AWS SDK: 1).' },
    },
    { ...AWS_RETRY_BUDGET },
  ),
} satisfies Record<keyof PolicyOptions, JsonSchema>;

/** The example value a policy option's schema gives (the guards, which have no default). */
export const POLICY_OPTION_EXAMPLES: Partial<Record<keyof PolicyOptions, unknown>> = Object.fromEntries(
  Object.entries(POLICY_OPTION_SCHEMAS).flatMap(([key, schema]: [string, JsonSchema]) => (schema.examples ? [[key, schema.examples[0]]] : [])),
);

/** The one-line description of a policy option (schema, starter config, docs). */
export function policyOptionDescription(key: keyof PolicyOptions): string {
  return POLICY_OPTION_SCHEMAS[key].description;
}

function policySchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, schema] of Object.entries(POLICY_OPTION_SCHEMAS)) {
    const fallback = DEFAULT_POLICY_OPTIONS[key as keyof PolicyOptions];
    // The guards have no default: absent means off.
    properties[key] = fallback === undefined ? schema : { ...schema, default: Array.isArray(fallback) ? [...fallback] : fallback };
  }
  return {
    type: 'object',
    description: 'The numbers the rules judge against. Options given here win over the profile.',
    additionalProperties: false,
    properties,
  };
}

/** A rule's options object; a rule without a schema takes no options. */
function ruleOptionsSchema(rule: AnyRule): JsonSchema {
  const declared = rule.meta.optionsSchema as JsonSchema | undefined;
  if (!declared) {
    return { type: 'object', description: `${rule.meta.id} takes no options.`, additionalProperties: false };
  }
  const closed =
    declared.properties !== undefined && declared.additionalProperties === undefined && declared.patternProperties === undefined;
  // Unknown option names are errors (a typo would otherwise be ignored silently).
  return closed ? { ...declared, additionalProperties: false } : declared;
}

function ruleSettingSchema(rule: AnyRule): JsonSchema {
  const { meta } = rule;
  const sentence = /[.!?]$/.test(meta.description) ? meta.description : `${meta.description}.`;
  return {
    description: `${sentence} Recommended: ${meta.defaultSeverity}; strict: ${meta.strictSeverity}.`,
    markdownDescription: `${sentence}\n\nRecommended: \`${meta.defaultSeverity}\`; strict: \`${meta.strictSeverity}\`. [Documentation](${meta.docsUrl})`,
    anyOf: [
      { $ref: '#/definitions/severity' },
      {
        type: 'array',
        title: '[severity, options]',
        items: [{ $ref: '#/definitions/severity' }, ruleOptionsSchema(rule)],
        minItems: 1,
        additionalItems: false,
      },
    ],
  };
}

function rulesSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const rule of rules) properties[rule.meta.id] = ruleSettingSchema(rule);
  return {
    type: 'object',
    description:
      'Rule severities: "off", "warn", "error", or ["warn", { options }]. A severity alone keeps the options set by an earlier layer.',
    additionalProperties: false,
    properties,
  };
}

export function buildConfigSchema(): JsonSchema {
  const extendsEntry: JsonSchema = {
    type: 'string',
    minLength: 1,
    description: 'A preset (retrylint:recommended, retrylint:strict) or the relative path of another config file.',
    examples: [...PRESET_NAMES],
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CONFIG_SCHEMA_URL,
    title: 'retrylint configuration',
    description: `${CONFIG_FILE_NAME}: the retry policy and rule settings (JSON with comments).`,
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema of this file, for editor completion.' },
      extends: {
        description: `Configs this one builds on, base first; later entries and this file win. Without it, retrylint:recommended applies. ${PRESET_NAMES.map((name) => `${name}: ${PRESET_DESCRIPTIONS[name]}`).join(' ')}`,
        anyOf: [extendsEntry, { type: 'array', items: extendsEntry }],
      },
      profile: { $ref: '#/definitions/profile' },
      policy: { $ref: '#/definitions/policy' },
      rules: { $ref: '#/definitions/rules' },
      overrides: {
        type: 'array',
        description: 'Settings for files matching globs; later overrides win over earlier ones and over the file.',
        items: { $ref: '#/definitions/override' },
      },
      ignorePatterns: {
        type: 'array',
        description: 'Files not to lint (gitignore syntax), relative to this file.',
        items: { type: 'string', minLength: 1 },
      },
      project: {
        description:
          'TypeScript project mode for the CLI, like --project: true reads each file with the program of its nearest tsconfig.json (facts across modules, cross-file fixes); a string names the tsconfig, relative to this file.',
        anyOf: [{ type: 'boolean' }, { type: 'string', minLength: 1 }],
        default: false,
      },
    },
    definitions: {
      severity: {
        enum: SEVERITIES,
        enumDescriptions: ['Do not run the rule.', 'Report as a warning.', 'Report as an error (non-zero exit code).'],
      },
      profile: {
        enum: PROFILE_NAMES,
        description: 'The retry profile: the delay schedule fixes write and the numbers the policy starts from.',
        enumDescriptions: PROFILE_NAMES.map((name) => PROFILES[name].description),
        default: 'ai-api',
      },
      policy: policySchema(),
      rules: rulesSchema(),
      globs: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      },
      override: {
        type: 'object',
        additionalProperties: false,
        required: ['files'],
        properties: {
          files: { $ref: '#/definitions/globs', description: 'Globs relative to this file, e.g. "src/db/**".' },
          excludedFiles: { $ref: '#/definitions/globs', description: 'Globs of files the override does not apply to.' },
          profile: { $ref: '#/definitions/profile' },
          policy: { $ref: '#/definitions/policy' },
          rules: { $ref: '#/definitions/rules' },
        },
      },
    },
  };
}
