/**
 * The seam for client-side guards (token bucket, circuit breaker, retry budget): what the
 * simulated client asks before it retries and before it sends, and what it reports after.
 * Guards read virtual time through the `now` they were built with and never sleep.
 */

export type FailureCause = 'error' | 'timeout';

export type AdmitVerdict =
  | { readonly kind: 'send' }
  /** Ask again after this many ms (a token bucket out of tokens). */
  | { readonly kind: 'wait'; readonly ms: number }
  /** Fail the request without sending (an open circuit). */
  | { readonly kind: 'refuse'; readonly reason: string };

export interface ClientGuard {
  /** Before a retry is scheduled: false ends the request (an empty retry budget). */
  allowRetry?(cause: FailureCause): boolean;
  /** Just before an attempt is sent. */
  admit?(): AdmitVerdict;
  /** After an attempt that reached the server: its result. */
  recordOutcome?(outcome: 'success' | FailureCause): void;
}

/** Builds one client's guards for a policy; `now` is the simulation's virtual clock. */
export type ClientGuardFactory<P> = (policy: P, now: () => number) => readonly ClientGuard[];

const SEND: AdmitVerdict = { kind: 'send' };

/** The guards' verdicts in order: the first that does not say send decides. */
export function admitThrough(guards: readonly ClientGuard[]): AdmitVerdict {
  for (const guard of guards) {
    const verdict = guard.admit?.() ?? SEND;
    if (verdict.kind !== 'send') return verdict;
  }
  return SEND;
}

export function retryAllowedBy(guards: readonly ClientGuard[], cause: FailureCause): boolean {
  return guards.every((guard) => guard.allowRetry?.(cause) ?? true);
}
