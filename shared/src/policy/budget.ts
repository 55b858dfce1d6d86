/**
 * The time budget of a retry: attempts x per-attempt timeout + every sleep must fit in
 * `maxTotalMs`. A profile's recommended timeout and the timeout a fix writes both come
 * from here, so neither can produce a worst case that bounded-total-time reports.
 */
import { worstCaseTotalMs, type BackoffParams } from '../schedule.js';
import type { PolicyOptions } from './options.js';

/** Timeouts are written in whole seconds: `57 s` reads better than `57.14 s`. */
export const TIMEOUT_STEP_MS = 1_000;

export type TimeBudget = Pick<PolicyOptions, 'maxTotalMs' | 'maxTimeoutMs'>;

/**
 * The worst-case time a retry spends sleeping before its retries (each sleep at least the
 * honoured Retry-After, when one is given): the total with zero-length attempts.
 */
export function worstCaseSleepsMs(backoff: BackoffParams, attempts: number, retryAfterMs?: number): number {
  return worstCaseTotalMs(backoff, { attempts, timeoutMs: 0, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/**
 * The longest per-attempt timeout that keeps `attempts` x timeout + `sleepsMs` within
 * `maxTotalMs`, never above `maxTimeoutMs`, rounded down to whole seconds. Undefined when
 * the sleeps leave less than a second per attempt: no timeout fits the budget then.
 */
export function affordableTimeoutMs(budget: TimeBudget, attempts: number, sleepsMs: number): number | undefined {
  if (!(Number.isInteger(attempts) && attempts >= 1) || !(sleepsMs >= 0)) return undefined;
  const perAttempt = (budget.maxTotalMs - sleepsMs) / attempts;
  if (perAttempt >= budget.maxTimeoutMs) return budget.maxTimeoutMs;
  const rounded = Math.floor(perAttempt / TIMEOUT_STEP_MS) * TIMEOUT_STEP_MS;
  return rounded >= TIMEOUT_STEP_MS ? rounded : undefined;
}
