import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type BackoffStrategy, type DelayFacts } from '../site.js';
import { defineRule, docsUrl } from './rule.js';

type MessageId = 'noJitter';

/**
 * Growing schedules synchronise clients that failed together. A constant delay does too,
 * but only with many callers, which a site cannot show: it stays silent.
 */
const GROWING: ReadonlySet<BackoffStrategy> = new Set(['exponential', 'fibonacci']);

function jitterFix(delay: DelayFacts): Fix | undefined {
  const lever = delay.jitterLever;
  if (lever?.kind === 'option') {
    return { title: 'Turn on the library jitter', applicability: 'safe', intents: [{ kind: 'set-option', slot: lever.slot, value: true }] };
  }
  if (lever?.kind === 'replace') {
    return {
      title: `Use ${lever.text} (randomised delays)`,
      applicability: 'safe',
      intents: [{ kind: 'replace', span: lever.span, text: lever.text }],
    };
  }
  if (delay.expression) {
    return {
      title: 'Add full jitter to the delay',
      applicability: 'safe',
      intents: [{ kind: 'full-jitter-expression', expression: delay.expression }],
    };
  }
  return undefined;
}

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
    if (strategy === undefined || !GROWING.has(strategy) || valueOf(delay.jitter) !== 'none') return [];
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
