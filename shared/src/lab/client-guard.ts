/**
 * The seam for client-side guards (token bucket, circuit breaker, retry budget): what the
 * simulated client asks before it retries and before it sends, and what it reports after.
 * Guards read virtual time through the `now` they were built with and never sleep.
 */

export type FailureCause = 'error' | 'timeout';

/** How an attempt ended, in the engine's terms (`AttemptOutcome` in shared/src/engine/events.ts). */
export type SimAttemptOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'http-error'; readonly status: number }
  /** A stream that broke after its first chunk. */
  | { readonly kind: 'stream-cut' }
  | { readonly kind: 'timeout' }
  /** The request's deadline passed during the attempt. */
  | { readonly kind: 'deadline' };

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
  /** After an attempt that was sent: how it ended. */
  recordOutcome?(outcome: SimAttemptOutcome): void;
}

/** Builds one client's guards for a policy; `now` is the simulation's virtual clock. */
export type ClientGuardFactory<P> = (policy: P, now: () => number) => readonly ClientGuard[];

export const SEND: AdmitVerdict = { kind: 'send' };

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

export function recordOutcome(guards: readonly ClientGuard[], outcome: SimAttemptOutcome): void {
  for (const guard of guards) guard.recordOutcome?.(outcome);
}
