import { boundedAttempts } from './bounded-attempts.js';
import { boundedDelay } from './bounded-delay.js';
import { boundedTotalTime } from './bounded-total-time.js';
import { noBackoffHoldingPermit } from './no-backoff-holding-permit.js';
import { noBlockingSleep } from './no-blocking-sleep.js';
import { noCatchAllRetry } from './no-catch-all-retry.js';
import { noImmediateRetry } from './no-immediate-retry.js';
import { noNestedRetries } from './no-nested-retries.js';
import { noRetryOnCancel } from './no-retry-on-cancel.js';
import { noRetryPermanentErrors } from './no-retry-permanent-errors.js';
import { noStreamRetry } from './no-stream-retry.js';
import { requireIdempotencyKey } from './require-idempotency-key.js';
import { requireJitter } from './require-jitter.js';
import { requireTimeout } from './require-timeout.js';
import { respectRetryAfter } from './respect-retry-after.js';
import type { Rule } from './rule.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<string, any>;

/** Every rule, sorted by id (a test keeps it sorted and in step with docs and fixtures). */
export const rules: readonly AnyRule[] = [
  boundedAttempts,
  boundedDelay,
  boundedTotalTime,
  noBackoffHoldingPermit,
  noBlockingSleep,
  noCatchAllRetry,
  noImmediateRetry,
  noNestedRetries,
  noRetryOnCancel,
  noRetryPermanentErrors,
  noStreamRetry,
  requireIdempotencyKey,
  requireJitter,
  requireTimeout,
  respectRetryAfter,
];

const byId = new Map(rules.map((rule) => [rule.meta.id, rule]));

export function getRule(id: string): AnyRule | undefined {
  return byId.get(id);
}

export const ruleIds: readonly string[] = rules.map((rule) => rule.meta.id);
