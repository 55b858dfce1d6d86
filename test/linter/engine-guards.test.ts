/**
 * Cancellation and the guards one engine shares across concurrent calls (token bucket,
 * circuit breaker, retry budget), against the Retry Lab server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { resolvePolicy, RetryEngine, seededRandom, systemClock, type AttemptEvent, type EngineClock, type PolicyOptions } from '@retrylint/shared';
import { undiciTransport } from '../../linter/src/engine/undici-transport.js';
import { giveUpOf, labServer, MESSAGES } from './lab/lab-harness.js';

const transport = undiciTransport();

function engineFor(options: Partial<PolicyOptions>): RetryEngine {
  return new RetryEngine({ policy: resolvePolicy('ai-api', { baseDelayMs: 5, maxDelayMs: 10, ...options }), transport, random: seededRandom(11) });
}

describe('cancelling a call', () => {
  it('mid-backoff: the call rejects within 50 ms of the abort, and nothing more is sent', async () => {
    // A 429 asking for ~10 s: the engine is asleep when the abort comes.
    const server = await labServer([{ scenario: 'rate-limit', windowMs: 10_000, limit: 0 }]);
    const controller = new AbortController();
    let abortedAt = 0;
    const call = engineFor({}).call({
      url: server.chat,
      body: MESSAGES,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== 'attempt' || event.decision.action !== 'retry') return;
        setTimeout(() => {
          abortedAt = performance.now();
          controller.abort();
        }, 20);
      },
    });
    const failure = await giveUpOf(call);
    const latency = performance.now() - abortedAt;
    expect(failure.reason).toBe('cancelled');
    expect(failure.message).toBe('cancelled during the backoff; a cancel is never retried');
    expect(failure.attempts[0].decision).toMatchObject({ action: 'retry', delaySource: 'retry-after' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(latency).toBeLessThan(50);
    expect(server.stats().requests).toBe(1);
  });

  it('mid-request: a hung request is dropped at once and not retried', async () => {
    const server = await labServer('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const began = performance.now();
    const failure = await giveUpOf(engineFor({}).call({ url: server.chat, body: MESSAGES, signal: controller.signal }));
    expect(performance.now() - began).toBeLessThan(150);
    expect(failure.reason).toBe('cancelled');
    expect(failure.attempts.map((attempt) => attempt.outcome)).toEqual(['cancelled']);
  });
});

describe('the deadline', () => {
  it('a retry stopped by the deadline withdraws nothing from the retry budget', async () => {
    const server = await labServer([{ scenario: 'rate-limit', windowMs: 10_000, limit: 0 }]);
    const engine = new RetryEngine({
      policy: resolvePolicy('ai-api', { retryBudget: { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 } }),
      transport,
      deadlineMs: 500,
    });
    const failure = await giveUpOf(engine.call({ url: server.chat, body: MESSAGES }));
    expect(failure.reason).toBe('deadline');
    expect(failure.message).toMatch(/^the next attempt would start after the deadline \(\d+ ms wait, \d+ ms left\)$/);
    expect(engine.guards.retryBudget?.available).toBe(10);
  });

  it('its timer does not outlive a call that an onEvent callback ends', async () => {
    const server = await labServer('ok');
    let pending = 0;
    const clock: EngineClock = {
      now: () => systemClock.now(),
      sleep: (ms, signal) => {
        pending++;
        return systemClock.sleep(ms, signal).finally(() => pending--);
      },
    };
    const engine = new RetryEngine({ policy: resolvePolicy('ai-api'), transport, clock });
    const thrown = await engine
      .call({
        url: server.chat,
        body: MESSAGES,
        onEvent: () => {
          throw new Error('a logging bug');
        },
      })
      .catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('a logging bug');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toBe(0);
  });
});

describe('the token bucket', () => {
  it('a call waiting for a token is cancelled at once', async () => {
    const server = await labServer('ok');
    const engine = engineFor({ tokenBucket: { ratePerSecond: 0.5, burst: 1 } });
    await engine.call({ url: server.chat, body: MESSAGES });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const waiting = engine.call({ url: server.chat, body: MESSAGES, signal: controller.signal });
    const began = performance.now();
    const failure = await giveUpOf(waiting);
    // The abort comes 20 ms in; the call ends within 50 ms of it.
    expect(performance.now() - began).toBeLessThan(20 + 50);
    expect(failure.reason).toBe('cancelled');
    expect(failure.message).toBe('cancelled while waiting for the token bucket');
    expect(server.stats().requests).toBe(1);
  });

  it('paces concurrent calls: a burst goes out at once, the rest one refill interval apart', async () => {
    const server = await labServer('ok');
    const engine = engineFor({ tokenBucket: { ratePerSecond: 20, burst: 2 } });
    const began = Date.now();
    const results = await Promise.all(Array.from({ length: 6 }, () => engine.call({ url: server.chat, body: MESSAGES })));
    const starts = results.map((result) => result.attempts[0].startedAt - began).sort((a, b) => a - b);
    expect(starts[1]).toBeLessThan(40);
    // Tokens 3 to 6 come one every 50 ms after the burst.
    for (let index = 2; index < starts.length; index++) expect(starts[index]).toBeGreaterThanOrEqual((index - 1) * 50 - 2);
    expect(starts[5]).toBeLessThan(400);
    const queued = results.map((result) => result.attempts[0].queuedMs).sort((a, b) => a - b);
    expect(queued[0]).toBeLessThan(5);
    expect(queued[5]).toBeGreaterThanOrEqual(195);
  });
});

describe('the circuit breaker', () => {
  it('opens after failureThreshold failures, fails fast while open, closes after a successful half-open probe', async () => {
    const server = await labServer([{ scenario: 'server-errors', errors: 1, period: 1, requests: 4 }, { scenario: 'ok' }]);
    const engine = engineFor({ maxAttempts: 1, circuitBreaker: { failureThreshold: 3, openMs: 150, halfOpenProbes: 1 } });
    const call = () => engine.call({ url: server.chat, body: MESSAGES });
    for (let index = 0; index < 3; index++) expect((await giveUpOf(call())).reason).toBe('attempts-exhausted');
    expect(engine.guards.circuitBreaker?.state).toBe('open');

    const fastFail = await giveUpOf(call());
    expect(fastFail.reason).toBe('circuit-open');
    expect(fastFail.attempts).toEqual([]);
    expect(server.stats().requests).toBe(3);

    await new Promise((resolve) => setTimeout(resolve, 160));
    expect(engine.guards.circuitBreaker?.state).toBe('half-open');
    // The probe meets the last 503 of the outage: the circuit opens again.
    expect((await giveUpOf(call())).reason).toBe('attempts-exhausted');
    expect(engine.guards.circuitBreaker?.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 160));
    const probe = await call();
    expect(probe.status).toBe(200);
    expect(probe.attempts[0].circuit).toBe('closed');
    expect((await call()).status).toBe(200);
    expect(server.stats().requests).toBe(6);
  });
});

describe('the retry budget', () => {
  it('drains with retries until calls fail fast, and refills with successes', async () => {
    const server = await labServer([
      { scenario: 'server-errors', errors: 1, period: 1, requests: 4 },
      { scenario: 'ok', requests: 2 },
      { scenario: 'server-errors', errors: 1, period: 1, requests: 1 },
      { scenario: 'ok' },
    ]);
    const engine = engineFor({ maxAttempts: 3, retryBudget: { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 5 } });
    const call = () => engine.call({ url: server.chat, body: MESSAGES });
    const budgetAfter = (attempts: readonly AttemptEvent[]) => attempts.map((attempt) => attempt.retryBudget);

    const drained = await giveUpOf(call());
    expect(drained.reason).toBe('attempts-exhausted');
    expect(budgetAfter(drained.attempts)).toEqual([5, 0, 0]);

    const failFast = await giveUpOf(call());
    expect(failFast.reason).toBe('retry-budget-exhausted');
    expect(failFast.attempts).toHaveLength(1);
    expect(failFast.message).toMatch(/retry budget is exhausted \(0 of 10 tokens left\)/);

    expect(budgetAfter((await call()).attempts)).toEqual([5]);
    expect(budgetAfter((await call()).attempts)).toEqual([10]);

    const refilled = await call();
    expect(refilled.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(budgetAfter(refilled.attempts)).toEqual([5, 10]);
  });
});
