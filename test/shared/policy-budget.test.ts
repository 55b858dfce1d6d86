import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affordableTimeoutMs,
  backoffFromSpec,
  PROFILE_NAMES,
  resolvePolicy,
  worstCaseSleepsMs,
  worstCaseTotalMs,
} from '@retrylint/shared';

const budget = { maxTotalMs: 300_000, maxTimeoutMs: 120_000 };

describe('affordableTimeoutMs', () => {
  it('gives each attempt what the total leaves after the sleeps, in whole seconds', () => {
    expect(affordableTimeoutMs(budget, 5, 15_000)).toBe(57_000);
    expect(affordableTimeoutMs(budget, 5, 22_500)).toBe(55_000);
    expect(affordableTimeoutMs({ maxTotalMs: 120_000, maxTimeoutMs: 120_000 }, 5, 22_500)).toBe(19_000);
  });

  it('never gives more than the per-attempt limit', () => {
    expect(affordableTimeoutMs(budget, 1, 0)).toBe(120_000);
    expect(affordableTimeoutMs(budget, 2, 1_000)).toBe(120_000);
    expect(affordableTimeoutMs({ maxTotalMs: 300_000, maxTimeoutMs: 500 }, 3, 0)).toBe(500);
  });

  it('is undefined when the sleeps leave less than a second per attempt', () => {
    expect(affordableTimeoutMs(budget, 5, 480_000)).toBeUndefined();
    expect(affordableTimeoutMs(budget, 5, 296_000)).toBeUndefined();
    expect(affordableTimeoutMs(budget, 5, 295_000)).toBe(1_000);
    expect(affordableTimeoutMs(budget, 0, 0)).toBeUndefined();
  });

  it('keeps attempts x timeout + sleeps within the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 3_600_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 3_600_000, noNaN: true }),
        (maxTotalMs, maxTimeoutMs, attempts, sleepsMs) => {
          const timeout = affordableTimeoutMs({ maxTotalMs, maxTimeoutMs }, attempts, sleepsMs);
          if (timeout === undefined) return;
          expect(timeout).toBeLessThanOrEqual(maxTimeoutMs);
          expect(attempts * timeout + sleepsMs).toBeLessThanOrEqual(maxTotalMs);
        },
      ),
    );
  });
});

describe('profiles keep their own worst case within the total budget', () => {
  it.each(PROFILE_NAMES)('%s', (name) => {
    const policy = resolvePolicy(name);
    const { timeoutMs, maxAttempts } = policy.backoff;
    expect(timeoutMs).toBeGreaterThan(0);
    expect(timeoutMs).toBeLessThanOrEqual(policy.maxTimeoutMs);
    const worst = worstCaseTotalMs(backoffFromSpec(policy.backoff), { attempts: maxAttempts, timeoutMs: timeoutMs! });
    expect(worst).toBeLessThanOrEqual(policy.maxTotalMs);
  });

  it('ai-api: 5 attempts of 57 s and 15 s of sleeps fill the 5 min budget', () => {
    const policy = resolvePolicy('ai-api');
    expect(policy.backoff.timeoutMs).toBe(57_000);
    expect(worstCaseSleepsMs(backoffFromSpec(policy.backoff), 5)).toBe(15_000);
  });

  it('stay coherent with any attempts, delays and budget a config sets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROFILE_NAMES),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 1_000, max: 3_600_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (name, maxAttempts, baseDelayMs, maxDelayMs, maxTotalMs, maxTimeoutMs) => {
          const policy = resolvePolicy(name, { maxAttempts, baseDelayMs, maxDelayMs, maxTotalMs, maxTimeoutMs });
          const { timeoutMs } = policy.backoff;
          const sleeps = worstCaseSleepsMs(backoffFromSpec(policy.backoff), maxAttempts);
          if (timeoutMs === undefined) {
            // Only when the sleeps leave less than a second per attempt.
            expect(maxTotalMs - sleeps).toBeLessThan(maxAttempts * Math.min(1_000, maxTimeoutMs));
            return;
          }
          expect(maxAttempts * timeoutMs + sleeps).toBeLessThanOrEqual(maxTotalMs);
        },
      ),
    );
  });
});
