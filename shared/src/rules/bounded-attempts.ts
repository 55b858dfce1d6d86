import type { Fix } from '../fix.js';
import type { Policy } from '../policy/options.js';
import { isRetrying, type RetrySite } from '../site.js';
import { formatCount } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'unbounded' | 'tooMany';

/** The frontend supplies the slot only when the limit is a literal it can rewrite. */
function clampFix(site: RetrySite, policy: Policy): Fix | undefined {
  const slot = site.attempts.slot;
  if (!slot) return undefined;
  return {
    title: `Limit to ${formatCount(policy.maxAttempts, 'attempt')}`,
    applicability: 'safe',
    intents: [{ kind: 'set-option', slot, value: policy.maxAttempts }],
  };
}

export const boundedAttempts = defineRule<MessageId>({
  meta: {
    id: 'bounded-attempts',
    type: 'problem',
    description: 'Require a retry to stop after a bounded number of attempts (maxAttempts).',
    docsUrl: docsUrl('bounded-attempts'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      unbounded: 'Retries without a limit: nothing stops the attempts (limit {{limit}}).',
      tooMany: 'Makes up to {{attempts}} attempts (limit {{limit}}).',
    },
    messageSeverity: { unbounded: 'error', tooMany: 'warn' },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const { max, deadlineMs } = site.attempts;
    if (max.kind !== 'known') return [];
    // A library default (LangChain's 6 retries) is the library's choice, judged by the strict preset only.
    if (site.attempts.libraryDefault && !policy.judgeLibraryDefaults) return [];
    const span = max.span ?? site.reportSpan;
    const fix = clampFix(site, policy);
    const limit = formatCount(policy.maxAttempts);
    let report: Report<MessageId> | undefined;
    if (max.value === 'unbounded') {
      // An overall deadline (backoff's max_time, stop_after_delay) bounds the retrying,
      // even when its value is unknown.
      if (deadlineMs !== undefined) return [];
      report = { messageId: 'unbounded', data: { limit }, span };
    } else if (max.value > policy.maxAttempts) {
      report = { messageId: 'tooMany', data: { attempts: formatCount(max.value), limit }, span };
    }
    if (!report) return [];
    return [fix ? { ...report, fix } : report];
  },
});
