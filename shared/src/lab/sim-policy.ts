/**
 * A retry policy as the simulated client follows it. Delays come from `schedule.ts`
 * through `backoff`; the guards' options are those of `PolicyOptions`, absent = off.
 */
import type { Policy, PolicyOptions } from '../policy/options.js';
import { backoffFromSpec, type BackoffParams } from '../schedule.js';

export interface SimPolicy extends Pick<PolicyOptions, 'tokenBucket' | 'circuitBreaker' | 'retryBudget'> {
  readonly name: string;
  readonly backoff: BackoffParams;
  /** Total tries including the first. */
  readonly maxAttempts: number;
  readonly retryableStatuses: readonly number[];
  /** Retry attempts that timed out. */
  readonly retryTimeouts: boolean;
  /** Wait what Retry-After asks (sleep = max(backoff, Retry-After)), up to `maxRetryAfterMs`. */
  readonly honourRetryAfter: boolean;
  /** A longer Retry-After means give up (only when honoured). */
  readonly maxRetryAfterMs: number;
  readonly timeoutMs: number;
  /** Never retry a stream whose first chunk has arrived. */
  readonly retryBeforeFirstChunkOnly: boolean;
  /** The whole request's time, sleeps and waits for a token included (the engine's deadline); absent: none. */
  readonly deadlineMs?: number;
}

/**
 * The policy a profile or config puts in force. Its per-attempt timeout is the largest
 * the policy allows (`maxTimeoutMs`), its deadline `maxTotalMs`, as the engine's. Retry-After is honoured up to `maxRetryAfterMs`, as
 * the rules expect: with 0, a rate limit that asks for any wait ends the request.
 */
export function simPolicyFromPolicy(name: string, policy: Policy): SimPolicy {
  const backoff = backoffFromSpec(policy.backoff);
  return {
    name,
    backoff,
    maxAttempts: policy.maxAttempts,
    retryableStatuses: policy.retryableStatuses,
    retryTimeouts: true,
    honourRetryAfter: true,
    maxRetryAfterMs: policy.maxRetryAfterMs,
    timeoutMs: policy.maxTimeoutMs,
    retryBeforeFirstChunkOnly: policy.backoff.retryBeforeFirstChunkOnly ?? false,
    deadlineMs: policy.maxTotalMs,
    ...(policy.tokenBucket ? { tokenBucket: policy.tokenBucket } : {}),
    ...(policy.circuitBreaker ? { circuitBreaker: policy.circuitBreaker } : {}),
    ...(policy.retryBudget ? { retryBudget: policy.retryBudget } : {}),
  };
}
