import { isRetrying, valueOf } from '../site.js';
import { GROWING_STRATEGIES, jitterFix } from './jitter-fix.js';
import { defineRule, docsUrl } from './rule.js';

type MessageId = 'noJitter';


export const requireJitter = defineRule<MessageId>({
  meta: {
    id: 'require-jitter',
    type: 'suggestion',
    description: 'Require randomised (jittered) backoff so that clients that failed together do not retry together.',
    docsUrl: docsUrl('require-jitter'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      noJitter:
        '{{strategy}} backoff without jitter: clients that failed together retry at the same moments (policy jitter: {{jitter}}).',
    },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site) || policy.jitter === 'none') return [];
    const { delay } = site;
    const strategy = valueOf(delay.strategy);
    if (strategy === undefined || !GROWING_STRATEGIES.has(strategy) || valueOf(delay.jitter) !== 'none') return [];
    // Nothing to spread when every delay is zero (no-immediate-retry's business).
    if (valueOf(delay.baseMs) === 0) return [];
    const fix = jitterFix(delay);
    const label = strategy === 'exponential' ? 'Exponential' : 'Fibonacci';
    return [
      {
        messageId: 'noJitter',
        data: { strategy: label, jitter: policy.jitter },
        span: delay.span ?? site.reportSpan,
        ...(fix ? { fix } : {}),
      },
    ];
  },
});
