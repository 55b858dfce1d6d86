import { isRetrying, type RetrySite } from '../site.js';
import { formatDuration } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';
import { knownAttempts, perAttemptTimeout, siteSleepsMs } from './site-budget.js';

type MessageId = 'worstCaseTooLong' | 'attemptsTooLong' | 'atLeastTooLong' | 'sleepsTooLong' | 'deadlineTooLong';

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
      atLeastTooLong:
        'At least {{total}} for the whole retry (limit {{limit}}): {{attempts}} attempts x {{timeout}} timeout + {{sleeps}} of sleeps, and a call with no timeout can wait longer.',
      sleepsTooLong:
        'The sleeps alone take {{sleeps}} over {{attempts}} attempts (limit {{limit}} for the whole retry), and a call with no timeout can wait longer.',
      deadlineTooLong:
        'The overall deadline of {{deadline}} lets the retry run past the limit of {{limit}} (at least {{total}} without it).',
    },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    // Unbounded attempts are bounded-attempts' finding; a total adds nothing to it.
    const attempts = knownAttempts(site);
    if (attempts === undefined) return [];
    const timeout = perAttemptTimeout(site.calls, policy.judgeLibraryDefaults);
    if (timeout.largestMs === undefined && !timeout.unbounded) return [];
    const deadline = site.attempts.deadlineMs;
    if (deadline !== undefined && deadline.kind === 'unknown') return [];
    const deadlineMs = deadline?.value;
    if (deadlineMs !== undefined && deadlineMs <= policy.maxTotalMs) return [];

    const timeoutMs = timeout.largestMs ?? 0;
    const attemptsMs = attempts * timeoutMs;
    const sleepsMs = siteSleepsMs(site, policy, attempts);
    const totalMs = sleepsMs === undefined ? undefined : attemptsMs + sleepsMs;
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
    // A call that can wait forever makes the real total unbounded (require-timeout's
    // finding); what the known parts already take is a finding of its own.
    if (timeout.unbounded && sleepsMs !== undefined) {
      const messageId = timeout.largestMs === undefined ? 'sleepsTooLong' : 'atLeastTooLong';
      return [report(messageId, { ...data, sleeps: formatDuration(sleepsMs) }, site.reportSpan)];
    }
    if (sleepsMs === undefined) return [report('attemptsTooLong', data, site.reportSpan)];
    return [report('worstCaseTooLong', { ...data, sleeps: formatDuration(sleepsMs) }, site.reportSpan)];
  },
});

function report(messageId: MessageId, data: Record<string, string | number>, span: RetrySite['reportSpan']): Report<MessageId> {
  return { messageId, data, span };
}
