/**
 * The engine's own guards (shared/src/engine: token bucket, circuit breaker, retry budget)
 * behind the simulator's guard seam, built by the engine's `guardsFromPolicy` and driven by
 * the simulation's virtual clock. Each is asked at the moment the engine asks it: the bucket
 * before every attempt, the breaker after the bucket, the budget for each retry the policy
 * would make, and both told of every outcome.
 */
import type { CircuitBreaker } from '../engine/circuit-breaker.js';
import { guardsFromPolicy } from '../engine/guards.js';
import type { RetryBudget } from '../engine/retry-budget.js';
import type { TokenBucket } from '../engine/token-bucket.js';
import { SEND, type ClientGuard, type ClientGuardFactory, type SimAttemptOutcome } from './client-guard.js';
import type { SimPolicy } from './sim-policy.js';

/**
 * What counts against the circuit, as in the engine's retry loop: 5xx, timeouts and cut
 * streams; a 429 or another 4xx says nothing of the upstream's health, nor does a deadline.
 */
function isUpstreamFailure(outcome: SimAttemptOutcome): boolean {
  if (outcome.kind === 'http-error') return outcome.status >= 500;
  return outcome.kind === 'timeout' || outcome.kind === 'stream-cut';
}

function tokenBucketGuard(bucket: TokenBucket): ClientGuard {
  return {
    // The engine sleeps at least 1 ms between tries, so a wait is never 0.
    admit: () => (bucket.tryTake() ? SEND : { kind: 'wait', ms: Math.max(1, bucket.msUntilAvailable()) }),
  };
}

function circuitBreakerGuard(breaker: CircuitBreaker): ClientGuard {
  return {
    admit: () => (breaker.tryAcquire() ? SEND : { kind: 'refuse', reason: `the circuit is ${breaker.state}` }),
    recordOutcome(outcome) {
      if (outcome.kind === 'success') breaker.recordSuccess();
      else if (isUpstreamFailure(outcome)) breaker.recordFailure();
      else breaker.recordNeutral();
    },
  };
}

function retryBudgetGuard(budget: RetryBudget): ClientGuard {
  return {
    allowRetry: (cause) => budget.tryWithdraw(cause),
    recordOutcome(outcome) {
      if (outcome.kind === 'success') budget.recordSuccess();
    },
  };
}

/** One client's guards: those the policy switches on, in the order the engine consults them. */
export const engineClientGuards: ClientGuardFactory<SimPolicy> = (policy, now) => {
  const { tokenBucket, circuitBreaker, retryBudget } = guardsFromPolicy(policy, now);
  const guards: ClientGuard[] = [];
  if (tokenBucket) guards.push(tokenBucketGuard(tokenBucket));
  if (circuitBreaker) guards.push(circuitBreakerGuard(circuitBreaker));
  if (retryBudget) guards.push(retryBudgetGuard(retryBudget));
  return guards;
};
