/**
 * After a failed attempt: stop, or retry after how long and why. Pure: the engine passes the
 * time, the random source and the previous delay, and applies the shared guards itself.
 */
import { classifyHttpFailure } from '../permanent-failures.js';
import type { Policy } from '../policy/options.js';
import { decideRetryAfter, type HeaderSource } from '../retry-after.js';
import { backoffFromSpec, nominalDelayMs, sampleDelayMs, type BackoffParams, type RandomSource } from '../schedule.js';
import type { AttemptOutcome, DelaySource, StopReason } from './events.js';
import type { RetryCause } from './retry-budget.js';

export interface FailedAttempt {
  readonly outcome: Exclude<AttemptOutcome, 'success'>;
  readonly attempt: number;
  readonly status?: number;
  readonly errorCodes: readonly string[];
  readonly headers: HeaderSource;
  /** Stream chunks already handed to the caller. */
  readonly chunks: number;
}

export interface DecisionContext {
  readonly policy: Policy;
  readonly permanentErrorCodes: readonly string[];
  readonly nowMs: number;
  readonly random: RandomSource;
  /** The previous sleep of this call (decorrelated schedules draw from it). */
  readonly previousDelayMs?: number;
}

export type RetryDecision =
  | { readonly action: 'stop'; readonly reason: StopReason; readonly message: string }
  | { readonly action: 'retry'; readonly cause: RetryCause; readonly delayMs: number; readonly delaySource: DelaySource; readonly note?: string };

function stop(reason: StopReason, message: string): RetryDecision {
  return { action: 'stop', reason, message };
}

export function scheduleOf(policy: Policy): BackoffParams {
  return backoffFromSpec(policy.backoff);
}

export function decideAfterFailure(failed: FailedAttempt, context: DecisionContext): RetryDecision {
  const { policy } = context;
  switch (failed.outcome) {
    case 'cancelled':
      return stop('cancelled', 'cancelled by the caller; a cancel is never retried');
    case 'deadline':
      return stop('deadline', 'the overall deadline passed during the attempt');
    default:
      break;
  }
  if (failed.chunks > 0) {
    return stop(
      'stream-interrupted',
      `the stream failed after ${failed.chunks} chunk(s) had been delivered; not retried, a second stream would repeat them (and bill them again)`,
    );
  }
  if (failed.outcome === 'http-error' && failed.status !== undefined) {
    const verdict = classifyHttpFailure(failed.status, failed.errorCodes, policy, context.permanentErrorCodes);
    if (verdict === 'permanent-code') {
      const code = failed.errorCodes.find((candidate) => context.permanentErrorCodes.includes(candidate));
      return stop('permanent-code', `HTTP ${failed.status} ${code}: fails the same way on every attempt, not retried`);
    }
    if (verdict === 'permanent-status') return stop('permanent-status', `HTTP ${failed.status} never succeeds on another attempt (neverRetryStatuses)`);
    if (verdict === 'unlisted') return stop('unlisted-status', `HTTP ${failed.status} is not in retryableStatuses, not retried`);
  }
  if (failed.attempt >= policy.maxAttempts) {
    return stop('attempts-exhausted', `gave up after ${failed.attempt} attempt(s) (maxAttempts ${policy.maxAttempts})`);
  }
  const schedule = scheduleOf(policy);
  const retry = failed.attempt;
  const drawn = sampleDelayMs(schedule, retry, context.random, context.previousDelayMs);
  const hitCap = schedule.capMs !== undefined && nominalDelayMs({ ...schedule, capMs: undefined }, retry) > schedule.capMs;
  const scheduleSource: DelaySource = hitCap ? 'capped' : 'schedule';
  const cause: RetryCause = failed.outcome === 'timeout' ? 'timeout' : 'error';
  if (failed.outcome !== 'http-error') return { action: 'retry', cause, delayMs: drawn, delaySource: scheduleSource };

  const retryAfter = decideRetryAfter(failed.headers, { maxRetryAfterMs: policy.maxRetryAfterMs, nowMs: context.nowMs });
  if (retryAfter.action === 'give-up') return stop('retry-after-too-long', `HTTP ${failed.status}: ${retryAfter.reason}; giving up`);
  if (retryAfter.action === 'wait' && retryAfter.ms > drawn) {
    return { action: 'retry', cause, delayMs: retryAfter.ms, delaySource: 'retry-after', note: `Retry-After (${retryAfter.source})` };
  }
  return {
    action: 'retry',
    cause,
    delayMs: drawn,
    delaySource: scheduleSource,
    ...(retryAfter.action === 'use-backoff' && retryAfter.reason ? { note: retryAfter.reason } : {}),
  };
}
