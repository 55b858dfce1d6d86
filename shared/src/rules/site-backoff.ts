/**
 * From a site's delay facts to the schedule module's parameters, so that rules judge the
 * same numbers the hover and the simulator show.
 */
import { invalidBackoffReason, type BackoffParams } from '../schedule.js';
import { valueOf, type DelayFacts, type Maybe } from '../site.js';

function knownNumber(value: Maybe<number> | undefined): number | undefined {
  const result = valueOf(value);
  return typeof result === 'number' ? result : undefined;
}

/**
 * The schedule of a site, or undefined when a value it depends on is unknown: the
 * strategy, the cap, and what the strategy grows by (base, factor for exponential, step
 * for linear). An absent optional fact counts as unknown.
 *
 * An unknown jitter is read as 'none'. Every jitter's worst case is at least the nominal
 * delay, so worst-case numbers computed from these parameters are lower bounds of the
 * real worst case: enough to claim "exceeds", never to claim "within". Expected totals
 * are not lower bounds in that case; use them only when `jitterKnown` is true.
 */
export function backoffParamsOf(delay: DelayFacts): { params: BackoffParams; jitterKnown: boolean } | undefined {
  const strategy = valueOf(delay.strategy);
  if (strategy === undefined) return undefined;
  const jitter = valueOf(delay.jitter);
  const jitterKnown = jitter !== undefined;
  if (strategy === 'none') return { params: { strategy, baseMs: 0, jitter: jitter ?? 'none' }, jitterKnown };

  const baseMs = knownNumber(delay.baseMs);
  const cap = valueOf(delay.capMs);
  if (baseMs === undefined || cap === undefined) return undefined;
  let params: BackoffParams = { strategy, baseMs, jitter: jitter ?? 'none', ...(cap === 'none' ? {} : { capMs: cap }) };
  if (strategy === 'exponential') {
    const factor = knownNumber(delay.factor);
    if (factor === undefined) return undefined;
    params = { ...params, factor };
  } else if (strategy === 'linear') {
    const stepMs = knownNumber(delay.stepMs);
    if (stepMs === undefined) return undefined;
    params = { ...params, stepMs };
  }
  // Values a frontend read from odd code (a negative base) describe no schedule.
  return invalidBackoffReason(params) === undefined ? { params, jitterKnown } : undefined;
}
