import type { CircuitBreakerOptions } from '../engine/circuit-breaker.js';
import type { RetryBudgetOptions } from '../engine/retry-budget.js';
import type { TokenBucketOptions } from '../engine/token-bucket.js';
import type { BackoffStrategy, JitterKind } from '../site.js';

/** The numbers every rule judges against. Each one is configurable (RULES.md defaults). */
export interface PolicyOptions {
  /** Total tries including the first. */
  readonly maxAttempts: number;
  /** Largest single backoff sleep. */
  readonly maxDelayMs: number;
  /** First backoff sleep (what fixes add where there is none). */
  readonly baseDelayMs: number;
  /** Largest Retry-After to honour; above it, give up and surface the error. */
  readonly maxRetryAfterMs: number;
  /** Largest per-attempt timeout (non-streaming); inside a retry, the budget may allow less. */
  readonly maxTimeoutMs: number;
  /** Largest worst-case time of a whole retry site. */
  readonly maxTotalMs: number;
  readonly retryableStatuses: readonly number[];
  readonly neverRetryStatuses: readonly number[];
  /** The jitter fixes add. */
  readonly jitter: JitterKind;
  /** Also judge finite-but-long library defaults (SDK 600 s timeouts): the `strict` policy. */
  readonly judgeLibraryDefaults: boolean;
  /** Client-side rate limit shared by concurrent calls (engine, simulator); absent: off. */
  readonly tokenBucket?: TokenBucketOptions;
  /** Stop calling an upstream that keeps failing, then probe it; absent: off. */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** AWS-style retry budget shared by concurrent calls; absent: off. */
  readonly retryBudget?: RetryBudgetOptions;
}

/** The policy options that switch on a client-side guard; none has a default. */
export const GUARD_OPTION_KEYS = ['tokenBucket', 'circuitBreaker', 'retryBudget'] as const satisfies readonly (keyof PolicyOptions)[];

/** The delay schedule a profile recommends (used by fixes, hovers, the simulator). */
export interface BackoffSpec {
  readonly strategy: BackoffStrategy;
  readonly baseMs: number;
  /** Exponential growth factor. */
  readonly factor: number;
  /** Linear step per retry. */
  readonly stepMs: number;
  readonly capMs: number;
  readonly jitter: JitterKind;
  readonly maxAttempts: number;
  /**
   * Per-attempt timeout the schedule recommends: what maxTotalMs leaves each attempt after
   * the worst-case sleeps (policy/budget.ts), at most maxTimeoutMs. Undefined when the
   * sleeps alone use up the budget. Set by resolvePolicy.
   */
  readonly timeoutMs?: number;
  /** Honour Retry-After up to this many ms (0: the profile does not retry rate limits). */
  readonly maxRetryAfterMs: number;
  /** Token-bucket rate for bulk work, requests per second. */
  readonly ratePerSecond?: number;
  /** Never retry once the first chunk of a stream has arrived. */
  readonly retryBeforeFirstChunkOnly?: boolean;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = Object.freeze({
  maxAttempts: 5,
  maxDelayMs: 60_000,
  baseDelayMs: 1_000,
  maxRetryAfterMs: 120_000,
  maxTimeoutMs: 120_000,
  maxTotalMs: 300_000,
  retryableStatuses: Object.freeze([408, 409, 425, 429, 500, 502, 503, 504]),
  neverRetryStatuses: Object.freeze([400, 401, 403, 404, 405, 410, 422]),
  jitter: 'full',
  judgeLibraryDefaults: false,
});

/** A policy in force for one file: the options plus the profile that shaped them. */
export interface Policy extends PolicyOptions {
  readonly profile: ProfileName;
  readonly backoff: BackoffSpec;
}

export const PROFILE_NAMES = [
  'ai-api',
  'rate-limit-window',
  'network-blip',
  'db-failover',
  'streaming',
  'bulk',
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];
