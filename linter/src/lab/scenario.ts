/**
 * What the Retry Lab server does with each request. A scenario is a list of steps, each one
 * failure mode (or `ok`) for a number of requests; the last step lasts for the rest of the
 * run, or the list starts again with `repeat`. A `mixed` step draws one mode per request from
 * the server's seeded random source, so a seed gives the same sequence of answers.
 */

export const LAB_MODES = [
  'ok',
  'rate-limit',
  'window-head',
  'server-errors',
  'slow-first-byte',
  'hang',
  'stream-cut',
  'wrong-key',
  'context-length',
  'insufficient-quota',
  'mixed',
] as const;

export type LabMode = (typeof LAB_MODES)[number];

export interface OkStep {
  readonly scenario: 'ok';
  /** Wait before answering. Default 0. */
  readonly latencyMs?: number;
}

export interface RateLimitStep {
  readonly scenario: 'rate-limit';
  /** Default 60000 (one minute). */
  readonly windowMs?: number;
  /** Requests served per window; the rest get 429. Default 100. */
  readonly limit?: number;
  /** How Retry-After is written: delay-seconds or an HTTP-date. Default "seconds". */
  readonly retryAfter?: 'seconds' | 'date';
  /** Also send retry-after-ms (OpenAI, Anthropic). Default true. */
  readonly retryAfterMs?: boolean;
}

export interface WindowHeadStep {
  readonly scenario: 'window-head';
  /** Default 60000. */
  readonly windowMs?: number;
  /** The first this many requests of each window get 429. Default 100. */
  readonly rejectFirst?: number;
  /** Send Retry-After (the end of the rejected head). Default false: the article's server says nothing. */
  readonly retryAfter?: boolean;
}

export interface ServerErrorsStep {
  readonly scenario: 'server-errors';
  /** Default 503. */
  readonly status?: 500 | 502 | 503 | 504;
  /** The first `errors` requests of every `period` fail. Defaults 3 and 10. */
  readonly errors?: number;
  readonly period?: number;
}

export interface SlowFirstByteStep {
  readonly scenario: 'slow-first-byte';
  /** Wait before the response headers. Default 5000. */
  readonly delayMs?: number;
}

export interface HangStep {
  readonly scenario: 'hang';
}

export interface StreamCutStep {
  readonly scenario: 'stream-cut';
  /** Stream chunks sent before the connection is dropped (0: right after the headers). Default 2. */
  readonly chunksBeforeCut?: number;
}

export interface FixedErrorStep {
  readonly scenario: 'wrong-key' | 'context-length' | 'insufficient-quota';
}

export type LabLeafStep = OkStep | RateLimitStep | WindowHeadStep | ServerErrorsStep | SlowFirstByteStep | HangStep | StreamCutStep | FixedErrorStep;

export interface MixedStep {
  readonly scenario: 'mixed';
  /** Each request goes to one of these, drawn with the weights. */
  readonly mix?: readonly (LabLeafStep & { readonly weight: number })[];
}

export type LabStep = (LabLeafStep | MixedStep) & {
  /** How many requests this step answers; absent on the last step: all the rest. */
  readonly requests?: number;
};

export interface LabScenario {
  readonly name: string;
  readonly description?: string;
  readonly steps: readonly LabStep[];
  /** Start again at the first step after the last one's `requests`. */
  readonly repeat?: boolean;
}

export const DEFAULT_MIX: NonNullable<MixedStep['mix']> = [
  { scenario: 'ok', weight: 60 },
  { scenario: 'server-errors', status: 503, errors: 1, period: 1, weight: 15 },
  { scenario: 'rate-limit', windowMs: 1000, limit: 0, weight: 10 },
  { scenario: 'slow-first-byte', delayMs: 1000, weight: 10 },
  { scenario: 'stream-cut', chunksBeforeCut: 2, weight: 5 },
];

/** One line each for `--help`. */
export const LAB_MODE_DESCRIPTIONS: Readonly<Record<LabMode, string>> = {
  ok: 'every request succeeds (usage tokens, SSE when stream: true)',
  'rate-limit': '100 requests per minute (fixed window), then 429 + Retry-After, retry-after-ms, x-ratelimit-*',
  'window-head': "the article's server: the first 100 requests of each minute get 429",
  'server-errors': '5xx bursts: the first 3 requests of every 10 get 503',
  'slow-first-byte': 'the response headers come after 5 s',
  hang: 'accepts the request and never answers',
  'stream-cut': 'drops the connection after 2 stream chunks (or mid-body)',
  'wrong-key': '401 invalid_api_key, as for a wrong or revoked key',
  'context-length': '400 context_length_exceeded',
  'insufficient-quota': '429 insufficient_quota (permanent, despite the status)',
  mixed: 'a seeded mix: 60% ok, 15% 503, 10% 429, 10% slow, 5% cut streams',
};

export function isLabMode(name: string): name is LabMode {
  return (LAB_MODES as readonly string[]).includes(name);
}

/** The built-in scenario of that name: its mode alone, with the defaults. */
export function builtInLabScenario(mode: LabMode): LabScenario {
  return { name: mode, description: LAB_MODE_DESCRIPTIONS[mode], steps: [{ scenario: mode } as LabStep] };
}

export function labScenariosHelp(): string {
  const width = Math.max(...LAB_MODES.map((mode) => mode.length));
  return ['', 'Scenarios (--scenario NAME; a --scenario-file composes them as steps):', ...LAB_MODES.map((mode) => `  ${mode.padEnd(width)}  ${LAB_MODE_DESCRIPTIONS[mode]}`), ''].join('\n');
}
