/**
 * The five strategies of the benchmark the Retry Lab grew from, as that article's client
 * configures them: 5 attempts, a 60 s cap and a 60 s timeout, retrying 429 and 5xx.
 * Its client reads Retry-After only to decide whether to retry, never as the delay, so
 * these strategies do not honour it. Its jitter multiplies the delay by 0.5 + random(),
 * which is schedule.ts's `proportional` jitter.
 */
import { DEFAULT_POLICY_OPTIONS } from '../policy/options.js';
import type { BackoffParams } from '../schedule.js';
import type { SimPolicy } from './sim-policy.js';

const ARTICLE_RETRYABLE_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

function articleClient(name: string, maxAttempts: number, backoff: BackoffParams): SimPolicy {
  return {
    name,
    backoff,
    maxAttempts,
    retryableStatuses: ARTICLE_RETRYABLE_STATUSES,
    retryTimeouts: true,
    honourRetryAfter: false,
    maxRetryAfterMs: DEFAULT_POLICY_OPTIONS.maxRetryAfterMs,
    timeoutMs: 60_000,
    retryBeforeFirstChunkOnly: false,
  };
}

const CAP_MS = 60_000;

export const ARTICLE_STRATEGIES: readonly SimPolicy[] = [
  articleClient('no-retry', 1, { strategy: 'none', baseMs: 0, jitter: 'none' }),
  articleClient('fixed-1s', 5, { strategy: 'constant', baseMs: 1_000, capMs: CAP_MS, jitter: 'none' }),
  // The article's linear delay is step x attempt: 2 s, 4 s, 6 s, 8 s.
  articleClient('linear-2s', 5, { strategy: 'linear', baseMs: 2_000, stepMs: 2_000, capMs: CAP_MS, jitter: 'none' }),
  articleClient('exponential-1s', 5, { strategy: 'exponential', baseMs: 1_000, factor: 2, capMs: CAP_MS, jitter: 'none' }),
  articleClient('exponential-1s-jitter', 5, { strategy: 'exponential', baseMs: 1_000, factor: 2, capMs: CAP_MS, jitter: 'proportional' }),
];

export const ARTICLE_STRATEGY_NAMES: readonly string[] = ARTICLE_STRATEGIES.map((strategy) => strategy.name);

export function articleStrategy(name: string): SimPolicy | undefined {
  return ARTICLE_STRATEGIES.find((strategy) => strategy.name === name);
}
