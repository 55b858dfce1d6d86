/**
 * What the hover and the code lens say about one retry site: its sleeps before each retry,
 * its worst-case total time and how many requests it can make. Every number comes from
 * the policy core's schedule functions and the same site readings the rules judge with
 * (backoffParamsOf, knownAttempts, honouredRetryAfterMs, perAttemptTimeout), so the
 * editor never shows a number a finding contradicts.
 */
import {
  backoffParamsOf,
  honouredRetryAfterMs,
  isRetrying,
  knownAttempts,
  largestDelayMs,
  nominalDelayMs,
  perAttemptTimeout,
  scheduleTable,
  valueOf,
  worstCaseTotalMs,
  type BackoffParams,
  type Policy,
  type RetrySite,
  type ScheduleRow,
} from '@retrylint/shared';

/** A client inside the site that retries by itself: each of the site's attempts is `inner` requests. */
export interface InnerRetries {
  readonly client: string;
  readonly inner: number;
}

export interface SiteSchedule {
  /** Total tries including the first; undefined when the code does not say. */
  readonly attempts: number | 'unbounded' | undefined;
  /** Undefined when a delay fact is unknown (a sleep computed elsewhere). */
  readonly backoff: BackoffParams | undefined;
  /**
   * One row per retry (the sleep before attempt retry + 1) as the backoff draws it, without
   * Retry-After (a server may not send one); empty when attempts are not finite.
   */
  readonly rows: readonly ScheduleRow[];
  /** The largest known per-attempt timeout, library defaults included. */
  readonly timeoutMs: number | undefined;
  /** Some call has no timeout (or has it switched off): an attempt can wait forever. */
  readonly timeoutUnbounded: boolean;
  /** A Retry-After up to this replaces a shorter sleep; the worst case counts every sleep at least this long. */
  readonly retryAfterMs: number | undefined;
  /** Every sleep at its longest (Retry-After included); undefined when the delays or the attempts are unknown. */
  readonly sleepsMs: number | undefined;
  /** attempts x timeout + every sleep at its longest; Infinity when unbounded, undefined when unknown. */
  readonly worstCaseMs: number | undefined;
  /** An overall deadline (`stop_after_delay`, `maxRetryTime`) that ends the retrying. */
  readonly deadlineMs: number | undefined;
  readonly innerRetries: readonly InnerRetries[];
  /** The retry site this one runs inside, and its attempts. */
  readonly outerAttempts: number | 'unbounded' | undefined;
}

/** Sites a hover or a lens is about: everything that makes more than one attempt. */
export function isScheduledSite(site: RetrySite): boolean {
  return site.kind !== 'call' && isRetrying(site);
}

function attemptsOf(site: RetrySite): number | 'unbounded' | undefined {
  return valueOf(site.attempts.max) === 'unbounded' ? 'unbounded' : knownAttempts(site);
}

function innerRetriesOf(site: RetrySite): InnerRetries[] {
  // A client site is the client's own retry configuration, not a retry around it.
  if (site.kind === 'client') return [];
  return site.calls.flatMap((call) => {
    const inner = valueOf(call.clientAttempts);
    if (inner === undefined || inner <= 1) return [];
    return [{ client: call.kind === 'sdk' ? `${call.library} SDK` : call.library, inner }];
  });
}

function worstCaseOf(
  backoff: BackoffParams | undefined,
  attempts: number | 'unbounded' | undefined,
  timeout: { largestMs?: number; unbounded: boolean },
  retryAfterMs: number | undefined,
): number | undefined {
  if (attempts === 'unbounded' || timeout.unbounded) return Infinity;
  if (attempts === undefined || backoff === undefined || timeout.largestMs === undefined) return undefined;
  return worstCaseTotalMs(backoff, { attempts, timeoutMs: timeout.largestMs, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

export function siteSchedule(site: RetrySite, policy: Policy): SiteSchedule {
  const attempts = attemptsOf(site);
  const backoff = backoffParamsOf(site.delay)?.params;
  // The hover shows what a run can really take, so library defaults (SDKs: 600 s) count.
  const timeout = perAttemptTimeout(site.calls, true);
  const retryAfterMs = honouredRetryAfterMs(site, policy);
  const finite = typeof attempts === 'number';
  const withRetryAfter = retryAfterMs === undefined ? {} : { retryAfterMs };
  const rows = backoff && finite ? scheduleTable(backoff, { attempts, timeoutMs: 0 }) : [];
  const sleepsMs = backoff && finite ? worstCaseTotalMs(backoff, { attempts, timeoutMs: 0, ...withRetryAfter }) : undefined;
  const deadline = valueOf(site.attempts.deadlineMs);
  return {
    attempts,
    backoff,
    rows,
    timeoutMs: timeout.largestMs,
    timeoutUnbounded: timeout.unbounded,
    retryAfterMs,
    sleepsMs,
    worstCaseMs: worstCaseOf(backoff, attempts, timeout, retryAfterMs),
    deadlineMs: typeof deadline === 'number' ? deadline : undefined,
    innerRetries: innerRetriesOf(site),
    outerAttempts: site.nestedIn ? (valueOf(site.nestedIn.attempts) ?? undefined) : undefined,
  };
}

/** The first sleep (before jitter) and the longest one (with jitter), as the code lens shows them. */
export function backoffSpanMs(schedule: SiteSchedule): { firstMs: number; longestMs: number } | undefined {
  const { backoff, attempts, rows } = schedule;
  if (!backoff || attempts === undefined) return undefined;
  if (attempts === 'unbounded') return { firstMs: nominalDelayMs(backoff, 1), longestMs: largestDelayMs(backoff, Infinity) };
  if (rows.length === 0) return undefined;
  return { firstMs: rows[0].nominalMs, longestMs: Math.max(...rows.map((row) => row.maxMs)) };
}
