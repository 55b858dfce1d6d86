import type { Policy } from '../policy/options.js';
import { worstCaseTotalMs } from '../schedule.js';
import { isRetrying, valueOf, type CallFacts, type RetrySite } from '../site.js';
import { formatDuration } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';
import { backoffParamsOf } from './site-backoff.js';

type MessageId = 'worstCaseTooLong' | 'attemptsTooLong' | 'deadlineTooLong';

export const boundedTotalTime = defineRule<MessageId>({
  meta: {
    id: 'bounded-total-time',
    type: 'problem',
    description: 'Limit the worst-case time of a whole retry site (attempts x timeout + sleeps) to maxTotalMs.',
    docsUrl: docsUrl('bounded-total-time'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      worstCaseTooLong:
        'Worst case {{total}} for the whole retry (limit {{limit}}): {{attempts}} attempts x {{timeout}} timeout + {{sleeps}} of sleeps.',
      attemptsTooLong:
        '{{attempts}} attempts x {{timeout}} timeout already take {{total}} (limit {{limit}}), and no overall deadline stops the retry.',
      deadlineTooLong:
        'The overall deadline of {{deadline}} lets the retry run past the limit of {{limit}} (at least {{total}} without it).',
    },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const attempts = valueOf(site.attempts.max);
    // Unbounded attempts are bounded-attempts' finding; a total adds nothing to it.
    if (typeof attempts !== 'number' || !Number.isInteger(attempts)) return [];
    const timeoutMs = perAttemptTimeoutMs(site.calls, policy.judgeLibraryDefaults);
    if (timeoutMs === undefined) return [];
    const deadline = site.attempts.deadlineMs;
    if (deadline !== undefined && deadline.kind === 'unknown') return [];
    const deadlineMs = deadline?.value;
    if (deadlineMs !== undefined && deadlineMs <= policy.maxTotalMs) return [];

    const attemptsMs = attempts * timeoutMs;
    const totalMs = worstCaseMs(site, policy, attempts, timeoutMs);
    const lowerBoundMs = totalMs ?? attemptsMs;
    if (lowerBoundMs <= policy.maxTotalMs) return [];

    const data = {
      total: formatDuration(lowerBoundMs),
      limit: formatDuration(policy.maxTotalMs),
      attempts,
      timeout: formatDuration(timeoutMs),
    };
    if (deadlineMs !== undefined && deadline !== undefined) {
      return [report('deadlineTooLong', { ...data, deadline: formatDuration(deadlineMs) }, deadline.span ?? site.reportSpan)];
    }
    if (totalMs === undefined) return [report('attemptsTooLong', data, site.reportSpan)];
    return [report('worstCaseTooLong', { ...data, sleeps: formatDuration(totalMs - attemptsMs) }, site.reportSpan)];
  },
});

function report(messageId: MessageId, data: Record<string, string | number>, span: RetrySite['reportSpan']): Report<MessageId> {
  return { messageId, data, span };
}

/**
 * The largest known finite timeout among the calls: a lower bound of the per-attempt time,
 * so a total built on it can only understate. A call that can wait forever makes the total
 * unbounded, which is require-timeout's finding, so the rule steps aside.
 */
function perAttemptTimeoutMs(calls: readonly CallFacts[], judgeLibraryDefaults: boolean): number | undefined {
  let largest: number | undefined;
  for (const call of calls) {
    const timeout = valueOf(call.timeout);
    if (timeout === undefined) continue;
    if (timeout.kind === 'missing' || timeout.kind === 'disabled') return undefined;
    // Finite library defaults (SDKs: 600 s) are judged only by the strict policy, as in
    // require-timeout: otherwise every default SDK client would be reported.
    if (timeout.kind === 'library-default' && !judgeLibraryDefaults) continue;
    if (!(timeout.ms >= 0 && Number.isFinite(timeout.ms))) continue;
    largest = Math.max(largest ?? 0, timeout.ms);
  }
  return largest;
}

/** Attempts x timeout + every worst-case sleep, or undefined when the delays are unknown. */
function worstCaseMs(site: RetrySite, policy: Policy, attempts: number, timeoutMs: number): number | undefined {
  const backoff = backoffParamsOf(site.delay);
  if (!backoff) return undefined;
  const retryAfterMs = honouredRetryAfterMs(site, policy);
  return worstCaseTotalMs(backoff.params, {
    attempts,
    timeoutMs,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * The longest Retry-After slept per retry when the site honours the header: its own cap
 * when smaller than the policy's, otherwise the policy's (above it a site should give up).
 */
function honouredRetryAfterMs(site: RetrySite, policy: Policy): number | undefined {
  const honoured =
    valueOf(site.retryAfter.honouredByLibrary) === true || valueOf(site.retryAfter.usedAsDelay) === true;
  if (!honoured) return undefined;
  const cap = valueOf(site.retryAfter.capMs);
  return typeof cap === 'number' ? Math.min(cap, policy.maxRetryAfterMs) : policy.maxRetryAfterMs;
}
