/**
 * The retry engine over undici against the Retry Lab server on 127.0.0.1, one scenario at a
 * time: what it attempts, how long it waits and why, and where it stops. Delays are a few ms
 * (the schedule's numbers are scaled down, not faked), so the real clock is used.
 */
import { describe, expect, it } from 'vitest';
import { delayBoundsMs, resolvePolicy, RetryEngine, scheduleOf, seededRandom, type AttemptEvent, type PolicyOptions, type RetryEngineOptions } from '@retrylint/shared';
import { undiciTransport } from '../../linter/src/engine/undici-transport.js';
import { giveUpOf, labServer, MESSAGES } from './lab/lab-harness.js';

const transport = undiciTransport();

function engineFor(options: Partial<PolicyOptions> = {}, engine: Partial<RetryEngineOptions> = {}): RetryEngine {
  return new RetryEngine({ policy: resolvePolicy('ai-api', { baseDelayMs: 10, maxDelayMs: 40, ...options }), transport, random: seededRandom(7), ...engine });
}

const statuses = (attempts: readonly AttemptEvent[]) => attempts.map((attempt) => attempt.status ?? attempt.outcome);

/** Every retry's delay lies in the schedule's jitter interval, and the next attempt started no sooner. */
function expectScheduledDelays(engine: RetryEngine, attempts: readonly AttemptEvent[]): void {
  const schedule = scheduleOf(engine.policy);
  for (const [index, attempt] of attempts.slice(0, -1).entries()) {
    const decision = attempt.decision;
    if (decision.action !== 'retry') throw new Error(`attempt ${attempt.attempt} did not retry`);
    expect(['schedule', 'capped']).toContain(decision.delaySource);
    const { minMs, maxMs } = delayBoundsMs(schedule, attempt.attempt);
    expect(decision.delayMs).toBeGreaterThanOrEqual(minMs);
    expect(decision.delayMs).toBeLessThanOrEqual(maxMs);
    const next = attempts[index + 1];
    // Timers fire no earlier than asked, to the millisecond Date.now() counts in.
    expect(next.startedAt - (attempt.startedAt + attempt.durationMs)).toBeGreaterThanOrEqual(Math.floor(decision.delayMs) - 1);
  }
}

describe('engine x lab server, per scenario', () => {
  it('ok: one attempt, the body, the usage tokens', async () => {
    const server = await labServer('ok');
    const result = await engineFor().call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([200]);
    expect((result.json as { object: string }).object).toBe('chat.completion');
    expect(result.usage).toEqual({ promptTokens: 4, completionTokens: 7, totalTokens: 11 });
    expect(result.attempts[0].decision).toMatchObject({ action: 'stop', reason: 'success' });
    expect(result.attempts[0].usage).toEqual({ promptTokens: 4, completionTokens: 7, totalTokens: 11 });
  });

  it('rate-limit: waits the retry-after-ms the 429 asks for, then succeeds in the next window', async () => {
    const server = await labServer([{ scenario: 'rate-limit', windowMs: 300, limit: 1 }]);
    const engine = engineFor();
    await engine.call({ url: server.chat, body: MESSAGES });
    const result = await engine.call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([429, 200]);
    const [limited] = result.attempts;
    expect(limited.headers).toMatchObject({ 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0', 'retry-after': '1' });
    const waited = Number(limited.headers['retry-after-ms']);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(300);
    expect(limited.decision).toEqual({ action: 'retry', delayMs: waited, delaySource: 'retry-after', note: 'Retry-After (ms)' });
    expect(result.attempts[1].startedAt - limited.startedAt).toBeGreaterThanOrEqual(waited - 1);
  });

  it('rate-limit with an HTTP-date Retry-After: waits until that date', async () => {
    const server = await labServer([{ scenario: 'rate-limit', windowMs: 1000, limit: 1, retryAfter: 'date', retryAfterMs: false }]);
    const engine = engineFor();
    await engine.call({ url: server.chat, body: MESSAGES });
    const result = await engine.call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([429, 200]);
    const [limited] = result.attempts;
    const date = Date.parse(limited.headers['retry-after']);
    expect(limited.headers['retry-after']).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(limited.decision).toMatchObject({ action: 'retry', delaySource: 'retry-after', note: 'Retry-After (date)' });
    expect(result.attempts[1].startedAt).toBeGreaterThanOrEqual(date - 1);
    expect(result.attempts[1].startedAt - date).toBeLessThan(500);
  });

  it('rate-limit with a Retry-After above maxRetryAfterMs: gives up at once and says why', async () => {
    const server = await labServer([{ scenario: 'rate-limit', windowMs: 3_600_000, limit: 0 }]);
    const began = Date.now();
    const failure = await giveUpOf(engineFor().call({ url: server.chat, body: MESSAGES }));
    expect(Date.now() - began).toBeLessThan(1000);
    expect(failure.reason).toBe('retry-after-too-long');
    expect(failure.attempts).toHaveLength(1);
    expect(failure.message).toMatch(/HTTP 429: the server asked to wait 3[56]\d\d(\.\d+)? s, more than maxRetryAfterMs \(120 s\); giving up/);
    expect(failure.last.status).toBe(429);
  });

  it('window-head: the 429s without Retry-After are retried on the schedule until the head of the window has passed', async () => {
    const server = await labServer([{ scenario: 'window-head', rejectFirst: 2 }]);
    const engine = engineFor();
    const result = await engine.call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([429, 429, 200]);
    expect(result.attempts[0].headers).toEqual({});
    expectScheduledDelays(engine, result.attempts);
  });

  it('server-errors: a burst of 503s is retried with delays within their jitter bounds', async () => {
    const server = await labServer([{ scenario: 'server-errors', status: 503, errors: 3, period: 10 }]);
    const engine = engineFor({ baseDelayMs: 8, maxDelayMs: 20 });
    const result = await engine.call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([503, 503, 503, 200]);
    expect(result.attempts[0].errorClass).toBe('overloaded');
    expectScheduledDelays(engine, result.attempts);
    // The third retry's nominal delay (32 ms) is above the 20 ms cap.
    expect(result.attempts[2].decision).toMatchObject({ delaySource: 'capped' });
  });

  it('server-errors that outlast maxAttempts: exactly maxAttempts attempts, then attempts-exhausted', async () => {
    const server = await labServer([{ scenario: 'server-errors', status: 502, errors: 1, period: 1 }]);
    const failure = await giveUpOf(engineFor({ maxAttempts: 3 }).call({ url: server.chat, body: MESSAGES }));
    expect(failure.reason).toBe('attempts-exhausted');
    expect(statuses(failure.attempts)).toEqual([502, 502, 502]);
    expect(server.stats().requests).toBe(3);
  });

  it('slow-first-byte: a per-attempt timeout below the delay times out every attempt; above it, one slow success', async () => {
    const server = await labServer([{ scenario: 'slow-first-byte', delayMs: 300 }]);
    const failure = await giveUpOf(engineFor({ maxAttempts: 2 }, { attemptTimeoutMs: 80 }).call({ url: server.chat, body: MESSAGES }));
    expect(failure.reason).toBe('attempts-exhausted');
    expect(failure.attempts.map((attempt) => attempt.outcome)).toEqual(['timeout', 'timeout']);
    for (const attempt of failure.attempts) expect(attempt.durationMs).toBeLessThan(250);
    const result = await engineFor({}, { attemptTimeoutMs: 2000 }).call({ url: server.chat, body: MESSAGES });
    expect(statuses(result.attempts)).toEqual([200]);
    expect(result.attempts[0].durationMs).toBeGreaterThanOrEqual(295);
  });

  it('hang: each attempt ends at the timeout, and the deadline ends the call', async () => {
    const server = await labServer('hang');
    const began = Date.now();
    const failure = await giveUpOf(engineFor({ maxAttempts: 10 }, { attemptTimeoutMs: 60, deadlineMs: 250 }).call({ url: server.chat, body: MESSAGES }));
    expect(['deadline']).toContain(failure.reason);
    expect(Date.now() - began).toBeLessThan(400);
    expect(failure.attempts.length).toBeGreaterThanOrEqual(2);
    expect(failure.attempts.slice(0, -1).every((attempt) => attempt.outcome === 'timeout')).toBe(true);
  });

  it('stream-cut after the first chunks: not retried, the chunks already delivered are kept', async () => {
    const server = await labServer([{ scenario: 'stream-cut', chunksBeforeCut: 2 }]);
    const delivered: string[] = [];
    const failure = await giveUpOf(engineFor().call({ url: server.chat, body: { ...MESSAGES, stream: true }, onChunk: (data) => delivered.push(data) }));
    expect(failure.reason).toBe('stream-interrupted');
    expect(failure.attempts).toHaveLength(1);
    expect(failure.attempts[0]).toMatchObject({ outcome: 'stream-cut', chunks: 2, status: 200 });
    expect(delivered).toHaveLength(2);
    expect(failure.last.chunks).toEqual(delivered);
    expect(server.stats().requests).toBe(1);
  });

  it('stream-cut before the first chunk: retried, and the second stream is read to [DONE]', async () => {
    const server = await labServer([{ scenario: 'stream-cut', chunksBeforeCut: 0, requests: 1 }, { scenario: 'ok' }]);
    const result = await engineFor().call({ url: server.chat, body: { ...MESSAGES, stream: true } });
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['network-error', 'success']);
    expect(result.attempts[0].chunks).toBeUndefined();
    expect(result.chunks).toHaveLength(8);
    expect(result.usage).toEqual({ promptTokens: 4, completionTokens: 7, totalTokens: 11 });
  });

  it('stream-cut of a JSON body: the cut response is a network error and is retried', async () => {
    const server = await labServer([{ scenario: 'stream-cut', requests: 1 }, { scenario: 'ok' }]);
    const result = await engineFor().call({ url: server.chat, body: MESSAGES });
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['network-error', 'success']);
  });

  for (const [scenario, status, code] of [
    ['wrong-key', 401, 'invalid_api_key'],
    ['context-length', 400, 'context_length_exceeded'],
    ['insufficient-quota', 429, 'insufficient_quota'],
  ] as const) {
    it(`${scenario}: HTTP ${status} ${code} is attempted exactly once`, async () => {
      const server = await labServer(scenario);
      const failure = await giveUpOf(engineFor().call({ url: server.chat, body: MESSAGES }));
      expect(failure.reason).toBe('permanent-code');
      expect(failure.message).toBe(`HTTP ${status} ${code}: fails the same way on every attempt, not retried`);
      expect(statuses(failure.attempts)).toEqual([status]);
      expect(server.stats().requests).toBe(1);
    });
  }

  it('--key: a request without the key gets 401 once; with it, 200', async () => {
    const server = await labServer('ok', { key: 'sk-lab-test' });
    const failure = await giveUpOf(engineFor().call({ url: server.chat, body: MESSAGES }));
    expect(statuses(failure.attempts)).toEqual([401]);
    const result = await engineFor().call({ url: server.chat, body: MESSAGES, headers: { authorization: 'Bearer sk-lab-test' } });
    expect(result.status).toBe(200);
  });

  it('mixed: every call ends within maxAttempts, with a success or a reason the mix explains', async () => {
    const server = await labServer('mixed', { seed: 3 });
    const engine = engineFor({ maxAttempts: 4 }, { attemptTimeoutMs: 3000 });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => engine.call({ url: server.chat, body: MESSAGES }).then((result) => ({ ok: true as const, result }), (error: unknown) => ({ ok: false as const, error }))),
    );
    for (const outcome of outcomes) {
      const attempts = outcome.ok ? outcome.result.attempts : (await giveUpOf(Promise.reject(outcome.error))).attempts;
      expect(attempts.length).toBeLessThanOrEqual(4);
      if (!outcome.ok) expect(['attempts-exhausted']).toContain((outcome.error as { reason: string }).reason);
    }
    expect(outcomes.filter((outcome) => outcome.ok).length).toBeGreaterThanOrEqual(9);
    const modes = server.stats().byMode;
    expect(Object.keys(modes)).toContain('mixed');
  });
});
