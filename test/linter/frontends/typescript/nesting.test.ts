import { describe, expect, it } from 'vitest';
import { extract, value } from './extract-helpers.js';

describe('nesting', () => {
  it('a wrapper inside a loop is nested in the loop', () => {
    const code = `import pRetry from 'p-retry';
export async function run(url: string) {
  for (let i = 0; i < 3; i++) {
    try { return await pRetry(() => fetch(url), { retries: 2 }); } catch (error) { console.warn(error); }
  }
}`;
    const inner = extract(code).sites.find((site) => site.kind === 'wrapper')!;
    expect(inner.nestedIn).toMatchObject({ via: 'loop' });
    expect(value(inner.nestedIn!.attempts)).toBe(3);
  });

  it('stacked wrappers', () => {
    const code = `import pRetry from 'p-retry';
export const run = (url: string) => pRetry(() => pRetry(() => fetch(url), { retries: 1 }), { retries: 4 });`;
    const sites = extract(code).sites.filter((site) => site.kind === 'wrapper');
    const nested = sites.filter((site) => site.nestedIn);
    expect(nested).toHaveLength(1);
    expect([value(nested[0].attempts.max), value(nested[0].nestedIn!.attempts), nested[0].nestedIn!.via]).toEqual([2, 5, 'wrapper']);
  });

  it('a retried function calling another retried function in the same module', () => {
    const code = `import pRetry from 'p-retry';
async function inner(url: string) {
  return pRetry(() => fetch(url), { retries: 2 });
}
export const outer = (urls: string[]) => pRetry(() => Promise.all(urls.map((url) => inner(url))), { retries: 2 });`;
    const nested = extract(code).sites.filter((site) => site.nestedIn);
    expect(nested.map((site) => [site.span.line, site.nestedIn!.via])).toEqual([[3, 'called-function']]);
  });

  it('separate retries are not nested', () => {
    const code = `import pRetry from 'p-retry';
export const a = () => pRetry(() => fetch('a'), { retries: 2 });
export const b = () => pRetry(() => fetch('b'), { retries: 2 });`;
    expect(extract(code).sites.filter((site) => site.nestedIn)).toEqual([]);
  });
});
