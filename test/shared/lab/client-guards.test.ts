import { builtInScenario, resolvePolicy, simPolicyFromPolicy, simulate, type SimPolicy } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { CONSTANT_1S, policy, scenario, server } from './lab-builders.js';

/** No retries, so that what a guard changes is not hidden by a retry. */
const ONE_TRY = { maxAttempts: 1 } as const;

describe("the engine's client-side guards in the simulation", () => {
  describe('token bucket', () => {
    it('spaces attempts out at its rate instead of sending them at once', () => {
      // Three requests at 0 ms; a bucket of 1 token refilled at 1 per second lets them go at 0, 1000 and 2000.
      const together = scenario({ arrival: { kind: 'burst', spreadMs: 0 } });
      const paced = policy('paced', CONSTANT_1S, { ...ONE_TRY, tokenBucket: { ratePerSecond: 1, burst: 1 } });
      const [row, unpaced] = simulate(together, [paced, policy('unpaced', CONSTANT_1S, ONE_TRY)]).rows;
      expect(row.succeeded).toBe(3);
      expect(row.meanMs).toBeCloseTo((100 + 1100 + 2100) / 3, 9);
      expect(row.maxMs).toBe(2100);
      expect(row.peakLoad).toBe(1);
      expect(unpaced.peakLoad).toBe(3);
      expect(unpaced.maxMs).toBe(100);
    });

    it("waits on the client instead of collecting 429s from a server's bucket of the same rate", () => {
      // The server serves 2 at once, then 1 per second. Without a client bucket, requests 3 and 4
      // get 429 with Retry-After: 1 at 20 ms, retry at 1020 (one served, one 429 again), then at 2040.
      const limited = scenario({
        requests: 4,
        arrival: { kind: 'burst', spreadMs: 0 },
        server: server({ rateLimits: [{ kind: 'token-bucket', ratePerSecond: 1, burst: 2, sendRetryAfter: true }] }),
      });
      const honouring = { honourRetryAfter: true, maxAttempts: 3 };
      const bare = policy('bare', { strategy: 'constant', baseMs: 100, jitter: 'none' }, honouring);
      const bucketed = { ...bare, name: 'bucketed', tokenBucket: { ratePerSecond: 1, burst: 2 } };
      const [without, withBucket] = simulate(limited, [bare, bucketed]).rows;
      expect(without.succeeded).toBe(4);
      expect(without.attempts).toBe(7);
      expect(without.maxMs).toBe(2140);
      expect(without.tokensWasted).toBe(30);
      expect(withBucket.succeeded).toBe(4);
      expect(withBucket.attempts).toBe(4);
      expect(withBucket.maxMs).toBe(2100);
      expect(withBucket.tokensWasted).toBe(0);
    });
  });

  describe('circuit breaker', () => {
    const down = (toMs: number) => server({ latency: { kind: 'fixed', ms: 50 }, outages: [{ fromMs: 0, toMs, status: 503 }] });

    it('opens after consecutive 5xx and refuses calls without sending them, then probes and opens again', () => {
      // Requests every 100 ms; 503s at 20, 120, 220 open the circuit until 1220; the probe at 1300
      // fails and opens it until 2320, so the requests from 1400 to 1900 are refused too.
      const outage = scenario({ requests: 20, arrival: { kind: 'uniform', ratePerSecond: 10 }, server: down(100_000) });
      const breaker = policy('breaker', CONSTANT_1S, { ...ONE_TRY, circuitBreaker: { failureThreshold: 3, openMs: 1000, halfOpenProbes: 1 } });
      const [row, bare] = simulate(outage, [breaker, policy('bare', CONSTANT_1S, ONE_TRY)]).rows;
      expect(row.attempts).toBe(4);
      expect(row.failures['refused-by-guard']).toBe(16);
      expect(row.failures['attempts-exhausted']).toBe(4);
      expect(bare.attempts).toBe(20);
      expect(bare.failures['refused-by-guard']).toBe(0);
    });

    it('closes again once a probe succeeds after the outage', () => {
      // Down until 1000 ms: 3 failures, 10 refused (300..1200), the probe at 1300 succeeds, then every request does.
      const outage = scenario({ requests: 40, arrival: { kind: 'uniform', ratePerSecond: 10 }, server: down(1000) });
      const breaker = policy('breaker', CONSTANT_1S, { ...ONE_TRY, circuitBreaker: { failureThreshold: 3, openMs: 1050, halfOpenProbes: 1 } });
      const [row] = simulate(outage, [breaker]).rows;
      expect(row.failures['attempts-exhausted']).toBe(3);
      expect(row.failures['refused-by-guard']).toBe(10);
      expect(row.succeeded).toBe(27);
    });

    it('does not count 429s against the upstream, as the engine does not', () => {
      const limited = scenario({ requests: 10, server: server({ rateLimits: [{ kind: 'window-head', windowMs: 60_000, rejectFirst: 6 }] }) });
      const breaker = policy('breaker', CONSTANT_1S, { ...ONE_TRY, circuitBreaker: { failureThreshold: 3, openMs: 60_000, halfOpenProbes: 1 } });
      const [row] = simulate(limited, [breaker]).rows;
      expect(row.failures['refused-by-guard']).toBe(0);
      expect(row.attempts).toBe(10);
      expect(row.succeeded).toBe(4);
    });
  });

  describe('retry budget', () => {
    it('stops retrying when the retries have used it up, and the requests after fail fast', () => {
      // Every attempt is turned away. The first request's two retries (at 20 and 1040 ms) take the
      // 10 tokens; the requests at 1500 and 3000 ms may not retry at all.
      const outage = scenario({ arrival: { kind: 'uniform', ratePerSecond: 1000 / 1500 }, server: server({ outages: [{ fromMs: 0, toMs: 100_000, status: 503 }] }) });
      const budgeted = policy('budget', CONSTANT_1S, { retryBudget: { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 } });
      const [row, bare] = simulate(outage, [budgeted, policy('bare', CONSTANT_1S)]).rows;
      expect(row.attempts).toBe(5);
      expect(row.failures['attempts-exhausted']).toBe(1);
      expect(row.failures['retry-budget-empty']).toBe(2);
      expect(bare.attempts).toBe(9);
    });

    it('is refilled by successes, so that steady traffic keeps retrying', () => {
      // Each success refunds 1 token and each retry costs 1: with 1 failure in 3, the budget never empties.
      const flaky = scenario({ requests: 300, arrival: { kind: 'uniform', ratePerSecond: 5 }, server: server({ errorRate: 0.3 }) });
      const refunded = policy('refunded', CONSTANT_1S, { retryBudget: { capacity: 5, retryCost: 1, timeoutCost: 1, successRefund: 1 } });
      const unrefunded = policy('unrefunded', CONSTANT_1S, { retryBudget: { capacity: 5, retryCost: 1, timeoutCost: 1, successRefund: 0 } });
      const [kept, spent] = simulate(flaky, [refunded, unrefunded], { seed: 4 }).rows;
      expect(kept.failures['retry-budget-empty']).toBe(0);
      expect(spent.failures['retry-budget-empty']).toBeGreaterThan(50);
      expect(kept.successRate).toBeGreaterThan(spent.successRate);
    });

    it('caps the load that retries add during a burst of 5xx', () => {
      const burst = builtInScenario('flaky-5xx')!;
      const base = simPolicyFromPolicy('ai-api', resolvePolicy('ai-api'));
      const budgeted: SimPolicy = { ...base, name: 'ai-api + budget', retryBudget: { capacity: 50, retryCost: 5, timeoutCost: 10, successRefund: 1 } };
      const [plain, guarded] = simulate(burst, [base, budgeted], { seed: 2 }).rows;
      expect(guarded.failures['retry-budget-empty']).toBeGreaterThan(0);
      expect(guarded.attemptsPerRequest).toBeLessThan(plain.attemptsPerRequest);
      expect(guarded.successRate).toBeLessThan(plain.successRate);
    });
  });

  it('takes the guards from a resolved policy, as a config puts them in force', () => {
    const resolved = resolvePolicy('ai-api', { tokenBucket: { ratePerSecond: 2, burst: 1 }, circuitBreaker: { failureThreshold: 2, openMs: 5000, halfOpenProbes: 1 } });
    const simPolicy = simPolicyFromPolicy('guarded', resolved);
    expect(simPolicy.tokenBucket).toEqual({ ratePerSecond: 2, burst: 1 });
    expect(simPolicy.circuitBreaker).toEqual({ failureThreshold: 2, openMs: 5000, halfOpenProbes: 1 });
    expect(simPolicy.retryBudget).toBeUndefined();
    // Ten requests at once through a bucket of 2 per second: the last leaves at 4.5 s.
    const [row] = simulate(scenario({ requests: 10, arrival: { kind: 'burst', spreadMs: 0 } }), [simPolicy]).rows;
    expect(row.maxMs).toBe(4600);
  });
});
