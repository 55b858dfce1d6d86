import { isRetrying, valueOf } from '../site.js';
import { defineRule, docsUrl } from './rule.js';

type MessageId = 'sleepsHoldingPermit';

export const noBackoffHoldingPermit = defineRule<MessageId>({
  meta: {
    id: 'no-backoff-holding-permit',
    type: 'problem',
    description: 'Disallow backoff sleeps while a semaphore, lock or pool slot is held.',
    docsUrl: docsUrl('no-backoff-holding-permit'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      sleepsHoldingPermit:
        'The backoff sleeps while holding this permit: every waiting retry keeps a slot busy for its whole backoff, so healthy work queues behind it.',
    },
    fixable: 'suggestion',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    if (!isRetrying(site) || valueOf(site.sleep.permitHeld) !== true) return [];
    return [
      {
        messageId: 'sleepsHoldingPermit',
        span: site.sleep.permitSpan ?? site.reportSpan,
        suggestions: [
          {
            title: 'Acquire the permit inside each attempt and release it before sleeping',
            applicability: 'display-only',
            intents: [],
          },
        ],
      },
    ];
  },
});
