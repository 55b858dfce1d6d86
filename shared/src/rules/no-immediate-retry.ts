import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type RetrySite } from '../site.js';
import type { Policy } from '../policy/options.js';
import type { Span } from '../span.js';
import { formatDuration } from './format.js';
import { jitterFix } from './jitter-fix.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'noDelay' | 'zeroFirstDelay';

export const noImmediateRetry = defineRule<MessageId>({
  meta: {
    id: 'no-immediate-retry',
    type: 'problem',
    description: 'Disallow retries that fire again with no delay.',
    docsUrl: docsUrl('no-immediate-retry'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      noDelay: 'Retries immediately: there is no delay between attempts (base delay {{base}}).',
      zeroFirstDelay: 'The first retry fires immediately: the delay starts at 0 ms (base delay {{base}}).',
    },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const messageId = immediateRetryKind(site);
    if (!messageId) return [];
    const report: Report<MessageId> = {
      messageId,
      data: { base: formatDuration(policy.baseDelayMs) },
      span: immediateRetrySpan(site, messageId),
    };
    const fix = addBaseDelay(site, policy);
    return [fix ? { ...report, fix } : report];
  },
});

function immediateRetryKind(site: RetrySite): MessageId | undefined {
  const strategy = valueOf(site.delay.strategy);
  if (strategy === undefined) return undefined;
  if (strategy === 'none') return 'noDelay';
  // Every strategy's first sleep is its base (linear: base + step * 0), so a zero base
  // means the first retry follows the failure at once.
  return valueOf(site.delay.baseMs) === 0 ? 'zeroFirstDelay' : undefined;
}

/** A zero base is wrong at the base value itself; a missing delay has no span of its own. */
function immediateRetrySpan(site: RetrySite, messageId: MessageId): Span {
  const baseSpan = messageId === 'zeroFirstDelay' ? site.delay.baseMs.span : undefined;
  return baseSpan ?? site.delay.span ?? site.reportSpan;
}

/**
 * Only the library's first-delay option can be set safely: a loop with no sleep has no
 * place the fix could know to put one. A delay added to a site without jitter comes with
 * the site's jitter lever, so the fix does not leave the next finding (require-jitter)
 * behind; without a lever it is only a suggestion that says so.
 */
function addBaseDelay(site: RetrySite, policy: Policy): Fix | undefined {
  const slot = site.delay.baseSlot;
  if (!slot || (slot.unit !== 'ms' && slot.unit !== 'seconds')) return undefined;
  const title = `Wait ${formatDuration(policy.baseDelayMs)} before the first retry`;
  const setBase = { kind: 'set-option', slot, value: policy.baseDelayMs } as const;
  const needsJitter = policy.jitter !== 'none' && valueOf(site.delay.jitter) === 'none';
  if (!needsJitter) return { title, applicability: 'safe', intents: [setBase] };
  const jitter = jitterFix(site.delay);
  if (jitter) return { title: `${title}, with jitter`, applicability: jitter.applicability, intents: [setBase, ...jitter.intents] };
  return { title: `${title} (and add jitter: the library option is not known here)`, applicability: 'display-only', intents: [setBase] };
}
