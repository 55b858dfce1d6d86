/**
 * Delay schedules: how long a retry site sleeps before each retry, and how long the whole
 * site can take. The hover text, the linter's thresholds, the simulator and the live engine
 * all use these functions, so they show the same numbers.
 *
 * Conventions:
 * - `retry` counts retries: retry 1 is the sleep after the first failure.
 * - `attempts` counts tries including the first, so a site with n attempts sleeps n - 1 times.
 * - The cap applies last: no sleep ever exceeds `capMs`, whatever the jitter.
 * - Invalid numbers (negative, NaN, a fractional retry) throw a RangeError that names the
 *   field: they are bugs in the caller, and a silent 0 would hide them.
 *   `invalidBackoffReason` lets a caller check parameters without catching.
 * - Uncapped growth may reach Infinity, never NaN.
 *
 * Jitter, for a nominal delay d (already capped) and the base b:
 * - none: d
 * - full: uniform in [0, d]
 * - equal: d/2 + uniform in [0, d/2]
 * - proportional: uniform in [d * (1 - 0.5), d * (1 + 0.5)] (PROPORTIONAL_JITTER_SPREAD)
 * - additive: d + uniform in [0, b]
 * - decorrelated: a schedule of its own (AWS "Exponential Backoff And Jitter"):
 *   sleep = min(cap, uniform in [b, previous * 3]), with previous = b before the first retry.
 *   It applies when either the strategy or the jitter is `decorrelated`; its nominal delay
 *   is the envelope b * 3^retry (the largest sleep the draws can reach).
 */
import type { BackoffSpec } from './policy/options.js';
import type { BackoffStrategy, JitterKind } from './site.js';

/** Uniform in [0, 1). */
export type RandomSource = () => number;

export interface BackoffParams {
  readonly strategy: BackoffStrategy;
  /** First sleep; linear: delay(k) = baseMs + stepMs * (k - 1). */
  readonly baseMs: number;
  /** Exponential growth, default 2. */
  readonly factor?: number;
  /** Linear step, default baseMs. */
  readonly stepMs?: number;
  /** Largest single sleep; undefined (or Infinity) = no cap. */
  readonly capMs?: number;
  readonly jitter: JitterKind;
}

export interface TotalTimeInput {
  /** Total tries including the first; Infinity when unbounded. */
  readonly attempts: number;
  /** Per-attempt timeout; Infinity when an attempt can wait forever. */
  readonly timeoutMs: number;
  /** Largest (already capped) Retry-After honoured per retry: a sleep is max(backoff, retryAfter). */
  readonly retryAfterMs?: number;
}

/** The sleep before one retry. With a Retry-After, every field is max(backoff, retryAfter). */
export interface ScheduleRow {
  readonly retry: number;
  readonly nominalMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly expectedMs: number;
  /** Worst-case time from the start of the first attempt until this retry starts. */
  readonly cumulativeWorstMs: number;
}

export const DEFAULT_EXPONENTIAL_FACTOR = 2;
/** Proportional jitter draws from d * (1 - spread) to d * (1 + spread). */
export const PROPORTIONAL_JITTER_SPREAD = 0.5;
/** AWS decorrelated jitter: the next sleep is drawn up to 3 x the previous one. */
export const DECORRELATED_GROWTH = 3;

const STRATEGIES: readonly BackoffStrategy[] = ['none', 'constant', 'linear', 'exponential', 'decorrelated', 'fibonacci'];
const JITTERS: readonly JitterKind[] = ['none', 'full', 'equal', 'decorrelated', 'proportional', 'additive'];

// ---------------------------------------------------------------------------------------
// Validation

function describeNumber(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

function isNonNegative(value: unknown, allowInfinity: boolean): boolean {
  return typeof value === 'number' && value >= 0 && (allowInfinity || Number.isFinite(value));
}

/** Why the parameters cannot describe a schedule, or undefined when they can. */
export function invalidBackoffReason(p: BackoffParams): string | undefined {
  if (!STRATEGIES.includes(p.strategy)) return `backoff strategy must be one of ${STRATEGIES.join(', ')} (got ${describeNumber(p.strategy)})`;
  if (!JITTERS.includes(p.jitter)) return `backoff jitter must be one of ${JITTERS.join(', ')} (got ${describeNumber(p.jitter)})`;
  if (!isNonNegative(p.baseMs, false)) return `backoff baseMs must be a finite number >= 0 (got ${describeNumber(p.baseMs)})`;
  if (p.factor !== undefined && !isNonNegative(p.factor, false)) {
    return `backoff factor must be a finite number >= 0 (got ${describeNumber(p.factor)})`;
  }
  if (p.stepMs !== undefined && !isNonNegative(p.stepMs, false)) {
    return `backoff stepMs must be a finite number >= 0 (got ${describeNumber(p.stepMs)})`;
  }
  if (p.capMs !== undefined && !isNonNegative(p.capMs, true)) {
    return `backoff capMs must be a number >= 0 or undefined (got ${describeNumber(p.capMs)})`;
  }
  return undefined;
}

function assertBackoff(p: BackoffParams): void {
  const reason = invalidBackoffReason(p);
  if (reason !== undefined) throw new RangeError(reason);
}

function assertRetry(retry: number): void {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be an integer >= 1 (got ${describeNumber(retry)})`);
}

function assertAttempts(attempts: number): void {
  if (!(Number.isInteger(attempts) && attempts >= 0) && attempts !== Infinity) {
    throw new RangeError(`attempts must be an integer >= 0 or Infinity (got ${describeNumber(attempts)})`);
  }
}

function assertTotalInput(input: TotalTimeInput): void {
  assertAttempts(input.attempts);
  if (!isNonNegative(input.timeoutMs, true)) throw new RangeError(`timeoutMs must be a number >= 0 (got ${describeNumber(input.timeoutMs)})`);
  if (input.retryAfterMs !== undefined && !isNonNegative(input.retryAfterMs, true)) {
    throw new RangeError(`retryAfterMs must be a number >= 0 (got ${describeNumber(input.retryAfterMs)})`);
  }
}

// ---------------------------------------------------------------------------------------
// Nominal delays and the range jitter can produce

function capOf(p: BackoffParams): number {
  return p.capMs ?? Infinity;
}

function isDecorrelated(p: BackoffParams): boolean {
  return p.strategy !== 'none' && (p.strategy === 'decorrelated' || p.jitter === 'decorrelated');
}

/** base, base, 2 base, 3 base, 5 base...; stops early once the cap is reached. */
function fibonacciDelay(baseMs: number, retry: number, capMs: number): number {
  if (baseMs === 0) return 0;
  let previous = 0;
  let current = baseMs;
  for (let k = 1; k < retry && current < capMs && current !== Infinity; k++) {
    [previous, current] = [current, previous + current];
  }
  return current;
}

/** The largest sleep decorrelated draws can reach at this retry: base * 3^retry. */
function decorrelatedEnvelope(baseMs: number, retry: number): number {
  return baseMs === 0 ? 0 : baseMs * DECORRELATED_GROWTH ** retry;
}

function uncappedNominal(p: BackoffParams, retry: number): number {
  switch (p.strategy) {
    case 'none':
      return 0;
    case 'constant':
      return p.baseMs;
    case 'linear':
      return p.baseMs + (p.stepMs ?? p.baseMs) * (retry - 1);
    case 'exponential':
      return p.baseMs === 0 ? 0 : p.baseMs * (p.factor ?? DEFAULT_EXPONENTIAL_FACTOR) ** (retry - 1);
    case 'fibonacci':
      return fibonacciDelay(p.baseMs, retry, capOf(p));
    case 'decorrelated':
      return decorrelatedEnvelope(p.baseMs, retry);
  }
}

/** The nominal delay as retry grows without end (Infinity for unbounded growth). */
function limitNominal(p: BackoffParams): number {
  if (p.strategy === 'none' || (p.baseMs === 0 && p.strategy !== 'linear')) return 0;
  switch (p.strategy) {
    case 'constant':
      return p.baseMs;
    case 'linear':
      return (p.stepMs ?? p.baseMs) > 0 ? Infinity : p.baseMs;
    case 'exponential': {
      const factor = p.factor ?? DEFAULT_EXPONENTIAL_FACTOR;
      return factor > 1 ? Infinity : factor === 1 ? p.baseMs : 0;
    }
    default:
      return Infinity;
  }
}

interface Range {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Before the cap: the interval a uniform draw of this jitter covers around nominal d. */
function jitterInterval(p: BackoffParams, d: number): Range {
  switch (p.jitter) {
    case 'full':
      return { minMs: 0, maxMs: d };
    case 'equal':
      return { minMs: d / 2, maxMs: d };
    case 'proportional':
      return { minMs: d * (1 - PROPORTIONAL_JITTER_SPREAD), maxMs: d * (1 + PROPORTIONAL_JITTER_SPREAD) };
    case 'additive':
      return { minMs: d, maxMs: d + p.baseMs };
    case 'none':
    case 'decorrelated':
      return { minMs: d, maxMs: d };
  }
}

/** The point at fraction u of [low, high]; Infinity when the interval is unbounded. */
function pointInInterval(low: number, high: number, u: number): number {
  if (high === Infinity) return Infinity;
  // min: rounding in low + u * (high - low) must not step past the interval.
  return Math.min(high, low + u * (high - low));
}

function drawUniform(low: number, high: number, random: RandomSource): number {
  return pointInInterval(low, high, random());
}

function rangeFromNominal(p: BackoffParams, nominal: number, envelope: number): Range {
  const cap = capOf(p);
  if (p.strategy === 'none') return { minMs: 0, maxMs: 0 };
  if (isDecorrelated(p)) return { minMs: Math.min(cap, p.baseMs), maxMs: Math.min(cap, envelope) };
  const interval = jitterInterval(p, Math.min(cap, nominal));
  return { minMs: Math.min(cap, interval.minMs), maxMs: Math.min(cap, interval.maxMs) };
}

function sleepRange(p: BackoffParams, retry: number): Range {
  return rangeFromNominal(p, uncappedNominal(p, retry), decorrelatedEnvelope(p.baseMs, retry));
}

export function backoffFromSpec(spec: BackoffSpec): BackoffParams {
  return {
    strategy: spec.strategy,
    baseMs: spec.baseMs,
    factor: spec.factor,
    stepMs: spec.stepMs,
    capMs: spec.capMs === Infinity ? undefined : spec.capMs,
    jitter: spec.jitter,
  };
}

/** The delay before jitter, after the cap. */
export function nominalDelayMs(p: BackoffParams, retry: number): number {
  assertBackoff(p);
  assertRetry(retry);
  return Math.min(capOf(p), uncappedNominal(p, retry));
}

/** The range jitter can produce at this retry (capped). */
export function delayBoundsMs(p: BackoffParams, retry: number): { minMs: number; maxMs: number } {
  assertBackoff(p);
  assertRetry(retry);
  return { ...sleepRange(p, retry) };
}

export function worstCaseDelayMs(p: BackoffParams, retry: number): number {
  return delayBoundsMs(p, retry).maxMs;
}

/** Max worst-case sleep over retries 1..attempts-1; 0 when attempts <= 1; attempts may be Infinity. */
export function largestDelayMs(p: BackoffParams, attempts: number): number {
  assertBackoff(p);
  assertAttempts(attempts);
  if (attempts <= 1) return 0;
  // Every worst-case sequence is monotone in the retry (decaying only for factor < 1),
  // so the largest sleep is at one end.
  const last = attempts === Infinity ? rangeFromNominal(p, limitNominal(p), p.baseMs === 0 ? 0 : Infinity) : sleepRange(p, attempts - 1);
  return Math.max(sleepRange(p, 1).maxMs, last.maxMs);
}

// ---------------------------------------------------------------------------------------
// Sampling

/** Iterations after which a decorrelated chain is taken as settled (its draws stay bounded by the cap). */
const DECORRELATED_HORIZON = 2_000;

/** min(cap, uniform in [base, 3 x previous]); callers also clamp to the envelope, against rounding. */
function decorrelatedDraw(p: BackoffParams, previousMs: number, random: RandomSource): number {
  const high = Math.max(p.baseMs, previousMs * DECORRELATED_GROWTH);
  return Math.min(capOf(p), drawUniform(p.baseMs, high, random));
}

/**
 * One sleep drawn with the given random source. Decorrelated schedules depend on the
 * previous sleep: pass it as `previousMs` when simulating a sequence; without it, the chain
 * from retry 1 is drawn (retries beyond 2000 are drawn as retry 2000).
 */
export function sampleDelayMs(p: BackoffParams, retry: number, random: RandomSource, previousMs?: number): number {
  assertBackoff(p);
  assertRetry(retry);
  if (p.strategy === 'none') return 0;
  if (isDecorrelated(p)) {
    if (previousMs !== undefined) {
      if (!isNonNegative(previousMs, true)) throw new RangeError(`previousMs must be a number >= 0 (got ${describeNumber(previousMs)})`);
      return Math.min(decorrelatedEnvelope(p.baseMs, retry), decorrelatedDraw(p, previousMs, random));
    }
    let sleep = p.baseMs;
    for (let k = 1; k <= Math.min(retry, DECORRELATED_HORIZON); k++) {
      sleep = Math.min(decorrelatedEnvelope(p.baseMs, k), decorrelatedDraw(p, sleep, random));
    }
    return sleep;
  }
  const cap = capOf(p);
  const interval = jitterInterval(p, Math.min(cap, uncappedNominal(p, retry)));
  return Math.min(cap, drawUniform(interval.minMs, interval.maxMs, random));
}

/** Deterministic PRNG (mulberry32); the seed is taken as an unsigned 32-bit integer. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------
// Expectations

/** E[max(floor, min(cap, U))] for U uniform in [low, high]. */
function expectedClampedUniform(low: number, high: number, floor: number, cap: number): number {
  if (floor >= cap) return floor;
  if (high === Infinity) return cap;
  if (high <= low) return Math.max(floor, Math.min(cap, low));
  const width = high - low;
  const belowFloor = (Math.min(Math.max(floor, low), high) - low) / width;
  const aboveCap = (high - Math.min(Math.max(cap, low), high)) / width;
  const from = Math.max(low, floor);
  const to = Math.min(high, cap);
  const between = to > from ? (to * to - from * from) / 2 / width : 0;
  const mean = (belowFloor > 0 ? belowFloor * floor : 0) + (aboveCap > 0 ? aboveCap * cap : 0) + between;
  // Rounding must not put the mean outside the range the sleep can take.
  return Math.min(Math.max(mean, Math.max(floor, Math.min(cap, low))), Math.max(floor, Math.min(cap, high)));
}

const DECORRELATED_PATHS = 2_048;
const DECORRELATED_EXPECTATION_SEED = 0x5eed;

/**
 * Expected decorrelated sleeps for retries 1..count (at most the horizon). The sleep at a
 * retry depends on the whole chain before it, so the chain is followed on seeded,
 * stratified paths and the last draw's expectation is taken exactly per path (within about
 * 0.5% of a million-run simulation). Without a cap and a floor the mean
 * has a closed form: E[k] = 2 base * 1.5^k - base.
 */
function decorrelatedExpectations(p: BackoffParams, count: number, floor: number): number[] {
  const steps = Math.min(count, DECORRELATED_HORIZON);
  const cap = capOf(p);
  const result: number[] = [];
  if (cap === Infinity && floor === 0) {
    for (let k = 1; k <= steps; k++) result.push(p.baseMs === 0 ? 0 : 2 * p.baseMs * 1.5 ** k - p.baseMs);
    return result;
  }
  const random = seededRandom(DECORRELATED_EXPECTATION_SEED);
  const previous = new Float64Array(DECORRELATED_PATHS).fill(p.baseMs);
  const strata = Array.from({ length: DECORRELATED_PATHS }, (_, i) => i);
  for (let k = 1; k <= steps; k++) {
    let sum = 0;
    shuffle(strata, random);
    const range = sleepRange(p, k);
    const envelope = decorrelatedEnvelope(p.baseMs, k);
    for (let i = 0; i < DECORRELATED_PATHS; i++) {
      const high = Math.min(Math.max(p.baseMs, previous[i] * DECORRELATED_GROWTH), envelope);
      sum += expectedClampedUniform(p.baseMs, high, floor, cap);
      // Stratified draws (one per slice of [0, 1), shuffled across paths) keep the
      // paths spread like the real distribution with far fewer of them.
      previous[i] = Math.min(cap, pointInInterval(p.baseMs, high, (strata[i] + random()) / DECORRELATED_PATHS));
    }
    result.push(Math.min(Math.max(sum / DECORRELATED_PATHS, floor, range.minMs), Math.max(floor, range.maxMs)));
  }
  return result;
}

function shuffle(values: number[], random: RandomSource): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
}

/** Expected sleep per retry with a Retry-After floor, for retries 1..count. */
function expectedSleeps(p: BackoffParams, count: number, floor: number): (retry: number) => number {
  if (p.strategy === 'none') return () => floor;
  if (isDecorrelated(p)) {
    const table = decorrelatedExpectations(p, count, floor);
    return (retry) => table[Math.min(retry, table.length) - 1];
  }
  const cap = capOf(p);
  return (retry) => {
    const interval = jitterInterval(p, Math.min(cap, uncappedNominal(p, retry)));
    return expectedClampedUniform(interval.minMs, interval.maxMs, floor, cap);
  };
}

/**
 * The mean sleep. Exact for every schedule except capped decorrelated ones, which are
 * estimated on 2048 seeded paths (deterministic; retries beyond 2000 use retry 2000).
 */
export function expectedDelayMs(p: BackoffParams, retry: number): number {
  assertBackoff(p);
  assertRetry(retry);
  return expectedSleeps(p, retry, 0)(retry);
}

// ---------------------------------------------------------------------------------------
// Totals

const EXPLICIT_SUM_LIMIT = 100_000;
const SHORT_RUN = 64;

function sumExplicitly(first: number, last: number, term: (retry: number) => number): number {
  let sum = 0;
  for (let k = first; k <= last; k++) sum += term(k);
  return sum;
}

function looksAffine(first: number, last: number, term: (retry: number) => number): boolean {
  const a = term(first);
  const b = term(last);
  return [0.25, 0.5, 0.75].every((t) => {
    const k = Math.round(first + (last - first) * t);
    const expected = a + ((b - a) * (k - first)) / (last - first);
    return Math.abs(term(k) - expected) <= 1e-12 * Math.max(Math.abs(expected), 1);
  });
}

/**
 * Sum of a monotone sequence over a long range without visiting every retry (a site with
 * `range(10**9)` attempts): constant runs collapse to a product, affine runs (uncapped
 * linear growth) to the trapezoid rule.
 */
function sumMonotone(first: number, last: number, term: (retry: number) => number): number {
  const n = last - first + 1;
  const a = term(first);
  const b = term(last);
  if (a === b) return a * n;
  if (n <= SHORT_RUN) return sumExplicitly(first, last, term);
  if (looksAffine(first, last, term)) return ((a + b) * n) / 2;
  const middle = Math.floor((first + last) / 2);
  return sumMonotone(first, middle, term) + sumMonotone(middle + 1, last, term);
}

function sumOverRetries(count: number, term: (retry: number) => number): number {
  if (count <= 0) return 0;
  return count <= EXPLICIT_SUM_LIMIT ? sumExplicitly(1, count, term) : sumMonotone(1, count, term);
}

function timeInAttempts(input: TotalTimeInput): number {
  return input.attempts === 0 ? 0 : input.attempts * input.timeoutMs;
}

/** attempts x timeout + the worst sleep before every retry (each at least the Retry-After). */
export function worstCaseTotalMs(p: BackoffParams, input: TotalTimeInput): number {
  assertBackoff(p);
  assertTotalInput(input);
  if (input.attempts === Infinity) return Infinity;
  const floor = input.retryAfterMs ?? 0;
  return timeInAttempts(input) + sumOverRetries(input.attempts - 1, (k) => Math.max(floor, sleepRange(p, k).maxMs));
}

/** attempts x timeout + the mean sleep before every retry (each at least the Retry-After). */
export function expectedTotalMs(p: BackoffParams, input: TotalTimeInput): number {
  assertBackoff(p);
  assertTotalInput(input);
  if (input.attempts === Infinity) return Infinity;
  const retries = input.attempts - 1;
  const expected = expectedSleeps(p, retries, input.retryAfterMs ?? 0);
  if (isDecorrelated(p) && retries > DECORRELATED_HORIZON) {
    const settled = expected(DECORRELATED_HORIZON);
    return timeInAttempts(input) + sumExplicitly(1, DECORRELATED_HORIZON, expected) + settled * (retries - DECORRELATED_HORIZON);
  }
  return timeInAttempts(input) + sumOverRetries(retries, expected);
}

function hasRandomSleeps(p: BackoffParams): boolean {
  return p.strategy !== 'none' && (isDecorrelated(p) || p.jitter !== 'none');
}

/**
 * The total time not exceeded in `percentile` percent (0..100, not 0..1) of runs that fail
 * on every attempt, by Monte-Carlo over `samples` runs (nearest-rank). Costs
 * samples x attempts draws; schedules without randomness return the exact total.
 */
export function percentileTotalMs(
  p: BackoffParams,
  input: TotalTimeInput,
  percentile: number,
  random: RandomSource,
  samples = 10_000,
): number {
  assertBackoff(p);
  assertTotalInput(input);
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`percentile must be within 0..100 (got ${describeNumber(percentile)})`);
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be an integer >= 1 (got ${describeNumber(samples)})`);
  if (input.attempts === Infinity) return Infinity;
  if (!hasRandomSleeps(p)) return worstCaseTotalMs(p, input);
  const floor = input.retryAfterMs ?? 0;
  const totals: number[] = [];
  for (let s = 0; s < samples; s++) {
    let sleeps = 0;
    let previous: number | undefined;
    for (let k = 1; k < input.attempts; k++) {
      const sleep = sampleDelayMs(p, k, random, previous);
      sleeps += Math.max(floor, sleep);
      previous = sleep;
    }
    totals.push(timeInAttempts(input) + sleeps);
  }
  totals.sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil((percentile / 100) * samples));
  return totals[rank - 1];
}

/** One row per retry; the last row's cumulativeWorstMs + timeoutMs = worstCaseTotalMs. */
export function scheduleTable(p: BackoffParams, input: TotalTimeInput): ScheduleRow[] {
  assertBackoff(p);
  assertTotalInput(input);
  if (input.attempts === Infinity) throw new RangeError('scheduleTable needs a finite number of attempts');
  const floor = input.retryAfterMs ?? 0;
  const retries = Math.max(0, input.attempts - 1);
  const expected = expectedSleeps(p, retries, floor);
  const rows: ScheduleRow[] = [];
  let elapsed = 0;
  for (let retry = 1; retry <= retries; retry++) {
    const range = sleepRange(p, retry);
    const maxMs = Math.max(floor, range.maxMs);
    elapsed += input.timeoutMs + maxMs;
    rows.push({
      retry,
      nominalMs: Math.max(floor, Math.min(capOf(p), uncappedNominal(p, retry))),
      minMs: Math.max(floor, range.minMs),
      maxMs,
      expectedMs: expected(retry),
      cumulativeWorstMs: elapsed,
    });
  }
  return rows;
}
