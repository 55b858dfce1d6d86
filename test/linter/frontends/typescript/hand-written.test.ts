import { describe, expect, it } from 'vitest';
import { onlySite, value } from './extract-helpers.js';

const sleep = 'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));\n';

/** A retry loop around fetch with the given head, catch body and failure handling. */
function loop(head: string, onFailure: string, prelude = ''): string {
  return `${sleep}${prelude}
async function call(url: string) {
  ${head} {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      ${onFailure}
    }
  }
}`;
}

describe('hand-written loops: attempts', () => {
  it.each([
    ['for (let i = 0; i < 5; i++)', 5],
    ['for (let i = 0; i <= 5; i++)', 6],
    ['for (let attempt = 1; attempt <= 3; attempt++)', 3],
    ['for (let i = 0; 4 > i; i += 1)', 4],
  ])('%s makes %i attempts', (head, attempts) => {
    const site = onlySite(loop(head, 'await sleep(1000);'), 'loop');
    expect(value(site.attempts.max)).toBe(attempts);
  });

  it('resolves a module constant and offers its literal as the lever', () => {
    const site = onlySite(loop('for (let i = 0; i < MAX_TRIES; i++)', 'await sleep(1000);', 'const MAX_TRIES = 7;'), 'loop');
    expect(value(site.attempts.max)).toBe(7);
    expect(site.attempts.slot).toMatchObject({ unit: 'attempts', valueSpan: { line: 2 } });
  });

  it('uses a parameter default, and is unknown for a parameter without one', () => {
    const withDefault = `${sleep}async function call(url: string, tries = 6) {
  for (let i = 0; i < tries; i++) {
    try { return await fetch(url); } catch (error) { await sleep(100); }
  }
}`;
    expect(value(onlySite(withDefault, 'loop').attempts.max)).toBe(6);
    expect(value(onlySite(withDefault.replace('tries = 6', 'tries: number'), 'loop').attempts.max)).toBe('unknown');
  });

  it('while (true) with no limit is unbounded; a counter guard bounds it', () => {
    expect(value(onlySite(loop('while (true)', 'await sleep(1000);'), 'loop').attempts.max)).toBe('unbounded');
    const guarded = loop('while (true)', 'if (++attempt >= 4) throw error;\n      await sleep(1000);', 'let attempt = 0;');
    expect(value(onlySite(guarded, 'loop').attempts.max)).toBe(4);
  });

  it('a deadline or an unknown exit is not called unbounded', () => {
    const deadline = loop('for (;;)', 'if (Date.now() > deadline) throw error;\n      await sleep(1000);', 'const deadline = Date.now() + 30_000;');
    expect(value(onlySite(deadline, 'loop').attempts.max)).toBe('unknown');
  });

  it('a loop whose catch always rethrows is not a retry', () => {
    expect(() => onlySite(loop('for (let i = 0; i < 3; i++)', 'throw error;'), 'loop')).toThrow(/got 0/);
  });
});

describe('hand-written loops: delay', () => {
  const delayOf = (expression: string, head = 'for (let attempt = 0; attempt < 5; attempt++)') =>
    onlySite(loop(head, `await sleep(${expression});`), 'loop').delay;

  it('reads exponential growth in its spellings', () => {
    for (const expression of ['1000 * 2 ** attempt', 'Math.pow(2, attempt) * 1000', '1000 * (1 << attempt)']) {
      const delay = delayOf(expression);
      expect([value(delay.strategy), value(delay.baseMs), value(delay.factor), value(delay.capMs), value(delay.jitter)]).toEqual([
        'exponential',
        1000,
        2,
        'none',
        'none',
      ]);
    }
  });

  it('reads a Math.min cap and the jitter kind', () => {
    const full = delayOf('Math.random() * Math.min(500 * 2 ** attempt, 30_000)');
    expect([value(full.capMs), value(full.jitter), value(full.baseMs)]).toEqual([30_000, 'full', 500]);
    expect(value(delayOf('1000 * 2 ** attempt + Math.random() * 100').jitter)).toBe('additive');
    expect(value(delayOf('1000 * 2 ** attempt * (0.8 + Math.random() * 0.4)').jitter)).toBe('proportional');
  });

  it('follows a local const and records the expression lever', () => {
    const code = loop('for (let attempt = 0; attempt < 5; attempt++)', 'const wait = 250 * 2 ** attempt;\n      await sleep(wait);');
    const site = onlySite(code, 'loop');
    expect(value(site.delay.baseMs)).toBe(250);
    expect(code.slice(site.delay.expression!.start, site.delay.expression!.end)).toBe('250 * 2 ** attempt');
  });

  it('reads a variable multiplied each round', () => {
    const code = loop('for (let attempt = 0; attempt < 5; attempt++)', 'await sleep(delay);\n      delay *= 3;', 'let delay = 200;');
    const delay = onlySite(code.replace('async function call', 'export async function call'), 'loop').delay;
    expect([value(delay.strategy), value(delay.baseMs), value(delay.factor)]).toEqual(['exponential', 200, 3]);
  });

  it('linear and constant delays, and no wait at all', () => {
    expect([value(delayOf('500 * attempt + 100').strategy), value(delayOf('500 * attempt + 100').stepMs)]).toEqual(['linear', 500]);
    expect(value(delayOf('2000').strategy)).toBe('constant');
    const none = onlySite(loop('for (let i = 0; i < 3; i++)', 'console.warn(error);'), 'loop').delay;
    expect([value(none.strategy), value(none.baseMs)]).toEqual(['none', 0]);
  });

  it('recognizes timers/promises and a seconds-based helper', () => {
    const timers = `import { setTimeout as wait } from 'node:timers/promises';
${loop('for (let i = 0; i < 3; i++)', 'await wait(1500);')}`;
    expect(value(onlySite(timers, 'loop').delay.baseMs)).toBe(1500);
    const seconds = `const pause = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
${loop('for (let i = 0; i < 3; i++)', 'await pause(2);')}`;
    const delay = onlySite(seconds, 'loop').delay;
    expect(value(delay.baseMs)).toBe(2000);
    expect(delay.expression).toBeUndefined();
  });

  it('an unresolvable awaited backoff call leaves the delay unknown', () => {
    const code = `import { backoff } from './util';\n${loop('for (let i = 0; i < 3; i++)', 'await backoff(i);')}`;
    expect(value(onlySite(code, 'loop').delay.strategy)).toBe('unknown');
  });
});

describe('hand-written loops: what is retried', () => {
  const statusLoop = (test: string, prelude = '') => `${sleep}${prelude}
async function call(url: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    ${test}
    return res;
  }
}`;

  it('status tests that lead to another attempt', () => {
    const site = onlySite(statusLoop('if (res.status === 429 || res.status >= 500) { await sleep(1000); continue; }'), 'loop');
    const statuses = value(site.retryOn.statuses);
    expect(statuses).not.toBe('unknown');
    expect((statuses as unknown as { min: number; max: number }[]).map(({ min, max }) => [min, max])).toEqual([
      [429, 429],
      [500, 599],
    ]);
    expect(value(site.retryOn.catchAll)).toBe(false);
    expect(value(site.retryAfter.handlesRateLimit)).toBe(true);
    expect(value(site.retryAfter.read)).toBe(false);
  });

  it('a negated list test keeps the list as the lever', () => {
    const site = onlySite(
      statusLoop('if (!RETRYABLE.includes(res.status)) return res;\n    await sleep(1000);', 'const RETRYABLE = [408, 429, 503];'),
      'loop',
    );
    expect(site.retryOn.statusList?.items.map((item) => item.value)).toEqual([408, 429, 503]);
  });

  it('a status that stops the retry is not retried', () => {
    const site = onlySite(
      loop('for (let i = 0; i < 3; i++)', 'if (error.response?.status === 401) throw error;\n      await sleep(1000);'),
      'loop',
    );
    expect(value(site.retryOn.statuses)).toEqual([]);
    expect(value(site.retryOn.catchAll)).toBe(false);
  });

  it('a bare catch is catch-all, reported at the catch clause', () => {
    const code = loop('for (let i = 0; i < 3; i++)', 'await sleep(1000);');
    const site = onlySite(code, 'loop');
    expect(value(site.retryOn.catchAll)).toBe(true);
    expect(code.slice(site.retryOn.catchAllSpan!.start, site.retryOn.catchAllSpan!.end)).toBe('catch (error)');
  });

  it('error codes that lead to a retry', () => {
    const site = onlySite(
      loop('for (let i = 0; i < 3; i++)', "if (error.code === 'context_length_exceeded') { await sleep(1000); continue; }\n      throw error;"),
      'loop',
    );
    expect(site.retryOn.errorCodes.map((code) => code.value)).toEqual(['context_length_exceeded']);
  });
});

describe('hand-written loops: Retry-After', () => {
  const rateLimited = (handling: string) => `${sleep}
async function call(url: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.status === 429) {
      ${handling}
      continue;
    }
    return res;
  }
}`;

  it('parseInt reads seconds only; a Math.min caps it', () => {
    const facts = onlySite(rateLimited("const wait = parseInt(res.headers.get('Retry-After') ?? '1', 10) * 1000;\n      await sleep(Math.min(wait, 30_000));"), 'loop').retryAfter;
    expect([value(facts.read), value(facts.usedAsDelay), facts.forms, value(facts.capMs)]).toEqual([true, true, ['seconds'], 30_000]);
  });

  it('Date.parse reads the date form; a guard that gives up is a cap', () => {
    const facts = onlySite(
      rateLimited("const header = res.headers.get('retry-after') ?? '';\n      const wait = Date.parse(header) - Date.now();\n      if (wait > 60_000) throw new Error('too long');\n      await sleep(wait);"),
      'loop',
    ).retryAfter;
    expect([facts.forms, value(facts.capMs)]).toEqual([['date'], 60_000]);
  });

  it('a header read only to decide is not used as the delay', () => {
    const facts = onlySite(rateLimited("if (!res.headers.get('retry-after')) throw new Error('no hint');\n      await sleep(1000);"), 'loop').retryAfter;
    expect([value(facts.read), value(facts.usedAsDelay)]).toEqual([true, false]);
  });

  it('retry-after-ms is the ms form', () => {
    const facts = onlySite(rateLimited("const wait = Number(res.headers.get('retry-after-ms'));\n      await sleep(Math.min(wait, 10_000));"), 'loop').retryAfter;
    expect(facts.forms).toContain('ms');
  });
});

describe('hand-written loops: cancellation, sleeps, permits', () => {
  it('retrying the AbortError of the caller signal is cancellation retried; checking signal.aborted guards it', () => {
    const body = (guard: string) => `${sleep}
async function call(url: string, signal: AbortSignal) {
  for (let i = 0; i < 3; i++) {
    try { return await fetch(url, { signal }); }
    catch (error) { ${guard} await sleep(1000); }
  }
}`;
    expect(value(onlySite(body(''), 'loop').retryOn.cancellation.retried)).toBe(true);
    const guarded = onlySite(body('if (signal.aborted) throw error;'), 'loop').retryOn.cancellation;
    expect([value(guarded.retried), guarded.guarded]).toEqual([false, true]);
  });

  it('Atomics.wait in an async retry is a blocking sleep with its call and argument', () => {
    const code = loop('for (let i = 0; i < 3; i++)', 'Atomics.wait(flag, 0, 0, 1000);', 'const flag = new Int32Array(new SharedArrayBuffer(4));');
    const site = onlySite(code, 'loop');
    expect(value(site.sleep.blockingInAsync)).toBe(true);
    expect(code.slice(site.sleep.blockingCall!.argument!.start, site.sleep.blockingCall!.argument!.end)).toBe('1000');
  });

  it('a semaphore acquired before the loop is held across the backoff', () => {
    const code = `${sleep}import { Semaphore } from 'async-mutex';
const gate = new Semaphore(2);
async function call(url: string) {
  const [, release] = await gate.acquire();
  try {
    for (let i = 0; i < 3; i++) {
      try { return await fetch(url); } catch (error) { await sleep(1000); }
    }
  } finally { release(); }
}`;
    const site = onlySite(code, 'loop');
    expect(value(site.sleep.permitHeld)).toBe(true);
    expect(site.sleep.permitSpan?.line).toBe(5);
  });
});

describe('recursion', () => {
  it('a counter parameter guarded by a limit', () => {
    const code = `${sleep}
async function call(url: string, attempt = 0): Promise<Response> {
  try {
    return await fetch(url);
  } catch (error) {
    if (attempt >= 3) throw error;
    await sleep(500 * 2 ** attempt);
    return call(url, attempt + 1);
  }
}`;
    const site = onlySite(code, 'recursion');
    expect([value(site.attempts.max), value(site.delay.strategy), value(site.delay.baseMs)]).toEqual([4, 'exponential', 500]);
  });

  it('a counting-down parameter', () => {
    const code = `${sleep}
async function call(url: string, retries = 2): Promise<Response> {
  const res = await fetch(url);
  if (res.status === 503 && retries > 0) {
    await sleep(1000);
    return call(url, retries - 1);
  }
  return res;
}`;
    expect(value(onlySite(code, 'recursion').attempts.max)).toBe(3);
  });

  it('no counter at all is unbounded', () => {
    const code = `${sleep}
const call = async (url: string): Promise<Response> => {
  try { return await fetch(url); } catch (error) { await sleep(1000); return call(url); }
};`;
    expect(value(onlySite(code, 'recursion').attempts.max)).toBe('unbounded');
  });

  it('plain recursion (not from a failure path) is not a retry', () => {
    const code = 'function walk(n: number): number { return n <= 0 ? 0 : walk(n - 1); }';
    expect(() => onlySite(code, 'recursion')).toThrow(/got 0/);
  });
});

describe('loops that are not retries', () => {
  it('a loop over items that logs failures and goes on', () => {
    const code = `export async function sendAll(urls: string[]) {
  for (let i = 0; i < urls.length; i++) {
    try { await fetch(urls[i], { method: 'POST' }); } catch (error) { console.error(error); }
  }
}`;
    expect(() => onlySite(code, 'loop')).toThrow(/got 0/);
  });

  it('polling until a job stops answering 202', () => {
    const code = `${sleep}export async function waitForJob(url: string) {
  for (;;) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.status === 202) { await sleep(1000); continue; }
    return res;
  }
}`;
    expect(() => onlySite(code, 'loop')).toThrow(/got 0/);
  });
});
