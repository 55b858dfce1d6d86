/**
 * A site's worst-case time, in the terms of the policy budget (policy/budget.ts): how many
 * attempts it makes, how long it sleeps, and which per-attempt timeout it can afford.
 * bounded-total-time judges with these numbers and require-timeout's fix writes them, so a
 * fix never writes a timeout that the total-time rule then reports.
 */
import { affordableTimeoutMs, worstCaseSleepsMs } from '../policy/budget.js';
import type { Policy } from '../policy/options.js';
import { backoffFromSpec } from '../schedule.js';
import { isRetrying, valueOf, type CallFacts, type JitterKind, type RetrySite } from '../site.js';
import { GROWING_STRATEGIES } from './jitter-fix.js';
import { backoffParamsOf } from './site-backoff.js';

/** The site's total tries when known and finite. */
export function knownAttempts(site: RetrySite): number | undefined {
  const attempts = valueOf(site.attempts.max);
  return typeof attempts === 'number' && Number.isInteger(attempts) && attempts >= 1 ? attempts : undefined;
}

/**
 * The longest Retry-After slept per retry when the site honours the header: its own cap
 * when smaller than the policy's, otherwise the policy's (above it a site should give up).
 */
export function honouredRetryAfterMs(site: RetrySite, policy: Policy): number | undefined {
  const honoured =
    valueOf(site.retryAfter.honouredByLibrary) === true || valueOf(site.retryAfter.usedAsDelay) === true;
  if (!honoured) return undefined;
  const cap = valueOf(site.retryAfter.capMs);
  return typeof cap === 'number' ? Math.min(cap, policy.maxRetryAfterMs) : policy.maxRetryAfterMs;
}

/** Every worst-case sleep of the site over `attempts`, or undefined when its delays are unknown. */
export function siteSleepsMs(site: RetrySite, policy: Policy, attempts: number): number | undefined {
  const backoff = backoffParamsOf(site.delay);
  if (!backoff) return undefined;
  return worstCaseSleepsMs(backoff.params, attempts, honouredRetryAfterMs(site, policy));
}

/** The jitter kinds a library option may switch on (the option does not say which). */
const LIBRARY_JITTERS: readonly JitterKind[] = ['full', 'equal', 'proportional', 'additive'];

/**
 * The jitter require-jitter's fix (jitter-fix.ts) can give this delay: whatever the library's
 * option does, full jitter for a renamed wait function or a hand-written expression, nothing
 * without a lever.
 */
function jittersAFixMayAdd(delay: RetrySite['delay']): readonly JitterKind[] {
  if (delay.jitterLever?.kind === 'option') return LIBRARY_JITTERS;
  if (delay.jitterLever?.kind === 'replace' || delay.expression) return ['full'];
  return [];
}

/**
 * The site's worst-case sleeps once other fixes have run: a growing schedule without
 * jitter may get the jitter its fix adds, and a library's may sleep longer than the nominal
 * delay (p-retry's randomize: up to 1.5 x).
 */
function sleepsAfterFixesMs(site: RetrySite, policy: Policy, attempts: number): number | undefined {
  const backoff = backoffParamsOf(site.delay);
  if (!backoff) return undefined;
  const retryAfterMs = honouredRetryAfterMs(site, policy);
  const { jitter: current, strategy } = backoff.params;
  const jitters = current === 'none' && GROWING_STRATEGIES.has(strategy) ? ['none' as const, ...jittersAFixMayAdd(site.delay)] : [current];
  return Math.max(...jitters.map((jitter) => worstCaseSleepsMs({ ...backoff.params, jitter }, attempts, retryAfterMs)));
}

/**
 * The per-attempt timeout a fix writes into a call of this site. A plain call may take
 * maxTimeoutMs. A retry gets what maxTotalMs leaves each attempt after its sleeps, counted
 * at the larger of its own schedule (with any jitter a fix may add) and the policy's (the
 * schedule other fixes move it towards: a delay added where there was none), with unknown
 * or unbounded attempts counted as the policy's maxAttempts (what bounded-attempts' fix
 * writes). When even the site's own sleeps leave no time at all, no timeout fits: undefined.
 */
export function timeoutBudgetMs(site: RetrySite, policy: Policy): number | undefined {
  if (!isRetrying(site)) return affordableTimeoutMs(policy, 1, 0);
  const attempts = knownAttempts(site) ?? policy.maxAttempts;
  const ownSleepsMs = sleepsAfterFixesMs(site, policy, attempts);
  const policySleepsMs = worstCaseSleepsMs(backoffFromSpec(policy.backoff), attempts, honouredRetryAfterMs(site, policy));
  return (
    affordableTimeoutMs(policy, attempts, Math.max(ownSleepsMs ?? 0, policySleepsMs)) ??
    affordableTimeoutMs(policy, attempts, ownSleepsMs ?? 0) ??
    shareBelowOneSecondMs(policy.maxTotalMs - (ownSleepsMs ?? 0), attempts)
  );
}

/**
 * The timeout require-timeout's fix writes. When the budget affords none but the site's sleeps
 * alone already exceed it (bounded-total-time reports that either way), the per-attempt limit;
 * when the sleeps fit but leave no time for the attempts, no value: any timeout would create
 * the total-time finding, so the fix is left to the author.
 */
export function fixTimeoutMs(site: RetrySite, policy: Policy): number | undefined {
  const budget = timeoutBudgetMs(site, policy);
  if (budget !== undefined) return budget;
  const attempts = knownAttempts(site) ?? policy.maxAttempts;
  const sleeps = siteSleepsMs(site, policy, attempts);
  return sleeps !== undefined && sleeps > policy.maxTotalMs ? policy.maxTimeoutMs : undefined;
}

/** What is left per attempt when it is less than a second (a tight configured budget). */
function shareBelowOneSecondMs(leftMs: number, attempts: number): number | undefined {
  const share = Math.floor(leftMs / attempts);
  return share >= 1 ? share : undefined;
}

/**
 * The largest known finite timeout among the calls, a lower bound of the per-attempt time
 * (a total built on it can only understate), and whether some call can wait forever.
 */
export function perAttemptTimeout(calls: readonly CallFacts[], judgeLibraryDefaults: boolean): { largestMs?: number; unbounded: boolean } {
  let largestMs: number | undefined;
  let unbounded = false;
  for (const call of calls) {
    const timeout = valueOf(call.timeout);
    if (timeout === undefined) continue;
    if (timeout.kind === 'missing' || timeout.kind === 'disabled') {
      unbounded = true;
      continue;
    }
    // Finite library defaults (SDKs: 600 s) are judged only by the strict policy, as in
    // require-timeout: otherwise every default SDK client would be reported.
    if (timeout.kind === 'library-default' && !judgeLibraryDefaults) continue;
    if (!(timeout.ms >= 0 && Number.isFinite(timeout.ms))) continue;
    largestMs = Math.max(largestMs ?? 0, timeout.ms);
  }
  return largestMs === undefined ? { unbounded } : { largestMs, unbounded };
}
