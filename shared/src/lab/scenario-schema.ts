/**
 * The JSON Schema of a scenario file. Unions tagged by `kind` are listed per kind, so a
 * problem is reported against the kind the file names (see scenario-parse.ts).
 */
import type { JsonSchema } from '../policy/json-schema.js';

const nonNegative: JsonSchema = { type: 'number', minimum: 0 };
const count: JsonSchema = { type: 'integer', minimum: 1 };
const share: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const status: JsonSchema = { type: 'integer', minimum: 100, maximum: 599 };

function kindOf(kind: string, properties: Record<string, JsonSchema>, description: string): JsonSchema {
  return {
    type: 'object',
    description,
    properties: { kind: { enum: [kind] }, ...properties },
    required: ['kind', ...Object.keys(properties)],
    additionalProperties: false,
  };
}

export const LATENCY_KINDS: Readonly<Record<string, JsonSchema>> = {
  fixed: kindOf('fixed', { ms: nonNegative }, 'Every answer takes `ms`.'),
  uniform: kindOf('uniform', { minMs: nonNegative, maxMs: nonNegative }, 'Uniform between `minMs` and `maxMs`.'),
  lognormal: kindOf('lognormal', { medianMs: nonNegative, p99Ms: nonNegative }, 'Log-normal with this median and 99th percentile.'),
};

export const ARRIVAL_KINDS: Readonly<Record<string, JsonSchema>> = {
  uniform: kindOf('uniform', { ratePerSecond: nonNegative }, 'Evenly spaced requests.'),
  poisson: kindOf('poisson', { ratePerSecond: nonNegative }, 'Poisson arrivals with this mean rate.'),
  burst: kindOf('burst', { spreadMs: nonNegative }, 'Every request within `spreadMs` of the start.'),
};

export const RATE_LIMIT_KINDS: Readonly<Record<string, JsonSchema>> = {
  'fixed-window': kindOf(
    'fixed-window',
    { windowMs: nonNegative, limit: { type: 'integer', minimum: 0 }, sendRetryAfter: { type: 'boolean' } },
    'The first `limit` attempts of each window are served, the rest get 429.',
  ),
  'window-head': kindOf(
    'window-head',
    { windowMs: nonNegative, rejectFirst: { type: 'integer', minimum: 0 } },
    'The first `rejectFirst` attempts of each window get 429.',
  ),
  'token-bucket': kindOf(
    'token-bucket',
    { ratePerSecond: nonNegative, burst: count, sendRetryAfter: { type: 'boolean' } },
    'A bucket of `burst` tokens refilled at `ratePerSecond`; each attempt served takes one, an empty bucket answers 429.',
  ),
};

/** The keys a tagged union sits under, and its kinds. */
export const TAGGED_UNIONS: readonly { readonly path: readonly string[]; readonly kinds: Readonly<Record<string, JsonSchema>>; readonly each?: boolean }[] = [
  { path: ['arrival'], kinds: ARRIVAL_KINDS },
  { path: ['server', 'latency'], kinds: LATENCY_KINDS },
  { path: ['server', 'streaming', 'firstChunk'], kinds: LATENCY_KINDS },
  { path: ['server', 'rateLimits'], kinds: RATE_LIMIT_KINDS, each: true },
];

/** Where a tagged union goes, the schema only asks for an object; its kind is checked next. */
const tagged: JsonSchema = { type: 'object' };

export function buildScenarioSchema(builtIns: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      extends: { enum: builtIns, description: 'A built-in scenario to start from; the file changes what it names.' },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      requests: count,
      clients: count,
      arrival: tagged,
      attemptTimeoutMs: nonNegative,
      peakWindowMs: nonNegative,
      server: {
        type: 'object',
        additionalProperties: false,
        properties: {
          latency: tagged,
          rejectLatencyMs: nonNegative,
          rateLimits: { type: 'array', items: tagged },
          capacity: {
            type: 'object',
            additionalProperties: false,
            properties: { concurrency: count, queueLimit: { type: 'integer', minimum: 0 } },
            required: ['concurrency', 'queueLimit'],
          },
          errorRate: share,
          errorStatus: status,
          errorBursts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { fromMs: nonNegative, toMs: nonNegative, status, probability: share },
              required: ['fromMs', 'toMs', 'status', 'probability'],
            },
          },
          outages: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { fromMs: nonNegative, toMs: nonNegative, status },
              required: ['fromMs', 'toMs', 'status'],
            },
          },
          streaming: {
            type: 'object',
            additionalProperties: false,
            properties: { firstChunk: tagged, breakProbability: share },
            required: ['firstChunk', 'breakProbability'],
          },
        },
      },
      tokens: {
        type: 'object',
        additionalProperties: false,
        properties: {
          inputTokens: nonNegative,
          outputTokens: nonNegative,
          usdPerMillionInput: nonNegative,
          usdPerMillionOutput: nonNegative,
          billRejected: { type: 'boolean' },
          billErrors: { type: 'boolean' },
        },
      },
    },
  };
}
