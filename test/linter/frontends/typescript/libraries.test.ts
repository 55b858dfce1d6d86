import type { RetrySite } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { extract, onlySite, value } from './extract-helpers.js';

const attemptsOf = (site: RetrySite) => value(site.attempts.max);

describe('p-retry', () => {
  it.each([
    ["import pRetry from 'p-retry';", 'pRetry'],
    ["import { default as withRetry } from 'p-retry';", 'withRetry'],
    ["const again = require('p-retry');", 'again'],
    ["import * as pr from 'p-retry';", 'pr.default'],
  ])('is recognized by its binding: %s', (binding, callee) => {
    const site = onlySite(`${binding}\nexport const run = () => ${callee}(async () => 1);`, 'wrapper');
    // Library defaults: 10 retries, 1 s doubling without a cap or jitter.
    expect([attemptsOf(site), value(site.delay.baseMs), value(site.delay.factor), value(site.delay.capMs), value(site.delay.jitter)]).toEqual([
      11,
      1000,
      2,
      'none',
      'none',
    ]);
    expect(site.delay.capSlot).toMatchObject({ name: 'maxTimeout', style: 'options-argument', unit: 'ms' });
  });

  it('ignores a function merely named pRetry', () => {
    expect(extract('const pRetry = (f: () => unknown) => f();\npRetry(() => 1);').sites).toEqual([]);
  });

  it('reads options from a constant object and sees AbortError as a stop', () => {
    const code = `import pRetry, { AbortError } from 'p-retry';
const OPTIONS = { retries: 3, minTimeout: 250, maxTimeout: 5_000, randomize: true };
export const run = (url: string) => pRetry(async () => {
  const res = await fetch(url);
  if (res.status === 404) throw new AbortError('gone');
  return res;
}, OPTIONS);`;
    const site = onlySite(code, 'wrapper');
    expect([attemptsOf(site), value(site.delay.baseMs), value(site.delay.capMs), value(site.delay.jitter)]).toEqual([4, 250, 5000, 'proportional']);
    expect([value(site.retryOn.catchAll), value(site.retryOn.abortsOnPermanent)]).toEqual([false, true]);
    expect(site.calls.map((call) => call.library)).toEqual(['fetch']);
  });

  it('a spread in the options makes unwritten options unknown', () => {
    const site = onlySite("import pRetry from 'p-retry';\nexport const run = (o: object) => pRetry(async () => 1, { ...o, factor: 3 });", 'wrapper');
    expect([attemptsOf(site), value(site.delay.factor)]).toEqual(['unknown', 3]);
  });
});

describe('async-retry, axios-retry, cockatiel, undici', () => {
  it('async-retry randomizes by default and bail stops', () => {
    const code = `const retry = require('async-retry');
retry(async (bail) => { const res = await fetch('u'); if (res.status === 403) { bail(new Error('no')); return; } return res; }, { retries: 2 });`;
    const site = onlySite(code, 'wrapper');
    expect([attemptsOf(site), value(site.delay.jitter), value(site.retryOn.catchAll)]).toEqual([3, 'proportional', false]);
  });

  it('axios-retry: 3 retries, no delay, honours Retry-After without a cap; the instance then retries by itself', () => {
    const code = `import axios from 'axios';
import axiosRetry from 'axios-retry';
const api = axios.create({ timeout: 5000 });
axiosRetry(api);
export async function get(): Promise<unknown> {
  for (let i = 0; i < 3; i++) {
    try { return await api.get('/x'); } catch (error) { if (!axios.isAxiosError(error)) throw error; }
  }
}`;
    const client = onlySite(code, 'client');
    expect([attemptsOf(client), value(client.delay.strategy), value(client.retryAfter.capMs)]).toEqual([4, 'none', 'none']);
    const call = onlySite(code, 'loop').calls[0];
    expect([call.library, value(call.clientAttempts), value(call.timeout)]).toEqual(['axios', 4, { kind: 'explicit', ms: 5000 }]);
    expect(call.clientRetriesSlot).toMatchObject({ name: 'retries', style: 'options-argument' });
  });

  it.each([
    ['Number(header) * 1000', 'Math.random() * 1000', ['seconds'], 'none'],
    ['Math.min(Number(header) * 1000, 30_000)', 'Math.random() * 1000', ['seconds'], 30_000],
    ['Number(header) * 1000', 'axiosRetry.exponentialDelay(count)', ['seconds'], 'none'],
  ])('axios-retry: a custom retryDelay that reads Retry-After is judged on its parse and cap: %s', (fromHeader, otherwise, forms, cap) => {
    const code = `import axios from 'axios';
import axiosRetry from 'axios-retry';
axiosRetry(axios, {
  retryCondition: (error) => error.response?.status === 429,
  retryDelay: (count, error) => {
    const header = error.response?.headers['retry-after'];
    if (header) return ${fromHeader};
    return ${otherwise};
  },
});`;
    const { retryAfter } = onlySite(code, 'client');
    expect([value(retryAfter.honouredByLibrary), value(retryAfter.read), value(retryAfter.usedAsDelay), retryAfter.forms, value(retryAfter.capMs)]).toEqual([
      false,
      true,
      true,
      forms,
      cap,
    ]);
  });

  it('cockatiel: handleAll is catch-all, maxAttempts counts retries, default backoff is immediate', () => {
    const code = `import { handleAll, retry } from 'cockatiel';
const policy = retry(handleAll, { maxAttempts: 3 });
export const run = (url: string) => policy.execute(() => fetch(url));`;
    const site = onlySite(code, 'wrapper');
    expect([attemptsOf(site), value(site.retryOn.catchAll), value(site.delay.strategy)]).toEqual([4, true, 'none']);
    expect(site.calls.map((call) => call.library)).toEqual(['fetch']);
  });

  it('cockatiel without maxAttempts is unbounded; ExponentialBackoff defaults', () => {
    const code = `import { handleType, retry, ExponentialBackoff } from 'cockatiel';
export const policy = retry(handleType(TypeError), { backoff: new ExponentialBackoff({ initialDelay: 200 }) });`;
    const site = onlySite(code, 'wrapper');
    expect([attemptsOf(site), value(site.delay.baseMs), value(site.delay.capMs), value(site.delay.jitter)]).toEqual([
      'unbounded',
      200,
      30_000,
      'decorrelated',
    ]);
  });

  it('undici RetryAgent defaults and status list', () => {
    const code = `import { Agent, RetryAgent } from 'undici';
export const agent = new RetryAgent(new Agent(), { statusCodes: [429, 500] });`;
    const site = onlySite(code, 'client');
    expect([attemptsOf(site), value(site.delay.baseMs), value(site.delay.capMs)]).toEqual([6, 500, 30_000]);
    expect(site.retryOn.statusList?.items.map((item) => item.value)).toEqual([429, 500]);
  });
});

describe('got and ky', () => {
  it('got.extend with retry options is a client site; its calls inherit the timeout', () => {
    const code = `import got from 'got';
const api = got.extend({ timeout: { request: 8000 }, retry: { limit: 4, statusCodes: [404, 503] } });
export async function get(): Promise<unknown> {
  for (let i = 0; i < 2; i++) {
    try { return await api.get('x').json(); } catch (error) { if (!(error instanceof TypeError)) throw error; }
  }
}`;
    const site = onlySite(code, 'client');
    expect([site.library, attemptsOf(site), value(site.delay.capMs), value(site.delay.jitter)]).toEqual(['got', 5, 'none', 'additive']);
    expect(site.retryOn.statusList?.items.map((item) => item.value)).toEqual([404, 503]);
    const call = onlySite(code, 'loop').calls[0];
    expect([call.library, value(call.timeout)]).toEqual(['got', { kind: 'explicit', ms: 8000 }]);
  });

  it('ky retry: number form, jitter lever, maxRetryAfter cap', () => {
    const code = `import ky from 'ky';
export const a = ky.create({ retry: 5 });
export const b = ky.create({ retry: { limit: 1, maxRetryAfter: 10_000 } });`;
    const [a, b] = extract(code).sites.filter((site) => site.kind === 'client');
    expect([attemptsOf(a), value(a.delay.baseMs), value(a.retryAfter.capMs)]).toEqual([6, 300, 'none']);
    expect([attemptsOf(b), value(b.retryAfter.capMs)]).toEqual([2, 10_000]);
    expect(b.delay.jitterLever).toMatchObject({ kind: 'option', slot: { name: 'jitter', unit: 'boolean' } });
  });
});

describe('openai / anthropic SDK', () => {
  it('a client with default settings retries twice; maxRetries and timeout are read', () => {
    const code = `import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
export const a = new OpenAI();
export const b = new Anthropic({ maxRetries: 5, timeout: 20_000 });`;
    const [a, b] = extract(code).sites;
    expect([a.library, attemptsOf(a), b.library, attemptsOf(b)]).toEqual(['openai', 3, 'anthropic', 6]);
  });

  it('per-request options override the client; timeout 0 disables; a typed parameter is a client with unknown settings', () => {
    const code = `import OpenAI from 'openai';
const client = new OpenAI({ timeout: 0 });
export const one = () => client.chat.completions.create({ model: 'm', messages: [] }, { maxRetries: 0 });
export const two = (ai: OpenAI) => ai.responses.create({ model: 'm', input: 'x' });`;
    const calls = extract(code).sites.filter((site) => site.kind === 'call').map((site) => site.calls[0]);
    expect(calls.map((call) => [value(call.clientAttempts), value(call.timeout)])).toEqual([
      [1, { kind: 'disabled' }],
      ['unknown', 'unknown'],
    ]);
  });

  it('a stream iterated inside the retry is consumed there; one returned to the caller is not', () => {
    const loop = (body: string) => `import OpenAI from 'openai';
const client = new OpenAI({ maxRetries: 0 });
export async function* run() {
  for (let i = 0; i < 3; i++) {
    try { ${body} } catch (error) { if (!(error instanceof OpenAI.APIConnectionError)) throw error; }
  }
}`;
    const consumed = onlySite(loop("const s = await client.chat.completions.create({ model: 'm', messages: [], stream: true }); for await (const c of s) yield c; return;"), 'loop');
    expect([value(consumed.calls[0].streaming), value(consumed.calls[0].streamConsumedInRetry)]).toEqual([true, true]);
    const returned = onlySite(loop("return await client.chat.completions.create({ model: 'm', messages: [], stream: true });"), 'loop');
    expect(value(returned.calls[0].streamConsumedInRetry)).toBe(false);
  });
});

describe('fetch and axios calls in retries', () => {
  it('fetch: signal timeout, missing signal with a lever, caller signal unknown', () => {
    const code = `export async function get(url: string, signal: AbortSignal) {
  for (let i = 0; i < 3; i++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      await fetch(url);
      return await fetch(url, { signal });
    } catch (error) { if (!(error instanceof TypeError)) throw error; }
  }
}`;
    const calls = onlySite(code, 'loop').calls;
    expect(calls.map((call) => value(call.timeout))).toEqual([{ kind: 'explicit', ms: 2000 }, { kind: 'missing', runtimeLimitMs: 300_000 }, 'unknown']);
    expect(calls[1].timeoutSlot).toMatchObject({ name: 'signal', style: 'options-argument', unit: 'abort-signal-timeout' });
  });

  it("fetch without a signal: Node's 300 s limit in Node code, none in a browser, both when the file does not say", () => {
    const loop = (prelude: string) => `${prelude}
export async function get(url: string) {
  for (let i = 0; i < 3; i++) {
    try { return await fetch(url); } catch (error) { if (!(error instanceof TypeError)) throw error; }
  }
}`;
    const timeoutIn = (code: string) => value(onlySite(code, 'loop').calls[0].timeout);
    expect(timeoutIn(loop("import { readFile } from 'node:fs/promises';"))).toEqual({ kind: 'library-default', ms: 300_000 });
    expect(timeoutIn(loop('const token = process.env.API_TOKEN;'))).toEqual({ kind: 'library-default', ms: 300_000 });
    expect(timeoutIn(loop("import { useState } from 'react';"))).toEqual({ kind: 'missing' });
    expect(timeoutIn(loop('document.title = "x";'))).toEqual({ kind: 'missing' });
    expect(timeoutIn(loop(''))).toEqual({ kind: 'missing', runtimeLimitMs: 300_000 });
  });

  it('idempotency keys: none, per attempt, created once outside', () => {
    const code = `import { randomUUID } from 'node:crypto';
export async function post(url: string) {
  const key = randomUUID();
  for (let i = 0; i < 3; i++) {
    try {
      await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1000) });
      await fetch(url, { method: 'POST', headers: { 'Idempotency-Key': randomUUID() }, signal: AbortSignal.timeout(1000) });
      return await fetch(url, { method: 'POST', headers: { 'Idempotency-Key': key }, signal: AbortSignal.timeout(1000) });
    } catch (error) { if (!(error instanceof TypeError)) throw error; }
  }
}`;
    expect(onlySite(code, 'loop').calls.map((call) => value(call.idempotencyKey))).toEqual(['none', 'per-attempt', 'outside']);
  });
});
