import type { Fix } from '../fix.js';
import type { Policy } from '../policy/options.js';
import { largestDelayMs, type BackoffParams } from '../schedule.js';
import { isRetrying, valueOf, type RetrySite } from '../site.js';
import type { Span } from '../span.js';
import { formatCount, formatDuration } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';
import { backoffParamsOf } from './site-backoff.js';

type MessageId = 'unbounded' | 'uncapped' | 'uncappedUnknownAttempts' | 'aboveLimit';

/** Prefer the library's cap option; otherwise wrap the hand-written delay expression. */
function capFix(site: RetrySite, policy: Policy): Fix | undefined {
  const title = `Cap the delay at ${formatDuration(policy.maxDelayMs)}`;
  const { capSlot, expression } = site.delay;
  if (capSlot) {
    return { title, applicability: 'safe', intents: [{ kind: 'set-option', slot: capSlot, value: policy.maxDelayMs }] };
  }
  if (expression) {
    // Python's sleeps take seconds, JavaScript's timers milliseconds.
    const unit = site.language === 'python' ? 'seconds' : 'ms';
    return { title, applicability: 'safe', intents: [{ kind: 'cap-expression', expression, capMs: policy.maxDelayMs, unit }] };
  }
  return undefined;
}

function growsWithoutLimit(params: BackoffParams): boolean {
  return params.capMs === undefined && largestDelayMs(params, Infinity) === Infinity;
}

type Finding = Pick<Report<MessageId>, 'messageId' | 'data'>;

/**
 * The attempt limit decides how far the schedule runs: unbounded runs it to its limit,
 * a known count to its last retry; an unknown count is judged only for uncapped growth.
 */
function judge(site: RetrySite, params: BackoffParams, policy: Policy): Finding | undefined {
  const limit = formatDuration(policy.maxDelayMs);
  const max = valueOf(site.attempts.max);
  const deadline = site.attempts.deadlineMs;
  const unboundedAttempts = max === 'unbounded' && deadline === undefined;
  if (typeof max === 'number' && Number.isInteger(max)) {
    const worst = largestDelayMs(params, max);
    if (worst <= policy.maxDelayMs) return undefined;
    const data = { delay: formatDuration(worst), attempts: formatCount(max), limit };
    return { messageId: growsWithoutLimit(params) ? 'uncapped' : 'aboveLimit', data };
  }
  if (unboundedAttempts) {
    const worst = largestDelayMs(params, Infinity);
    if (worst === Infinity) return { messageId: 'unbounded', data: { limit } };
    return worst > policy.maxDelayMs ? { messageId: 'aboveLimit', data: { delay: formatDuration(worst), limit } } : undefined;
  }
  if (!growsWithoutLimit(params)) return undefined;
  // A deadline shorter than the limit keeps every sleep under it too.
  const deadlineMs = valueOf(deadline);
  if (deadlineMs !== undefined && deadlineMs <= policy.maxDelayMs) return undefined;
  return { messageId: 'uncappedUnknownAttempts', data: { limit } };
}

export const boundedDelay = defineRule<MessageId>({
  meta: {
    id: 'bounded-delay',
    type: 'problem',
    description: 'Require backoff delays to be capped at maxDelayMs.',
    docsUrl: docsUrl('bounded-delay'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      unbounded: 'The delay grows without end: no cap and no attempt limit (limit {{limit}}).',
      uncapped: 'With {{attempts}} attempts and no cap, the delay grows to {{delay}} (limit {{limit}}).',
      uncappedUnknownAttempts: 'The delay has no cap and the attempt limit is unknown: it can grow past {{limit}}.',
      aboveLimit: 'The delay reaches {{delay}} (limit {{limit}}).',
    },
    messageSeverity: { unbounded: 'error', uncapped: 'error', uncappedUnknownAttempts: 'warn', aboveLimit: 'warn' },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const backoff = backoffParamsOf(site.delay);
    if (!backoff) return [];
    const finding = judge(site, backoff.params, policy);
    if (!finding) return [];
    const span: Span = site.delay.capMs.span ?? site.delay.span ?? site.reportSpan;
    const fix = capFix(site, policy);
    return [{ ...finding, span, ...(fix ? { fix } : {}) }];
  },
});
