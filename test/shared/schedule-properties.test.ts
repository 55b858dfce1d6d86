import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  delayBoundsMs,
  expectedDelayMs,
  expectedTotalMs,
  largestDelayMs,
  nominalDelayMs,
  sampleDelayMs,
  scheduleTable,
  seededRandom,
  worstCaseDelayMs,
  worstCaseTotalMs,
  type BackoffParams,
  type BackoffStrategy,
  type JitterKind,
} from '@retrylint/shared';

const strategies: BackoffStrategy[] = ['none', 'constant', 'linear', 'exponential', 'decorrelated', 'fibonacci'];
const jitters: JitterKind[] = ['none', 'full', 'equal', 'decorrelated', 'proportional', 'additive'];

const ms = (max: number): fc.Arbitrary<number> => fc.double({ min: 0, max, noNaN: true });

/** Every strategy and jitter, with or without cap, step and factor. */
const params = (factor: fc.Arbitrary<number> = fc.double({ min: 0, max: 10, noNaN: true })): fc.Arbitrary<BackoffParams> =>
  fc.record(
    {
      strategy: fc.constantFrom(...strategies),
      jitter: fc.constantFrom(...jitters),
      baseMs: ms(100_000),
      factor,
      stepMs: ms(100_000),
      capMs: ms(1_000_000),
    },
    { requiredKeys: ['strategy', 'jitter', 'baseMs'] },
  );

const retry = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const seed = fc.integer();

/** A whole run: every sleep of retries 1..count, decorrelated draws chained. */
function sampleRun(p: BackoffParams, count: number, random: () => number): number[] {
  const sleeps: number[] = [];
  let previous: number | undefined;
  for (let k = 1; k <= count; k++) {
    previous = sampleDelayMs(p, k, random, previous);
    sleeps.push(previous);
  }
  return sleeps;
}

function relativeClose(actual: number, expected: number): boolean {
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1);
}

describe('schedule properties', () => {
  it('never sleeps longer than the cap, whatever the strategy and jitter', () => {
    fc.assert(
      fc.property(params(), retry, seed, (p, k, s) => {
        const cap = p.capMs ?? Infinity;
        const sampled = sampleDelayMs(p, k, seededRandom(s));
        expect(sampled).toBeLessThanOrEqual(cap);
        expect(worstCaseDelayMs(p, k)).toBeLessThanOrEqual(cap);
        expect(nominalDelayMs(p, k)).toBeLessThanOrEqual(cap);
        expect(Number.isNaN(sampled)).toBe(false);
        expect(Number.isNaN(expectedDelayMs(p, Math.min(k, 60)))).toBe(false);
      }),
    );
  });

  it('draws every sleep of a run within delayBoundsMs', () => {
    fc.assert(
      fc.property(params(), fc.integer({ min: 1, max: 30 }), seed, (p, count, s) => {
        sampleRun(p, count, seededRandom(s)).forEach((sleep, i) => {
          const { minMs, maxMs } = delayBoundsMs(p, i + 1);
          expect(sleep).toBeGreaterThanOrEqual(minMs);
          expect(sleep).toBeLessThanOrEqual(maxMs);
        });
      }),
    );
  });

  it('keeps the expected sleep within delayBoundsMs', () => {
    fc.assert(
      fc.property(params(), fc.integer({ min: 1, max: 40 }), (p, k) => {
        const { minMs, maxMs } = delayBoundsMs(p, k);
        const expected = expectedDelayMs(p, k);
        expect(expected).toBeGreaterThanOrEqual(minMs);
        expect(expected).toBeLessThanOrEqual(maxMs);
      }),
      { numRuns: 60 },
    );
  });

  it('grows nominal and worst-case delays monotonically when the factor is at least 1', () => {
    fc.assert(
      fc.property(params(fc.double({ min: 1, max: 10, noNaN: true })), fc.integer({ min: 1, max: 200 }), (p, k) => {
        expect(nominalDelayMs(p, k + 1)).toBeGreaterThanOrEqual(nominalDelayMs(p, k));
        expect(worstCaseDelayMs(p, k + 1)).toBeGreaterThanOrEqual(worstCaseDelayMs(p, k));
      }),
    );
  });

  it('finds the largest delay among the worst sleeps of every retry', () => {
    fc.assert(
      fc.property(params(), fc.integer({ min: 0, max: 40 }), (p, attempts) => {
        const worst = Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => worstCaseDelayMs(p, i + 1));
        expect(largestDelayMs(p, attempts)).toBe(Math.max(0, ...worst));
      }),
    );
  });

  it('adds up the worst-case total from attempts x timeout and the worst sleeps', () => {
    fc.assert(
      fc.property(
        params(),
        fc.integer({ min: 0, max: 50 }),
        ms(600_000),
        fc.option(ms(200_000), { nil: undefined }),
        (p, attempts, timeoutMs, retryAfterMs) => {
          let sleeps = 0;
          for (let k = 1; k < attempts; k++) sleeps += Math.max(retryAfterMs ?? 0, worstCaseDelayMs(p, k));
          const total = worstCaseTotalMs(p, { attempts, timeoutMs, retryAfterMs });
          expect(relativeClose(total, attempts * timeoutMs + sleeps)).toBe(true);
        },
      ),
    );
  });

  it('agrees between the schedule table and the totals', () => {
    fc.assert(
      fc.property(
        params(),
        fc.integer({ min: 1, max: 30 }),
        ms(100_000),
        fc.option(ms(200_000), { nil: undefined }),
        (p, attempts, timeoutMs, retryAfterMs) => {
          const input = { attempts, timeoutMs, retryAfterMs };
          const rows = scheduleTable(p, input);
          expect(rows.map((row) => row.retry)).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1));
          const lastCumulative = rows.length === 0 ? 0 : rows[rows.length - 1].cumulativeWorstMs;
          expect(relativeClose(lastCumulative + timeoutMs, worstCaseTotalMs(p, input))).toBe(true);
          const expectedSum = rows.reduce((sum, row) => sum + row.expectedMs, attempts * timeoutMs);
          expect(relativeClose(expectedSum, expectedTotalMs(p, input))).toBe(true);
          for (const row of rows) {
            expect(row.minMs).toBeLessThanOrEqual(row.expectedMs);
            expect(row.expectedMs).toBeLessThanOrEqual(row.maxMs);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reproduces the same sleeps for the same seed', () => {
    fc.assert(
      fc.property(params(), fc.integer({ min: 1, max: 20 }), seed, (p, count, s) => {
        expect(sampleRun(p, count, seededRandom(s))).toEqual(sampleRun(p, count, seededRandom(s)));
      }),
    );
  });
});
