/**
 * A Retry Lab call as the panel makes it (extension/src/retry-lab/lab-call.ts), against the
 * real lab server on 127.0.0.1 in the panel's scenarios: the policy's retries, the
 * Retry-After the engine used, a cancel during a backoff, and a cut stream not retried.
 */
import { resolvePolicy, type AttemptEvent } from '@retrylint/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { runLabCall, type LabCallRequest } from '../../extension/src/retry-lab/lab-call.js';
import { PANEL_LAB_SCENARIOS } from '../../extension/src/retry-lab/lab-scenarios.js';
import { configWithRecommendation } from '../../extension/src/retry-lab/apply-recommendation.js';
import { policyOfSite } from '../../extension/src/retry-lab/policy-of-site.js';
import { startLabServer, type LabServer } from '../../linter/src/lab/lab-server.js';

const KEY = 'sk-lab-0123456789';
let server: LabServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(scenario: keyof typeof PANEL_LAB_SCENARIOS, overrides: Partial<LabCallRequest> = {}) {
  server = await startLabServer({ port: 0, scenario: PANEL_LAB_SCENARIOS[scenario], key: KEY });
  const attempts: AttemptEvent[] = [];
  const texts: string[] = [];
  const outcome = await runLabCall({
    endpoint: new URL(`${server.url}/v1`),
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'one two three four' }],
    stream: false,
    policy: resolvePolicy('ai-api', { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 }),
    apiKey: KEY,
    signal: new AbortController().signal,
    onAttempt: (event) => attempts.push(event),
    onText: (text) => texts.push(text),
    ...overrides,
  });
  return { outcome, attempts, texts };
}

describe('a Retry Lab call against the lab server', () => {
  it('retries the rate limit after the Retry-After the server sent, then answers with usage', async () => {
    const { outcome, attempts } = await call('rate-limit');
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 429, 200]);
    for (const rejected of attempts.slice(0, 2)) {
      expect(rejected.decision).toMatchObject({ action: 'retry', delaySource: 'retry-after' });
      const asked = Number(rejected.headers['retry-after-ms']);
      expect(asked).toBeGreaterThan(0);
      expect(rejected.decision.action === 'retry' && rejected.decision.delayMs).toBe(asked);
    }
    expect(outcome.end).toMatchObject({ ok: true, reason: 'success', attempts: 3 });
    expect(outcome.text).toBeTruthy();
    expect(outcome.usage?.totalTokens).toBeGreaterThan(0);
    expect(outcome.wasted).toEqual({ attempts: 2, tokens: 0, costUsd: 0 });
  });

  it('sends the key as a bearer token only: without it the lab answers 401 and nothing is retried', async () => {
    const { outcome, attempts } = await call('ok', { apiKey: undefined });
    expect(attempts.map((attempt) => attempt.status)).toEqual([401]);
    expect(outcome.end.reason).toBe('permanent-code');
  });

  it('stops at once when cancelled during a backoff', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const seen: AttemptEvent[] = [];
    const { outcome } = await call('rate-limit', {
      signal: controller.signal,
      onAttempt: (event) => {
        if (event.decision.action === 'retry') setTimeout(() => controller.abort(new Error('cancelled')), 50);
        seen.push(event);
      },
    });
    expect(outcome.end.reason).toBe('cancelled');
    expect(seen.map((event) => event.status)).toEqual([429]);
    expect(server?.stats().requests).toBe(1);
    // The Retry-After asked for up to 1.5 s; the cancel came 50 ms into it.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not retry a stream cut after its first chunk, and keeps the text that arrived', async () => {
    const { outcome, attempts, texts } = await call('stream-cut', { stream: true });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome: 'stream-cut', decision: { action: 'stop', reason: 'stream-interrupted' } });
    expect(texts.length).toBeGreaterThan(0);
    expect(outcome.end.reason).toBe('stream-interrupted');
    expect(outcome.text).toBe(texts.join(''));
  });

  it('prices the wasted attempts of a known model and retries a 503 by the schedule', async () => {
    const { outcome, attempts } = await call('server-errors');
    expect(attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(attempts[0].decision).toMatchObject({ action: 'retry', delaySource: expect.stringMatching(/^(schedule|capped)$/) });
    expect(outcome.wasted.attempts).toBe(1);
  });
});

describe('the policy of a retry site', () => {
  it("puts the site's attempts, delays, timeout and Retry-After limit into the file's policy", () => {
    const base = resolvePolicy('ai-api');
    const { backoff: _backoff, profile: _profile, ...options } = base;
    const { policy, summary, notes } = policyOfSite({
      line: 4,
      character: 0,
      label: 'tenacity decorator at line 5',
      attempts: 4,
      backoff: { strategy: 'exponential', baseMs: 500, capMs: 8000, jitter: 'full' },
      timeoutMs: 10_000,
      retryAfterMs: 30_000,
      deadlineMs: undefined,
      profile: 'ai-api',
      policy: options,
    });
    expect(policy).toMatchObject({ maxAttempts: 4, maxTimeoutMs: 10_000, maxRetryAfterMs: 30_000, maxTotalMs: base.maxTotalMs });
    expect(policy.backoff).toMatchObject({ strategy: 'exponential', baseMs: 500, capMs: 8000, factor: 2, jitter: 'full', maxAttempts: 4 });
    expect(summary).toMatch(/^tenacity decorator at line 5: 4 attempts, exponential from 500 ms, cap 8 s, full jitter/);
    expect(notes).toEqual([]);
  });

  it('says where the engine falls back on the policy', () => {
    const { backoff: _backoff, profile: _profile, ...options } = resolvePolicy('ai-api');
    const { policy, notes } = policyOfSite({
      line: 0, character: 0, label: 'hand-written loop at line 1', attempts: 'unbounded', backoff: undefined,
      timeoutMs: undefined, retryAfterMs: undefined, deadlineMs: undefined, profile: 'ai-api', policy: options,
    });
    expect(policy.maxAttempts).toBe(5);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toContain('unbounded');
  });
});

describe('Apply to config', () => {
  const candidate = { profile: 'ai-api', maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 5000, jitter: 'full', honourRetryAfter: true } as const;

  it('writes the profile and the numbers, keeping comments and other keys', () => {
    const text = '{\n  // CI lints against this\n  "extends": "retrylint:recommended",\n  "policy": { "maxRetryAfterMs": 30000 }\n}\n';
    const updated = configWithRecommendation(text, candidate);
    expect(updated).toContain('// CI lints against this');
    expect(updated).toContain('"extends": "retrylint:recommended"');
    expect(updated).toContain('"maxRetryAfterMs": 30000');
    const parsed = JSON.parse(updated.replace(/\/\/.*\n/, '\n'));
    expect(parsed).toMatchObject({ profile: 'ai-api', policy: { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 5000, jitter: 'full' } });
  });

  it('creates a config from nothing', () => {
    expect(JSON.parse(configWithRecommendation('', candidate))).toEqual({
      profile: 'ai-api',
      policy: { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 5000, jitter: 'full' },
    });
  });
});
