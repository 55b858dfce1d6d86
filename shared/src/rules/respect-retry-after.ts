import type { Fix } from '../fix.js';
import type { Policy } from '../policy/options.js';
import { isRetrying, valueOf, type RetryAfterFacts } from '../site.js';
import type { Span } from '../span.js';
import { formatDuration, formatList } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'ignored' | 'notUsed' | 'secondsOnly' | 'uncapped' | 'capTooHigh';

function capSuggestion(retryAfter: RetryAfterFacts, policy: Policy): Fix[] {
  const slot = retryAfter.capSlot;
  if (!slot) return [];
  return [
    {
      title: `Cap the Retry-After wait at ${formatDuration(policy.maxRetryAfterMs)}`,
      applicability: 'unsafe',
      intents: [{ kind: 'set-option', slot, value: policy.maxRetryAfterMs }],
    },
  ];
}

/** Judges the cap on a wait that the header decides (by the code or by the library). */
function capReports(retryAfter: RetryAfterFacts, policy: Policy, span: Span): Report<MessageId>[] {
  const cap = valueOf(retryAfter.capMs);
  const limit = formatDuration(policy.maxRetryAfterMs);
  const suggestions = capSuggestion(retryAfter, policy);
  const withSuggestions = (report: Report<MessageId>): Report<MessageId> =>
    suggestions.length > 0 ? { ...report, suggestions } : report;
  if (cap === 'none') return [withSuggestions({ messageId: 'uncapped', data: { limit }, span })];
  if (cap !== undefined && cap > policy.maxRetryAfterMs) {
    return [withSuggestions({ messageId: 'capTooHigh', data: { cap: formatDuration(cap), limit }, span })];
  }
  return [];
}

/** Where the code handles 429/503 itself: is the header read, used, parsed fully, capped? */
function handWrittenReports(retryAfter: RetryAfterFacts, policy: Policy, span: Span): Report<MessageId>[] {
  const read = valueOf(retryAfter.read);
  // Not reading the header is only a fault when no library underneath honours it.
  if (read === false && valueOf(retryAfter.honouredByLibrary) === false) {
    return [{ messageId: 'ignored', data: { limit: formatDuration(policy.maxRetryAfterMs) }, span }];
  }
  if (read !== true) return [];
  if (valueOf(retryAfter.usedAsDelay) === false) return [{ messageId: 'notUsed', span }];
  const reports: Report<MessageId>[] = [];
  const { forms } = retryAfter;
  if (forms.length > 0 && !forms.includes('date')) {
    reports.push({ messageId: 'secondsOnly', data: { forms: formatList(forms) }, span });
  }
  if (valueOf(retryAfter.usedAsDelay) === true) reports.push(...capReports(retryAfter, policy, span));
  return reports;
}

export const respectRetryAfter = defineRule<MessageId>({
  meta: {
    id: 'respect-retry-after',
    type: 'problem',
    description: 'Require rate-limit retries to wait for Retry-After (both forms), capped at maxRetryAfterMs.',
    docsUrl: docsUrl('respect-retry-after'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      ignored:
        'Retries rate-limited responses without reading Retry-After (or retry-after-ms): wait what the server asks, up to {{limit}}.',
      notUsed: 'Reads Retry-After but sleeps something else: use the header as the delay.',
      secondsOnly: 'Parses Retry-After only as {{forms}}: an HTTP-date value breaks it.',
      uncapped: 'Sleeps whatever Retry-After says, without a cap: give up above {{limit}} instead.',
      capTooHigh: 'Waits up to {{cap}} for Retry-After (limit {{limit}}): give up above the limit instead.',
    },
    fixable: 'suggestion',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const { retryAfter } = site;
    const span = retryAfter.span ?? site.reportSpan;
    // A library that honours the header needs no reading code; only its cap is judged.
    if (valueOf(retryAfter.honouredByLibrary) === true) return capReports(retryAfter, policy, span);
    if (valueOf(retryAfter.handlesRateLimit) !== true) return [];
    return handWrittenReports(retryAfter, policy, span);
  },
});
