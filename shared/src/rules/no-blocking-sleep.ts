import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type BlockingCall, type RetrySite } from '../site.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'blockingSleep';

export const noBlockingSleep = defineRule<MessageId>({
  meta: {
    id: 'no-blocking-sleep',
    type: 'problem',
    description: 'Disallow blocking sleeps (time.sleep, Atomics.wait) for backoff in async retry code.',
    docsUrl: docsUrl('no-blocking-sleep'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      blockingSleep:
        'Blocking sleep in async retry code: the whole event loop stops for every backoff, not just this task.',
    },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    if (!isRetrying(site) || valueOf(site.sleep.blockingInAsync) !== true) return [];
    const { blockingCall, blockingCalls } = site.sleep;
    const calls = blockingCalls ?? (blockingCall ? [blockingCall] : []);
    if (calls.length === 0) return [{ messageId: 'blockingSleep', span: site.reportSpan }];
    return calls.map((call): Report<MessageId> => ({ messageId: 'blockingSleep', span: call.span, fix: asyncSleepFix(site, call) }));
  },
});

function asyncSleepFix(site: RetrySite, blockingCall: BlockingCall): Fix {
  return {
    title: site.language === 'python' ? 'Use `await asyncio.sleep(…)`' : 'Await a timer instead of blocking',
    applicability: 'safe',
    intents: [
      blockingCall.argument
        ? { kind: 'async-sleep', call: blockingCall.span, argument: blockingCall.argument }
        : { kind: 'async-sleep', call: blockingCall.span },
    ],
  };
}
