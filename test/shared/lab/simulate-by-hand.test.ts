import { simulate } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { CONSTANT_1S, policy, scenario, server } from './lab-builders.js';

/** Percentiles come from log buckets 1/256 wide: within 0.4% of the exact value. */
function expectNear(actual: number, exact: number): void {
  expect(Math.abs(actual - exact)).toBeLessThanOrEqual(exact * 0.004);
}

describe('simulate, small cases worked out by hand', () => {
  it('a 429 at the head of the window is retried after the backoff and then served', () => {
    // Requests at 0, 1000 and 2000 ms; the first attempt of the 10 s window gets 429 (back at 20 ms),
    // its retry goes at 1020 ms and is served by 1120 ms; the other two take 100 ms each.
    const hand = scenario({ server: server({ rateLimits: [{ kind: 'window-head', windowMs: 10_000, rejectFirst: 1 }] }) });
    const [row] = simulate(hand, [policy('constant', CONSTANT_1S)]).rows;
    expect(row.succeeded).toBe(3);
    expect(row.successRate).toBe(1);
    expect(row.attempts).toBe(4);
    expect(row.meanMs).toBeCloseTo((1120 + 100 + 100) / 3, 9);
    expectNear(row.p50Ms, 100);
    expect(row.maxMs).toBe(1120);
    expect(row.p99Ms).toBe(1120);
    // Attempts at 0, 1000, 1020 and 2000: two in the second window, one arrival per window.
    expect(row.peakLoad).toBe(2);
    expect(row.loadAmplification).toBe(2);
    // The rejected attempt is billed its 10 input tokens; three answers of 15 tokens each.
    expect(row.tokensBilled).toBe(55);
    expect(row.tokensWasted).toBe(10);
    expect(row.costUsd).toBeCloseTo((40 * 1 + 15 * 2) / 1e6, 12);
    expect(row.durationMs).toBe(2100);
  });

  it('honours Retry-After up to the end of a fixed window, and gives up when it asks for too much', () => {
    // One request per 10 s window; the second request (t = 1000) gets 429 at 1020 with
    // Retry-After: 9 (ceil of the 9 s left), sleeps max(1 s, 9 s) and is served at 10020 + 100.
    const limited = scenario({
      requests: 2,
      server: server({ rateLimits: [{ kind: 'fixed-window', windowMs: 10_000, limit: 1, sendRetryAfter: true }] }),
    });
    const honouring = policy('honours', CONSTANT_1S, { honourRetryAfter: true, maxAttempts: 5 });
    const ignoring = policy('ignores', CONSTANT_1S, { maxAttempts: 5 });
    const impatient = policy('impatient', CONSTANT_1S, { honourRetryAfter: true, maxRetryAfterMs: 5000, maxAttempts: 5 });
    const [honours, ignores, gives] = simulate(limited, [honouring, ignoring, impatient]).rows;
    expect(honours.succeeded).toBe(2);
    expect(honours.maxMs).toBe(10_120 - 1000);
    expect(honours.attempts).toBe(3);
    // Retries at 2040, 3060, 4080 and 5100 all land in the full window.
    expect(ignores.succeeded).toBe(1);
    expect(ignores.attempts).toBe(6);
    expect(ignores.failures['attempts-exhausted']).toBe(1);
    expect(gives.failures['retry-after-too-long']).toBe(1);
    expect(gives.attempts).toBe(2);
  });

  it('an outage fails the attempts in flight at its start, and turns new ones away', () => {
    // One request at 0 taking 1000 ms; the server goes down at 500 ms until 1600 ms.
    // 503 at 500; retry at 1500 is turned away (back at 1520); retry at 2520 takes 1000 ms.
    const down = scenario({ requests: 1, server: server({ latency: { kind: 'fixed', ms: 1000 }, outages: [{ fromMs: 500, toMs: 1600, status: 503 }] }) });
    const [row] = simulate(down, [policy('constant', CONSTANT_1S)]).rows;
    expect(row.succeeded).toBe(1);
    expect(row.attempts).toBe(3);
    expect(row.maxMs).toBe(3520);
  });

  it('queues beyond the workers, and answers 503 beyond the queue', () => {
    // Three requests at once, one worker, room for one in the queue: 100 ms, 200 ms, and a
    // 503 at 20 ms retried at 1020 ms and served by 1120 ms.
    const busy = scenario({ arrival: { kind: 'burst', spreadMs: 0 }, server: server({ capacity: { concurrency: 1, queueLimit: 1 } }) });
    const [row] = simulate(busy, [policy('constant', CONSTANT_1S)]).rows;
    expect(row.succeeded).toBe(3);
    expect(row.attempts).toBe(4);
    expect(row.meanMs).toBeCloseTo((100 + 200 + 1120) / 3, 9);
  });

  it('an attempt that takes longer than the timeout is abandoned, retried, and still billed', () => {
    const slow = scenario({ requests: 2, server: server({ latency: { kind: 'fixed', ms: 2000 } }) });
    const [row] = simulate(slow, [policy('constant', CONSTANT_1S, { timeoutMs: 500 })]).rows;
    expect(row.succeeded).toBe(0);
    expect(row.timeouts).toBe(6);
    expect(row.attempts).toBe(6);
    expect(row.failures['attempts-exhausted']).toBe(2);
    // The server computed every answer nobody waited for: all 6 x 15 tokens are waste.
    expect(row.tokensBilled).toBe(90);
    expect(row.tokenWasteRate).toBe(1);
    // 500 ms + 1 s + 500 ms + 1 s + 500 ms.
    expect(row.maxMs).toBe(3500);
  });

  it('a timed-out attempt still waiting in the queue leaves it unserved and unbilled', () => {
    const queued = scenario({
      requests: 2,
      arrival: { kind: 'burst', spreadMs: 0 },
      server: server({ latency: { kind: 'fixed', ms: 1000 }, capacity: { concurrency: 1, queueLimit: 5 } }),
    });
    const [row] = simulate(queued, [policy('one-try', CONSTANT_1S, { maxAttempts: 1, timeoutMs: 600 })]).rows;
    // The first times out at 600 (still billed at 1000); the second never leaves the queue.
    expect(row.timeouts).toBe(2);
    expect(row.tokensBilled).toBe(15);
  });

  it('a stream that breaks after its first chunk is not retried under retryBeforeFirstChunkOnly', () => {
    const streams = scenario({
      requests: 50,
      server: server({ latency: { kind: 'fixed', ms: 1000 }, streaming: { firstChunk: { kind: 'fixed', ms: 100 }, breakProbability: 0.5 } }),
    });
    const careful = policy('careful', CONSTANT_1S, { retryBeforeFirstChunkOnly: true });
    const careless = policy('careless', CONSTANT_1S);
    const [kept, retried] = simulate(streams, [careful, careless], { seed: 7 }).rows;
    expect(kept.retriedBrokenStreams).toBe(0);
    expect(kept.failures['stream-broken']).toBe(kept.requests - kept.succeeded);
    expect(kept.failures['stream-broken']).toBeGreaterThan(10);
    expect(retried.retriedBrokenStreams).toBeGreaterThan(10);
    expect(retried.successRate).toBeGreaterThan(kept.successRate);
    // A broken stream is billed its input and the output streamed before the break.
    expect(kept.tokensWasted).toBeGreaterThan(kept.failures['stream-broken'] * 10);
    expect(kept.tokensWasted).toBeLessThan(kept.failures['stream-broken'] * 15);
  });

  it("the policy's deadline ends a request before a sleep, during an attempt, or while waiting for a token", () => {
    // Always 503 at the door (back at 20 ms): tries at 0, 1020 and 2040; the next would start at 3060, past 2500.
    const down = scenario({ requests: 1, server: server({ outages: [{ fromMs: 0, toMs: 100_000, status: 503 }] }) });
    const [beforeSleep] = simulate(down, [policy('deadline', CONSTANT_1S, { maxAttempts: 10, deadlineMs: 2500 })]).rows;
    expect(beforeSleep.attempts).toBe(3);
    expect(beforeSleep.failures.deadline).toBe(1);
    expect(beforeSleep.maxMs).toBe(2060);
    // An answer that takes 2 s is abandoned at the 1.5 s deadline, which is no attempt timeout.
    const slow = scenario({ requests: 1, server: server({ latency: { kind: 'fixed', ms: 2000 } }) });
    const [during] = simulate(slow, [policy('deadline', CONSTANT_1S, { deadlineMs: 1500 })]).rows;
    expect(during.failures.deadline).toBe(1);
    expect(during.timeouts).toBe(0);
    expect(during.maxMs).toBe(1500);
    // Three at once through a bucket of 1 per second: the third would get its token at 2000 ms, past 1500.
    const together = scenario({ arrival: { kind: 'burst', spreadMs: 0 } });
    const paced = policy('paced', CONSTANT_1S, { deadlineMs: 1500, tokenBucket: { ratePerSecond: 1, burst: 1 } });
    const [waiting] = simulate(together, [paced]).rows;
    expect(waiting.succeeded).toBe(2);
    expect(waiting.failures.deadline).toBe(1);
    expect(waiting.meanMs).toBeCloseTo((100 + 1100 + 1000) / 3, 9);
  });

  it('a status outside the retryable list ends the request at once', () => {
    const failing = scenario({ requests: 4, server: server({ errorRate: 1, errorStatus: 400 }) });
    const [row] = simulate(failing, [policy('constant', CONSTANT_1S)]).rows;
    expect(row.failures['not-retryable']).toBe(4);
    expect(row.attempts).toBe(4);
  });
});
