import {
  ARTICLE_STRATEGIES,
  articleStrategy,
  builtInScenario,
  simulate,
  type BackoffParams,
  type JitterKind,
  type SimPolicy,
} from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { policy, scenario, server } from './lab-builders.js';

const articleScenario = builtInScenario('article-rate-limit')!;
const herd = builtInScenario('thundering-herd')!;

function strategy(name: string): SimPolicy {
  const found = articleStrategy(name);
  if (!found) throw new Error(`no article strategy ${name}`);
  return found;
}

describe('simulate invariants', () => {
  it('without retries, the success rate is the share of attempts the server accepted', () => {
    // 100 of the 360 requests a minute (6 per second) are turned away: 72.2% accepted.
    const [row] = simulate(articleScenario, [strategy('no-retry')], { seed: 3 }).rows;
    expect(row.attempts).toBe(row.requests);
    expect(row.successRate).toBeGreaterThan(1 - 100 / 360 - 0.015);
    expect(row.successRate).toBeLessThan(1 - 100 / 360 + 0.015);
    // Every failure is one 429: no request is lost or counted twice.
    expect(row.failures['attempts-exhausted']).toBe(row.requests - row.succeeded);
  });

  it('without retries, the success rate is exactly what the limit accepts when arrivals are even', () => {
    // 6 per second, evenly: each minute window sees exactly 360 requests.
    const even = { ...articleScenario, requests: 3600, arrival: { kind: 'uniform', ratePerSecond: 6 } } as const;
    const quota = { ...even, server: { ...even.server, rateLimits: [{ kind: 'fixed-window', windowMs: 60_000, limit: 300, sendRetryAfter: true }] } } as const;
    const [head] = simulate(even, [strategy('no-retry')]).rows;
    const [window] = simulate(quota, [strategy('no-retry')]).rows;
    expect(head.succeeded).toBe(3600 - 10 * 100);
    expect(window.succeeded).toBe(10 * 300);
  });

  it('never sleeps longer than the cap, whatever the jitter', () => {
    const flaky = scenario({ requests: 300, arrival: { kind: 'poisson', ratePerSecond: 50 }, server: server({ errorRate: 0.7 }) });
    const jitters: JitterKind[] = ['none', 'full', 'equal', 'proportional', 'additive', 'decorrelated'];
    const policies = jitters.map((jitter) =>
      policy(jitter, { strategy: 'exponential', baseMs: 400, factor: 3, capMs: 2500, jitter }, { maxAttempts: 8 }),
    );
    for (const row of simulate(flaky, policies, { seed: 11 }).rows) {
      expect(row.longestBackoffMs, row.policy).toBeLessThanOrEqual(2500);
      expect(row.longestBackoffMs, row.policy).toBeGreaterThan(1000);
    }
  });

  it('gives the same table for the same seed, and a different one for another seed', () => {
    const first = simulate(articleScenario, ARTICLE_STRATEGIES, { seed: 42, requests: 2000 });
    const again = simulate(articleScenario, ARTICLE_STRATEGIES, { seed: 42, requests: 2000 });
    const other = simulate(articleScenario, ARTICLE_STRATEGIES, { seed: 43, requests: 2000 });
    expect(again).toEqual(first);
    expect(other.rows).not.toEqual(first.rows);
  });

  it('more attempts never lower success under the rate limit', () => {
    const backoff: BackoffParams = { strategy: 'exponential', baseMs: 1000, factor: 2, capMs: 60_000, jitter: 'full' };
    const policies = [1, 2, 3, 4, 5, 6, 8].map((attempts) => policy(`attempts-${attempts}`, backoff, { maxAttempts: attempts }));
    for (const seed of [1, 2]) {
      const rates = simulate(articleScenario, policies, { seed, requests: 3000 }).rows.map((row) => row.successRate);
      for (let index = 1; index < rates.length; index++) expect(rates[index]).toBeGreaterThanOrEqual(rates[index - 1]);
      expect(rates.at(-1)).toBeGreaterThan(rates[0] + 0.2);
    }
  });

  it('jitter lowers the peak load when many clients fail at once', () => {
    const [plain, jittered] = simulate(herd, [strategy('exponential-1s'), strategy('exponential-1s-jitter')], { seed: 5 }).rows;
    expect(jittered.peakLoad).toBeLessThan(plain.peakLoad / 2);
    expect(plain.loadAmplification).toBeGreaterThan(5);
    const full: BackoffParams = { strategy: 'exponential', baseMs: 1000, factor: 2, capMs: 60_000, jitter: 'full' };
    const [fullRow] = simulate(herd, [policy('full', full, { maxAttempts: 5 })], { seed: 5 }).rows;
    expect(fullRow.peakLoad).toBeLessThan(plain.peakLoad / 2);
  });

  it('every request ends exactly once, whatever the policy and scenario', () => {
    for (const name of ['article-rate-limit', 'thundering-herd', 'flaky-5xx', 'overloaded', 'streaming', 'fixed-window']) {
      const built = builtInScenario(name)!;
      for (const row of simulate(built, ARTICLE_STRATEGIES, { requests: 500 }).rows) {
        const failed = Object.values(row.failures).reduce((sum, count) => sum + count, 0);
        expect(row.requests, `${name} ${row.policy}`).toBe(500);
        expect(row.succeeded + failed, `${name} ${row.policy}`).toBe(500);
        expect(row.attempts).toBeLessThanOrEqual(500 * 5);
      }
    }
  });
});
