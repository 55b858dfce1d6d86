/**
 * The node-retry family of options (p-retry, async-retry): retries, factor, minTimeout,
 * maxTimeout, randomize. Both libraries compute `min(minTimeout * factor^(n-1) * random, maxTimeout)`.
 */
import { known, unknown, type AttemptsFacts, type DelayFacts } from '@retrylint/shared';
import type { Options } from '../context.js';
import { attemptsFromRetries } from './client-retry-facts.js';

export interface NodeRetryDefaults {
  readonly retries: number;
  readonly randomize: boolean;
}

export function nodeRetryAttempts(options: Options, defaults: NodeRetryDefaults): Partial<AttemptsFacts> {
  // `forever: true` (node-retry, so async-retry and p-retry) retries without end.
  const forever = options.boolean('forever', false);
  if (forever?.value) return { max: known('unbounded', forever.span) };
  const retries = options.number('retries', defaults.retries);
  const slot = options.slot('retries', 'retries');
  return attemptsFromRetries(retries, slot, 'retries not visible');
}

export function nodeRetryDelay(options: Options, defaults: NodeRetryDefaults): Partial<DelayFacts> {
  const factor = options.number('factor', 2);
  const minTimeout = options.number('minTimeout', 1_000);
  const maxTimeout = options.number('maxTimeout', Infinity);
  const randomize = options.boolean('randomize', defaults.randomize);
  const capSlot = options.slot('maxTimeout', 'ms');
  const jitterSlot = options.slot('randomize', 'boolean');
  return {
    strategy: factor ? known(factor.value > 1 ? 'exponential' : minTimeout?.value === 0 ? 'none' : 'constant') : unknown(),
    baseMs: minTimeout ? known(minTimeout.value, minTimeout.span) : unknown(),
    factor: factor ? known(factor.value, factor.span) : unknown(),
    capMs: maxTimeout ? known(maxTimeout.value === Infinity ? 'none' : maxTimeout.value, maxTimeout.span) : unknown(),
    // randomize multiplies each delay by a factor between 1 and 2.
    jitter: randomize ? known(randomize.value ? 'proportional' : 'none', randomize.span) : unknown(),
    ...(capSlot ? { capSlot } : {}),
    ...(jitterSlot && randomize && !randomize.value ? { jitterLever: { kind: 'option' as const, slot: jitterSlot } } : {}),
  };
}
