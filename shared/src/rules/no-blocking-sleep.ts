import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type RetrySite } from '../site.js';
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
    const blockingCall = site.sleep.blockingCall;
    const report: Report<MessageId> = {
      messageId: 'blockingSleep',
      span: blockingCall?.span ?? site.reportSpan,
    };
    const fix = asyncSleepFix(site);
    return [fix ? { ...report, fix } : report];
  },
});

function asyncSleepFix(site: RetrySite): Fix | undefined {
  const blockingCall = site.sleep.blockingCall;
  if (!blockingCall) return undefined;
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
