/**
 * How the official OpenAI and Anthropic SDKs retry by themselves. The Python and the
 * TypeScript SDKs behave alike, so both frontends describe their clients with these facts.
 */
import { known, type SiteFacts } from '../site.js';
import type { Span } from '../span.js';

export const AI_SDK_DEFAULT_RETRIES = 2;
export const AI_SDK_DEFAULT_TIMEOUT_MS = 600_000;
/** Exponential from 0.5 s to 8 s with jitter; a Retry-After of up to 60 s replaces it. */
export const AI_SDK_BASE_DELAY_MS = 500;
export const AI_SDK_MAX_DELAY_MS = 8_000;
export const AI_SDK_RETRY_AFTER_CAP_MS = 60_000;

/** The retry behaviour of an SDK client: what it retries on, how it waits, Retry-After. */
export function aiSdkRetryFacts(
  span: Span,
  connectionErrorTypes: readonly string[],
): Required<Pick<SiteFacts, 'delay' | 'retryOn' | 'retryAfter'>> {
  return {
    delay: {
      strategy: known('exponential'),
      baseMs: known(AI_SDK_BASE_DELAY_MS),
      factor: known(2),
      capMs: known(AI_SDK_MAX_DELAY_MS),
      jitter: known('proportional'),
    },
    retryOn: {
      statuses: known([
        { min: 408, max: 409, span },
        { min: 429, max: 429, span },
        { min: 500, max: 599, span },
      ]),
      errorTypes: known(connectionErrorTypes),
      catchAll: known(false),
      cancellation: { retried: known(false), guarded: true },
    },
    retryAfter: {
      handlesRateLimit: known(false),
      honouredByLibrary: known(true),
      read: known(true),
      usedAsDelay: known(true),
      forms: ['seconds', 'date', 'ms'],
      capMs: known(AI_SDK_RETRY_AFTER_CAP_MS),
    },
  };
}
