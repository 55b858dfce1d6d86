/**
 * How a site's delay gets jitter: the library's option, a renamed wait function, or full
 * jitter around a hand-written expression. require-jitter offers it as its fix; a fix that
 * adds a delay (no-immediate-retry) adds it too, so it never leaves an unjittered schedule.
 */
import type { Fix } from '../fix.js';
import type { BackoffStrategy, DelayFacts } from '../site.js';

/**
 * Growing schedules synchronise clients that failed together, so they need jitter. A
 * constant delay does too, but only with many callers, which a site cannot show.
 */
export const GROWING_STRATEGIES: ReadonlySet<BackoffStrategy> = new Set(['exponential', 'fibonacci']);

export function jitterFix(delay: DelayFacts): Fix | undefined {
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
