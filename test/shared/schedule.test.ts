import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  PROFILES,
  backoffFromSpec,
  delayBoundsMs,
  expectedDelayMs,
  expectedTotalMs,
  invalidBackoffReason,
  largestDelayMs,
  nominalDelayMs,
  percentileTotalMs,
  sampleDelayMs,
  scheduleTable,
  seededRandom,
  worstCaseDelayMs,
  worstCaseTotalMs,
  type BackoffParams,
} from '@retrylint/shared';

const aiApi = backoffFromSpec(DEFAULT_POLICY.backoff);
const retries = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);
const nominals = (p: BackoffParams, count: number): number[] => retries(count).map((k) => nominalDelayMs(p, k));

function sampleMean(p: BackoffParams, retry: number, runs: number): number {
  const random = seededRandom(7);
  let sum = 0;
  for (let i = 0; i < runs; i++) sum += sampleDelayMs(p, retry, random);
  return sum / runs;
}

describe('backoffFromSpec', () => {
  it('takes the ai-api profile as exponential, full jitter, base 1 s, cap 60 s', () => {
    expect(aiApi).toEqual({ strategy: 'exponential', baseMs: 1000, factor: 2, stepMs: 0, capMs: 60_000, jitter: 'full' });
  });

  it('treats an infinite cap in a spec as no cap', () => {
    expect(backoffFromSpec({ ...PROFILES['ai-api'].backoff, capMs: Infinity }).capMs).toBeUndefined();
  });
});

describe('nominalDelayMs', () => {
  it('doubles from 1 s and stops at the 60 s cap for the ai-api profile', () => {
    expect(nominals(aiApi, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('steps linearly up to the cap (network-blip: 0.5 s steps, cap 5 s)', () => {
    const blip = backoffFromSpec(PROFILES['network-blip'].backoff);
    expect(nominals(blip, 11)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5000]);
  });

  it('uses base + step * (k - 1) for linear, the step defaulting to the base', () => {
    expect(nominals({ strategy: 'linear', baseMs: 100, stepMs: 50, jitter: 'none' }, 3)).toEqual([100, 150, 200]);
    expect(nominals({ strategy: 'linear', baseMs: 100, jitter: 'none' }, 3)).toEqual([100, 200, 300]);
  });

  it('keeps a constant delay', () => {
    expect(nominals({ strategy: 'constant', baseMs: 250, jitter: 'none' }, 3)).toEqual([250, 250, 250]);
  });

  it('follows the Fibonacci numbers: base, base, 2 base, 3 base, 5 base', () => {
    expect(nominals({ strategy: 'fibonacci', baseMs: 100, jitter: 'none' }, 7)).toEqual([100, 100, 200, 300, 500, 800, 1300]);
    expect(nominals({ strategy: 'fibonacci', baseMs: 100, capMs: 250, jitter: 'none' }, 5)).toEqual([100, 100, 200, 250, 250]);
  });

  it('honours an exponential factor other than 2', () => {
    expect(nominals({ strategy: 'exponential', baseMs: 10, factor: 3, jitter: 'none' }, 4)).toEqual([10, 30, 90, 270]);
  });

  it('is always 0 for the none strategy, whatever the jitter', () => {
    const none: BackoffParams = { strategy: 'none', baseMs: 500, jitter: 'additive' };
    expect(nominals(none, 3)).toEqual([0, 0, 0]);
    expect(delayBoundsMs(none, 3)).toEqual({ minMs: 0, maxMs: 0 });
    expect(sampleDelayMs(none, 3, seededRandom(1))).toBe(0);
  });

  it('reports the decorrelated envelope base * 3^retry', () => {
    expect(nominals({ strategy: 'decorrelated', baseMs: 100, jitter: 'decorrelated' }, 3)).toEqual([300, 900, 2700]);
  });

  it('never produces NaN for huge retry numbers', () => {
    expect(nominalDelayMs({ strategy: 'exponential', baseMs: 1000, jitter: 'none' }, 5000)).toBe(Infinity);
    expect(nominalDelayMs(aiApi, Number.MAX_SAFE_INTEGER)).toBe(60_000);
    expect(nominalDelayMs({ strategy: 'exponential', baseMs: 0, jitter: 'none' }, 5000)).toBe(0);
    expect(nominalDelayMs({ strategy: 'fibonacci', baseMs: 1, jitter: 'none' }, 1e9)).toBe(Infinity);
    expect(nominalDelayMs({ strategy: 'fibonacci', baseMs: 1, capMs: 1e6, jitter: 'none' }, 1e9)).toBe(1e6);
    expect(nominalDelayMs({ strategy: 'decorrelated', baseMs: 1, jitter: 'none' }, 1e6)).toBe(Infinity);
  });
});

describe('jitter bounds and expectations', () => {
  const at = (jitter: BackoffParams['jitter'], capMs?: number): BackoffParams => ({ strategy: 'constant', baseMs: 1000, capMs, jitter });

  it.each([
    ['none', 1000, 1000, 1000],
    ['full', 0, 1000, 500],
    ['equal', 500, 1000, 750],
    ['proportional', 500, 1500, 1000],
    ['additive', 1000, 2000, 1500],
  ] as const)('%s jitter on 1 s ranges over [%d, %d] with mean %d', (jitter, minMs, maxMs, mean) => {
    expect(delayBoundsMs(at(jitter), 1)).toEqual({ minMs, maxMs });
    expect(expectedDelayMs(at(jitter), 1)).toBeCloseTo(mean, 9);
  });

  it('caps proportional and additive jitter after the draw, moving the mean down', () => {
    expect(delayBoundsMs(at('proportional', 1000), 1)).toEqual({ minMs: 500, maxMs: 1000 });
    // half of the draws land on the cap, the other half average 750
    expect(expectedDelayMs(at('proportional', 1000), 1)).toBeCloseTo(875, 9);
    expect(delayBoundsMs(at('additive', 1200), 1)).toEqual({ minMs: 1000, maxMs: 1200 });
  });

  it('draws decorrelated sleeps between base and 3 x the previous sleep', () => {
    const p: BackoffParams = { strategy: 'decorrelated', baseMs: 100, jitter: 'none' };
    expect(delayBoundsMs(p, 1)).toEqual({ minMs: 100, maxMs: 300 });
    expect(delayBoundsMs(p, 2)).toEqual({ minMs: 100, maxMs: 900 });
    const constantRandom = (): number => 0.5;
    expect(sampleDelayMs(p, 3, constantRandom, 1000)).toBe(1550);
    expect(sampleDelayMs({ ...p, capMs: 1000 }, 3, constantRandom, 1000)).toBe(1000);
  });

  it('treats decorrelated jitter on another strategy as the decorrelated schedule', () => {
    const viaJitter: BackoffParams = { strategy: 'exponential', baseMs: 100, capMs: 5000, jitter: 'decorrelated' };
    const viaStrategy: BackoffParams = { ...viaJitter, strategy: 'decorrelated' };
    expect(delayBoundsMs(viaJitter, 4)).toEqual(delayBoundsMs(viaStrategy, 4));
    expect(sampleDelayMs(viaJitter, 4, seededRandom(3))).toBe(sampleDelayMs(viaStrategy, 4, seededRandom(3)));
  });

  it('gives the exact decorrelated mean without a cap: 2 base * 1.5^k - base', () => {
    const p: BackoffParams = { strategy: 'decorrelated', baseMs: 100, jitter: 'none' };
    expect(expectedDelayMs(p, 1)).toBeCloseTo(200, 9);
    expect(expectedDelayMs(p, 2)).toBeCloseTo(350, 9);
  });

  it('estimates the capped decorrelated mean close to simulation', () => {
    const p: BackoffParams = { strategy: 'decorrelated', baseMs: 100, capMs: 200, jitter: 'none' };
    // first retry: half the draws from [100, 300] hit the 200 cap, the rest average 150
    expect(expectedDelayMs(p, 1)).toBeCloseTo(175, 9);
    const deep: BackoffParams = { strategy: 'decorrelated', baseMs: 100, capMs: 5000, jitter: 'none' };
    expect(expectedDelayMs(deep, 6)).toBeCloseTo(sampleMean(deep, 6, 20_000), -2);
  });
});

describe('largestDelayMs', () => {
  it('is the worst sleep before the last retry', () => {
    expect(largestDelayMs(aiApi, 5)).toBe(8000);
    expect(largestDelayMs(aiApi, 20)).toBe(60_000);
    expect(largestDelayMs({ strategy: 'constant', baseMs: 1000, jitter: 'additive' }, 3)).toBe(2000);
  });

  it('is 0 without retries', () => {
    expect(largestDelayMs(aiApi, 1)).toBe(0);
    expect(largestDelayMs(aiApi, 0)).toBe(0);
  });

  it('is the first sleep when the delay decays (factor < 1)', () => {
    expect(largestDelayMs({ strategy: 'exponential', baseMs: 1000, factor: 0.5, jitter: 'none' }, 6)).toBe(1000);
  });

  it('gives the supremum for unbounded attempts', () => {
    expect(largestDelayMs(aiApi, Infinity)).toBe(60_000);
    expect(largestDelayMs({ ...aiApi, capMs: undefined }, Infinity)).toBe(Infinity);
    expect(largestDelayMs({ strategy: 'linear', baseMs: 0, stepMs: 10, jitter: 'none' }, Infinity)).toBe(Infinity);
    expect(largestDelayMs({ strategy: 'constant', baseMs: 700, jitter: 'none' }, Infinity)).toBe(700);
    expect(largestDelayMs({ strategy: 'exponential', baseMs: 700, factor: 1, jitter: 'equal' }, Infinity)).toBe(700);
    expect(largestDelayMs({ strategy: 'decorrelated', baseMs: 10, capMs: 900, jitter: 'none' }, Infinity)).toBe(900);
  });

  it('can overflow to Infinity for uncapped exponential growth', () => {
    expect(largestDelayMs({ ...aiApi, capMs: undefined }, 2000)).toBe(Infinity);
  });
});

describe('totals', () => {
  const ai = { attempts: 5, timeoutMs: 120_000 };

  it('adds attempts x timeout and the worst sleeps (ai-api: 600 s + 15 s)', () => {
    expect(worstCaseTotalMs(aiApi, ai)).toBe(615_000);
  });

  it('sleeps at least the Retry-After before every retry', () => {
    expect(worstCaseTotalMs(aiApi, { ...ai, retryAfterMs: 120_000 })).toBe(600_000 + 4 * 120_000);
    expect(worstCaseTotalMs(aiApi, { ...ai, retryAfterMs: 3000 })).toBe(600_000 + 3000 + 3000 + 4000 + 8000);
  });

  it('takes the mean sleeps for the expected total', () => {
    expect(expectedTotalMs(aiApi, { attempts: 5, timeoutMs: 0 })).toBe(7500);
    // each full-jitter draw in [0, d] is raised to at least 2 s: E = 2 s for d = 1 s and 2 s
    expect(expectedTotalMs(aiApi, { attempts: 3, timeoutMs: 0, retryAfterMs: 2000 })).toBeCloseTo(4000, 9);
    expect(expectedTotalMs(aiApi, { attempts: 4, timeoutMs: 0, retryAfterMs: 2000 })).toBeCloseTo(4000 + 2500, 9);
  });

  it('handles the degenerate and unbounded inputs', () => {
    expect(worstCaseTotalMs(aiApi, { attempts: 0, timeoutMs: Infinity })).toBe(0);
    expect(worstCaseTotalMs(aiApi, { attempts: 1, timeoutMs: 1000 })).toBe(1000);
    expect(worstCaseTotalMs(aiApi, { attempts: Infinity, timeoutMs: 1000 })).toBe(Infinity);
    expect(worstCaseTotalMs(aiApi, { attempts: 3, timeoutMs: Infinity })).toBe(Infinity);
    expect(expectedTotalMs(aiApi, { attempts: Infinity, timeoutMs: 0 })).toBe(Infinity);
  });

  it('sums a billion attempts without visiting each retry', () => {
    const billion = 1_000_000_001;
    const started = Date.now();
    // 1 + 2 + 4 + ... + 32 s, then 60 s for every other retry
    expect(worstCaseTotalMs(aiApi, { attempts: billion, timeoutMs: 0 })).toBe(63_000 + (billion - 1 - 6) * 60_000);
    const linear: BackoffParams = { strategy: 'linear', baseMs: 1000, jitter: 'none' };
    const n = billion - 1;
    expect(worstCaseTotalMs(linear, { attempts: billion, timeoutMs: 0 }) / ((1000 * n * (n + 1)) / 2)).toBeCloseTo(1, 9);
    const withFloor = worstCaseTotalMs(linear, { attempts: billion, timeoutMs: 0, retryAfterMs: 10_500 });
    expect(withFloor / ((1000 * n * (n + 1)) / 2 + 10 * 10_500 - 55_000)).toBeCloseTo(1, 9);
    expect(expectedTotalMs(aiApi, { attempts: billion, timeoutMs: 0 })).toBe(31_500 + (billion - 1 - 6) * 30_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('takes the settled decorrelated mean for very long chains', () => {
    const p: BackoffParams = { strategy: 'decorrelated', baseMs: 100, capMs: 1000, jitter: 'none' };
    const long = expectedTotalMs(p, { attempts: 5001, timeoutMs: 0 });
    expect(long).toBeGreaterThan(5000 * 100);
    expect(long).toBeLessThan(5000 * 1000);
  });
});

describe('percentileTotalMs', () => {
  const input = { attempts: 5, timeoutMs: 1000 };

  it('equals the worst case when nothing is random', () => {
    const fixed: BackoffParams = { ...aiApi, jitter: 'none' };
    expect(percentileTotalMs(fixed, input, 50, seededRandom(1))).toBe(worstCaseTotalMs(fixed, input));
  });

  it('puts the median of full jitter near the mean and stays within the extremes', () => {
    const median = percentileTotalMs(aiApi, input, 50, seededRandom(1));
    expect(median / expectedTotalMs(aiApi, input)).toBeCloseTo(1, 1);
    expect(percentileTotalMs(aiApi, input, 100, seededRandom(1))).toBeLessThanOrEqual(worstCaseTotalMs(aiApi, input));
    expect(percentileTotalMs(aiApi, input, 0, seededRandom(1))).toBeGreaterThanOrEqual(5000);
    expect(percentileTotalMs(aiApi, input, 99, seededRandom(1))).toBeGreaterThan(median);
  });

  it('is reproducible for a seed', () => {
    const a = percentileTotalMs(aiApi, input, 90, seededRandom(42), 500);
    const b = percentileTotalMs(aiApi, input, 90, seededRandom(42), 500);
    expect(a).toBe(b);
  });

  it('chains decorrelated draws within their bounds', () => {
    const p: BackoffParams = { strategy: 'decorrelated', baseMs: 100, capMs: 2000, jitter: 'none' };
    const top = percentileTotalMs(p, { attempts: 4, timeoutMs: 0 }, 100, seededRandom(5), 2000);
    expect(top).toBeLessThanOrEqual(worstCaseTotalMs(p, { attempts: 4, timeoutMs: 0 }));
    expect(top).toBeGreaterThan(expectedTotalMs(p, { attempts: 4, timeoutMs: 0 }));
  });
});

describe('scheduleTable', () => {
  it('lists every retry of the ai-api profile with its range and running worst case', () => {
    expect(scheduleTable(aiApi, { attempts: 5, timeoutMs: 10_000 })).toEqual([
      { retry: 1, nominalMs: 1000, minMs: 0, maxMs: 1000, expectedMs: 500, cumulativeWorstMs: 11_000 },
      { retry: 2, nominalMs: 2000, minMs: 0, maxMs: 2000, expectedMs: 1000, cumulativeWorstMs: 23_000 },
      { retry: 3, nominalMs: 4000, minMs: 0, maxMs: 4000, expectedMs: 2000, cumulativeWorstMs: 37_000 },
      { retry: 4, nominalMs: 8000, minMs: 0, maxMs: 8000, expectedMs: 4000, cumulativeWorstMs: 55_000 },
    ]);
    expect(worstCaseTotalMs(aiApi, { attempts: 5, timeoutMs: 10_000 })).toBe(55_000 + 10_000);
  });

  it('raises every sleep to the Retry-After', () => {
    const [first] = scheduleTable(aiApi, { attempts: 2, timeoutMs: 0, retryAfterMs: 1500 });
    expect(first).toEqual({ retry: 1, nominalMs: 1500, minMs: 1500, maxMs: 1500, expectedMs: 1500, cumulativeWorstMs: 1500 });
  });

  it('is empty without retries and refuses unbounded attempts', () => {
    expect(scheduleTable(aiApi, { attempts: 1, timeoutMs: 0 })).toEqual([]);
    expect(() => scheduleTable(aiApi, { attempts: Infinity, timeoutMs: 0 })).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('stays in [0, 1) and spreads over it', () => {
    const random = seededRandom(9);
    const values = Array.from({ length: 10_000 }, () => random());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});

describe('invalid input', () => {
  it.each([
    [{ strategy: 'exponential', baseMs: -1, jitter: 'none' }, /baseMs must be a finite number >= 0 \(got -1\)/],
    [{ strategy: 'exponential', baseMs: Number.NaN, jitter: 'none' }, /baseMs .* \(got NaN\)/],
    [{ strategy: 'exponential', baseMs: 1, factor: Number.NaN, jitter: 'none' }, /factor/],
    [{ strategy: 'linear', baseMs: 1, stepMs: -5, jitter: 'none' }, /stepMs/],
    [{ strategy: 'linear', baseMs: 1, capMs: -5, jitter: 'none' }, /capMs/],
    [{ strategy: 'quadratic', baseMs: 1, jitter: 'none' }, /strategy must be one of/],
    [{ strategy: 'linear', baseMs: 1, jitter: 'loud' }, /jitter must be one of/],
  ])('rejects %o with a RangeError naming the field', (params, message) => {
    const p = params as unknown as BackoffParams;
    expect(invalidBackoffReason(p)).toMatch(message);
    expect(() => nominalDelayMs(p, 1)).toThrow(RangeError);
    expect(() => worstCaseTotalMs(p, { attempts: 2, timeoutMs: 0 })).toThrow(message);
  });

  it('accepts valid parameters', () => {
    expect(invalidBackoffReason(aiApi)).toBeUndefined();
  });

  it('rejects retry numbers, attempts, times and percentiles out of range', () => {
    expect(() => nominalDelayMs(aiApi, 0)).toThrow(/retry must be an integer >= 1 \(got 0\)/);
    expect(() => worstCaseDelayMs(aiApi, 1.5)).toThrow(RangeError);
    expect(() => expectedDelayMs(aiApi, Number.NaN)).toThrow(RangeError);
    expect(() => largestDelayMs(aiApi, -1)).toThrow(/attempts must be an integer >= 0 or Infinity/);
    expect(() => worstCaseTotalMs(aiApi, { attempts: 3, timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(() => expectedTotalMs(aiApi, { attempts: 3, timeoutMs: 0, retryAfterMs: -1 })).toThrow(/retryAfterMs/);
    expect(() => percentileTotalMs(aiApi, { attempts: 3, timeoutMs: 0 }, 101, seededRandom(1))).toThrow(/percentile/);
    expect(() => percentileTotalMs(aiApi, { attempts: 3, timeoutMs: 0 }, 50, seededRandom(1), 0)).toThrow(/samples/);
    expect(() => sampleDelayMs({ strategy: 'decorrelated', baseMs: 1, jitter: 'none' }, 2, seededRandom(1), -3)).toThrow(/previousMs/);
  });
});
