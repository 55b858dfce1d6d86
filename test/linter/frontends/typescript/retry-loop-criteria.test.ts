import { describe, expect, it } from 'vitest';
import { extract, value } from './extract-helpers.js';

const loops = (code: string) => extract(code).sites.filter((site) => site.kind === 'loop' || site.kind === 'recursion');

describe('a hand-written loop is a retry only with evidence of a remote call', () => {
  it('a catch-and-go-on loop around an opaque callback is not a retry', () => {
    const code = `export async function again(task: () => Promise<number>) {
  for (let round = 0; round < 3; round++) {
    try { return await task(); } catch (error) { console.warn(error); }
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it.each([
    ['a backoff that doubles between attempts', `try { return await task(); } catch { await sleep(500 * 2 ** round); }`],
    ['HTTP request options (url and method)', `try { return await send({ method: 'POST', url, body: '{}' }); } catch {}`],
    ['a network error type', `try { return await task(); } catch (error) { if (!(error instanceof APIConnectionError)) throw error; }`],
    ['a connection error code', `try { return await task(); } catch (error) { if (error.code !== 'ECONNRESET') throw error; }`],
    ['an axios error guard', `try { return await task(); } catch (error) { if (!axios.isAxiosError(error)) throw error; }`],
    ['a request inside a callback', `try { return await withTimeout(() => fetch(url)); } catch {}`],
    ['an SDK-shaped call on a client from elsewhere', `try { return await ai.chat.completions.create({ model }); } catch {}`],
  ])('the same loop with %s is a retry', (_, body) => {
    const code = `declare const sleep: (ms: number) => Promise<void>;
declare const send: (options: object) => Promise<number>;
export async function again(task: () => Promise<number>, url: string) {
  for (let round = 0; round < 3; round++) {
    ${body}
  }
}`;
    expect(loops(code)).toHaveLength(1);
  });

  it.each([
    ['a fixed pause between polls of a callback', `try { return await task(); } catch { await sleep(250); }`],
    ['a try that awaits nothing (only synchronous errors reach the catch)', `try { return JSON.parse(text); } catch { await sleep(500 * 2 ** round); }`],
    [
      'an answer that is not ready yet goes round again (a poll)',
      `try { const res = await fetch(url); const job = await res.json(); if (job.state === 'done') return job; } catch {} await sleep(1000);`,
    ],
  ])('the loop with %s is not a retry', (_, body) => {
    const code = `declare const sleep: (ms: number) => Promise<void>;
export async function again(task: () => Promise<number>, url: string, text: string) {
  for (let round = 0; round < 3; round++) {
    ${body}
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it('a recursion whose try awaits nothing retries no remote failure', () => {
    const code = `declare const port: { postMessage(message: unknown): void };
export function post(message: unknown, attempt = 0): void {
  try { port.postMessage(message); } catch {
    if (attempt < 5) setTimeout(() => post(message, attempt + 1), 2 ** attempt * 1000);
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it('a recursion on failure without remote evidence is not a retry', () => {
    const code = `export function parse(text: string, tries = 0): unknown {
  try { return JSON.parse(text); } catch { return parse(text.trim(), tries + 1); }
}`;
    expect(loops(code)).toEqual([]);
  });
});

describe('loops over work items are not retries', () => {
  it('an index into a list of candidates picks different work each round', () => {
    const code = `export async function first(urls: string[]) {
  for (let i = 0; i < urls.length; i++) {
    try { return await fetch(urls[i]); } catch {}
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it('an index used only for the delay schedule is still a retry', () => {
    const code = `const DELAYS = [250, 500, 1000];
export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url); } catch { await sleep(DELAYS[attempt]); }
  }
}`;
    const [site] = loops(code);
    expect(value(site.attempts.max)).toBe(3);
  });

  it('a loop that takes the next job off a queue is not a retry', () => {
    const code = `export async function drain(queue: string[]) {
  while (queue.length) {
    const url = queue.shift();
    if (!url) break;
    try { await fetch(url); } catch {}
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it('a queued item passed to a helper that waits is still work, not a delay', () => {
    const code = `async function withPause<T>(task: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return task();
}
export async function drain(queue: string[], failed: string[]) {
  while (queue.length) {
    const url = queue.shift();
    if (!url) break;
    try { await withPause(async () => fetch(url)); } catch { failed.push(url); }
  }
}`;
    expect(loops(code)).toEqual([]);
  });

  it('a delay list consumed in the catch is a schedule, not a queue of work', () => {
    const code = `export async function get(url: string, delays: number[]) {
  while (true) {
    try { return await fetch(url); } catch {
      const delay = delays.shift();
      if (delay === undefined) throw new Error('gave up');
      await sleep(delay);
    }
  }
}`;
    expect(loops(code)).toHaveLength(1);
  });

  it('a delay drawn from a schedule before the wait is not a work item', () => {
    const code = `export async function get(url: string, schedule: Iterator<number>) {
  for (;;) {
    try { return await fetch(url); } catch {}
    const { value: delay, done } = schedule.next();
    if (done) throw new Error('gave up');
    await sleep(delay);
  }
}`;
    expect(loops(code)).toHaveLength(1);
  });
});

describe('a second request that changes what is sent is not a retry', () => {
  it('a 401 branch that refreshes the token does not retry 401', () => {
    const code = `export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url);
    if (res.status === 401) { await refreshToken(); continue; }
    if (res.status === 503) { await sleep(1000); continue; }
    return res;
  }
}`;
    const [site] = loops(code);
    expect(value(site.retryOn.statuses)).toEqual([expect.objectContaining({ min: 503, max: 503 })]);
  });

  it('a 401 branch that asks again with the same credentials still retries 401', () => {
    const code = `export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url);
    if (res.status === 401) { console.warn('unauthorised'); continue; }
    return res;
  }
}`;
    const [site] = loops(code);
    expect(value(site.retryOn.statuses)).toEqual([expect.objectContaining({ min: 401, max: 401 })]);
  });

  it('a self call that sets the flag its guard requires off happens once: no site', () => {
    const code = `export async function send(url: string, fresh = false): Promise<Response> {
  const res = await fetch(url);
  if (res.status === 421 && !fresh) return send(url, true);
  return res;
}`;
    expect(loops(code)).toEqual([]);
  });

  it('a self call that does not set the flag is a retry', () => {
    const code = `export async function send(url: string, fresh = false): Promise<Response> {
  const res = await fetch(url);
  if (res.status === 503 && !fresh) return send(url, fresh);
  return res;
}`;
    expect(loops(code)).toHaveLength(1);
  });
});

describe('classification the loop cannot read is not a catch-all', () => {
  it('a leaving guard on a retry predicate classifies', () => {
    const code = `export async function reconnect(url: string, code: number) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!canReconnect(code)) return;
    await sleep(1000);
    try { await fetch(url); return; } catch { code = 1006; }
  }
}`;
    const [site] = loops(code);
    expect(value(site.retryOn.catchAll)).toBe(false);
  });

  it('a catch that hands the error to a throwing helper of the file classifies', () => {
    const code = `function rethrowPermanent(error: unknown) { if (error instanceof TypeError) return; throw error; }
export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url); } catch (error) { rethrowPermanent(error); await sleep(1000); }
  }
}`;
    const [site] = loops(code);
    expect(value(site.retryOn.catchAll)).toBe(false);
  });

  it('a catch that only logs the error is a catch-all', () => {
    const code = `function note(error: unknown) { console.warn(error); }
export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url); } catch (error) { note(error); await sleep(1000); }
  }
}`;
    const [site] = loops(code);
    expect(value(site.retryOn.catchAll)).toBe(true);
  });
});

describe('compiled call shapes', () => {
  it('reads `(0, module.sleep)(ms)` as a wait', () => {
    const code = `export async function get(url, timers_1) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url); } catch { await (0, timers_1.sleep)(1000); }
  }
}`;
    const [site] = loops(code);
    expect(value(site.delay.strategy)).not.toBe('none');
  });
});
