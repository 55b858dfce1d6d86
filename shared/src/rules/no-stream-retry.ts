import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type RetrySite } from '../site.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'streamRetried';

/** "Disable it": one attempt, where the site has a literal attempt limit to set. */
function disableRetrySuggestion(site: RetrySite): Fix[] {
  const slot = site.attempts.slot;
  if (!slot) return [];
  return [
    {
      title: 'Make a single attempt (no retry of the stream)',
      applicability: 'unsafe',
      intents: [{ kind: 'set-option', slot, value: 1 }],
    },
  ];
}

export const noStreamRetry = defineRule<MessageId>({
  meta: {
    id: 'no-stream-retry',
    type: 'problem',
    description: 'Disallow retrying a streamed response after its chunks have been consumed.',
    docsUrl: docsUrl('no-stream-retry'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      streamRetried:
        'Retries a streamed {{library}} response after its chunks were consumed: a later attempt repeats output already delivered. Retry only before the first chunk.',
    },
    fixable: 'suggestion',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    // SDK clients' own retries stop once the headers arrive, so they never retry a stream.
    if (!isRetrying(site) || site.kind === 'client') return [];
    const streamedAndConsumed = site.calls.filter(
      (call) => valueOf(call.streaming) === true && valueOf(call.streamConsumedInRetry) === true,
    );
    return streamedAndConsumed.map((call): Report<MessageId> => {
      const suggestions = disableRetrySuggestion(site);
      return {
        messageId: 'streamRetried',
        data: { library: call.library },
        span: call.span,
        ...(suggestions.length > 0 ? { suggestions } : {}),
      };
    });
  },
});
