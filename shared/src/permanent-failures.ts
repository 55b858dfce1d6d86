/**
 * Which failures are permanent: they fail the same way on every attempt, so retrying them
 * only burns time and quota. The rule no-retry-permanent-errors judges retry code against
 * this classification and the retry engine acts on it, so the two cannot disagree.
 */
import type { PolicyOptions } from './policy/options.js';

/**
 * AI API error codes (OpenAI's `error.code` / `error.type`) that fail the same way on every
 * attempt: a prompt over the context window, an exhausted quota (sent with status 429, so
 * the status alone would look retryable), a wrong key.
 */
export const DEFAULT_PERMANENT_ERROR_CODES: readonly string[] = Object.freeze([
  'context_length_exceeded',
  'insufficient_quota',
  'invalid_api_key',
]);

export type StatusPolicy = Pick<PolicyOptions, 'retryableStatuses' | 'neverRetryStatuses'>;

export function isPermanentStatus(status: number, policy: StatusPolicy): boolean {
  return policy.neverRetryStatuses.includes(status);
}

/** The permanent statuses from `min` to `max`, sorted. */
export function permanentStatusesBetween(min: number, max: number, policy: StatusPolicy): number[] {
  return policy.neverRetryStatuses.filter((status) => status >= min && status <= max).sort((a, b) => a - b);
}

export function isPermanentErrorCode(code: string, permanentErrorCodes: readonly string[] = DEFAULT_PERMANENT_ERROR_CODES): boolean {
  return permanentErrorCodes.includes(code);
}

export type HttpFailureClass =
  /** A status in neverRetryStatuses. */
  | 'permanent-status'
  /** An error code that never succeeds on retry, whatever the status (429 insufficient_quota). */
  | 'permanent-code'
  /** A status in retryableStatuses. */
  | 'retryable'
  /** Neither list names it: not retried (a client that is unsure does not multiply load). */
  | 'unlisted';

/**
 * How a failed HTTP response is to be treated. The codes are checked first: OpenAI answers an
 * exhausted quota with 429, which the status list alone would retry.
 */
export function classifyHttpFailure(
  status: number,
  errorCodes: readonly string[],
  policy: StatusPolicy,
  permanentErrorCodes: readonly string[] = DEFAULT_PERMANENT_ERROR_CODES,
): HttpFailureClass {
  if (errorCodes.some((code) => isPermanentErrorCode(code, permanentErrorCodes))) return 'permanent-code';
  if (isPermanentStatus(status, policy)) return 'permanent-status';
  if (policy.retryableStatuses.includes(status)) return 'retryable';
  return 'unlisted';
}
