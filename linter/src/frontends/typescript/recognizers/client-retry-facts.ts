/**
 * Facts shared by the libraries that retry by themselves through a `retries` / `limit`
 * option (p-retry, async-retry, axios-retry, got, ky): the same option semantics, the same
 * header handling, the same status list shape.
 */
import {
  known,
  unknown,
  type AttemptsFacts,
  type ListItem,
  type Maybe,
  type OptionSlot,
  type RetryAfterFacts,
  type RetryOnFacts,
  type Span,
  type StatusMatch,
} from '@retrylint/shared';

/** A retry count (tries after the first) as total attempts; Infinity is unbounded. */
export function attemptsFromRetries(
  retries: { value: number; span?: Span } | undefined,
  slot: OptionSlot | undefined,
  why?: string,
): AttemptsFacts {
  return {
    max: retries ? known(retries.value === Infinity ? 'unbounded' : retries.value + 1, retries.span) : unknown(why),
    ...(slot ? { slot } : {}),
  };
}

/** The library reads Retry-After (seconds or HTTP-date) and sleeps it, up to `capMs`. */
export function retryAfterHonouredByLibrary(capMs: Maybe<number | 'none'>, capSlot?: OptionSlot): RetryAfterFacts {
  return {
    handlesRateLimit: known(false),
    honouredByLibrary: known(true),
    read: known(true),
    usedAsDelay: known(true),
    forms: ['seconds', 'date'],
    capMs,
    ...(capSlot ? { capSlot } : {}),
  };
}

/**
 * A delay the code chose itself (a number, a custom callback): the library never reads
 * Retry-After then, so a retried 429 or 503 in `statuses` sleeps whatever the callback says.
 */
export function retryAfterIgnoredFor(statuses: readonly StatusMatch[]): RetryAfterFacts {
  const rateLimit = statuses.find((match) => (match.min <= 429 && 429 <= match.max) || (match.min <= 503 && 503 <= match.max));
  return {
    handlesRateLimit: known(rateLimit !== undefined),
    honouredByLibrary: known(false),
    read: known(false),
    usedAsDelay: known(false),
    forms: [],
    capMs: unknown(),
    ...(rateLimit ? { span: rateLimit.span } : {}),
  };
}

/**
 * `statusCodes`: the literal list when written, the library's defaults when certainly not
 * written (`defaultsApply`), unknown otherwise. The library's own retry is never catch-all.
 */
export function statusCodeFacts(
  list: { span: Span; items: ListItem<number>[] } | undefined,
  defaultsApply: boolean,
  defaults: readonly number[],
  defaultsSpan: Span,
): Partial<RetryOnFacts> {
  return {
    statuses: list
      ? known(list.items.map((item) => ({ min: item.value, max: item.value, span: item.span })))
      : defaultsApply
        ? known(defaults.map((status) => ({ min: status, max: status, span: defaultsSpan })))
        : unknown(),
    ...(list ? { statusList: list } : {}),
    catchAll: known(false),
  };
}
