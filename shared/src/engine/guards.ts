/** The client-side guards a policy switches on, shared by every call of one engine. */
import type { PolicyOptions } from '../policy/options.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { RetryBudget } from './retry-budget.js';
import { TokenBucket } from './token-bucket.js';

export interface EngineGuards {
  readonly tokenBucket?: TokenBucket;
  readonly circuitBreaker?: CircuitBreaker;
  readonly retryBudget?: RetryBudget;
}

export function guardsFromPolicy(policy: Pick<PolicyOptions, 'tokenBucket' | 'circuitBreaker' | 'retryBudget'>, now: () => number): EngineGuards {
  return {
    ...(policy.tokenBucket ? { tokenBucket: new TokenBucket(policy.tokenBucket, now) } : {}),
    ...(policy.circuitBreaker ? { circuitBreaker: new CircuitBreaker(policy.circuitBreaker, now) } : {}),
    ...(policy.retryBudget ? { retryBudget: new RetryBudget(policy.retryBudget) } : {}),
  };
}
