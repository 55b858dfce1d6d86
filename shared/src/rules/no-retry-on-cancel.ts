import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type Language } from '../site.js';
import { defineRule, docsUrl } from './rule.js';

type MessageId = 'retriesCancellation';

export const noRetryOnCancel = defineRule<MessageId>({
  meta: {
    id: 'no-retry-on-cancel',
    type: 'problem',
    description: 'Disallow retry paths that catch cancellation and start another attempt.',
    docsUrl: docsUrl('no-retry-on-cancel'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      retriesCancellation:
        'Cancellation is caught and retried: a cancelled task or aborted request starts another attempt instead of stopping.',
    },
    fixable: 'suggestion',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    const cancellation = site.retryOn.cancellation;
    if (!isRetrying(site) || valueOf(cancellation.retried) !== true || cancellation.guarded) return [];
    return [
      {
        messageId: 'retriesCancellation',
        span: cancellation.span ?? site.reportSpan,
        suggestions: [reRaiseFirst(site.language)],
      },
    ];
  },
});

/** Where the re-raise goes depends on the handler's shape, so the fix only describes it. */
function reRaiseFirst(language: Language): Fix {
  return {
    title:
      language === 'python'
        ? 'Re-raise `asyncio.CancelledError` (and `KeyboardInterrupt`) before retrying'
        : "Rethrow when the caller's `signal.aborted` is set, before retrying",
    applicability: 'display-only',
    intents: [],
  };
}
