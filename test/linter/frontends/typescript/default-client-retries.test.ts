import type { CallFacts } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { onlySite, value } from './extract-helpers.js';

/** The call facts of `call` made inside a hand-written retry loop. */
function callInLoop(imports: string, call: string, setup = ''): CallFacts {
  const code = `${imports}
${setup}
export async function load(url: string): Promise<unknown> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await ${call}; } catch (error) { if (!(error instanceof TypeError)) throw error; }
  }
}`;
  const calls = onlySite(code, 'loop').calls;
  if (calls.length !== 1) throw new Error(`expected one call, got ${calls.length}`);
  return calls[0];
}

const GOT = "import got from 'got';";
const KY = "import ky from 'ky';";

describe('got without a retry option', () => {
  it.each([
    ['got(url)', 3],
    ['got.get(url)', 3],
    ['got.put(url, { json: {} })', 3],
    ['got.delete(url)', 3],
    ['got.head(url)', 3],
    ['got.post(url, { json: {} })', 1],
    ['got.patch(url, { json: {} })', 1],
  ])('%s makes %i attempts by itself', (call, attempts) => {
    const facts = callInLoop(GOT, call);
    expect([facts.library, value(facts.clientAttempts)]).toEqual(['got', attempts]);
    // Switching got's retries off takes a nested `retry: { limit: 0 }`, which a slot cannot write.
    expect(facts.clientRetriesSlot).toBeUndefined();
  });

  it.each([
    ['a computed method', 'got(url, { method: verb })'],
    ['spread options', 'got(url, { ...extra })'],
    ['options first', "got({ url, method: 'POST' })"],
    ['a stream', 'got.stream(url)'],
    ['a retry option (its own client site)', 'got(url, { retry: { limit: 0 } })'],
  ])('unknown with %s', (_, call) => {
    const facts = callInLoop(GOT, call, 'declare const verb: string; declare const extra: object;');
    expect(value(facts.clientAttempts)).toBe('unknown');
  });

  it('an instance whose got.extend sets retry leaves the count to that client site', () => {
    const facts = callInLoop(GOT, 'api.get(url)', 'const api = got.extend({ retry: { limit: 0 } });');
    expect(value(facts.clientAttempts)).toBe('unknown');
  });

  it('an instance from got.extend without retry keeps the default', () => {
    const facts = callInLoop(GOT, 'api.get(url)', "const api = got.extend({ prefixUrl: 'https://api.example.com' });");
    expect(value(facts.clientAttempts)).toBe(3);
  });
});

describe('ky without a retry option', () => {
  it.each([
    ['ky(url)', 3],
    ['ky.get(url)', 3],
    ['ky.put(url, { json: {} })', 3],
    ['ky.delete(url)', 3],
    ['ky.post(url, { json: {} })', 1],
    ['ky.patch(url, { json: {} })', 1],
  ])('%s makes %i attempts by itself', (call, attempts) => {
    const facts = callInLoop(KY, call);
    expect([facts.library, value(facts.clientAttempts)]).toEqual(['ky', attempts]);
  });

  it('offers `retry` (in retries) as the lever: in the options object, or as a new options argument', () => {
    expect(callInLoop(KY, 'ky.get(url, { timeout: 5000 })').clientRetriesSlot).toMatchObject({
      name: 'retry',
      unit: 'retries',
      style: 'object-property',
    });
    expect(callInLoop(KY, 'ky.get(url)').clientRetriesSlot).toMatchObject({ name: 'retry', unit: 'retries', style: 'options-argument' });
  });

  it('no lever when the client does not retry by itself', () => {
    expect(callInLoop(KY, 'ky.post(url, { json: {} })').clientRetriesSlot).toBeUndefined();
  });

  it.each([
    ['a method option', "ky(url, { method: 'get' })"],
    ['spread options', 'ky(url, { ...extra })'],
    ['a Request input (it carries its own method)', "ky(new Request(url, { method: 'POST' }))"],
    ['a retry option (its own client site)', 'ky.get(url, { retry: 0 })'],
  ])('unknown with %s', (_, call) => {
    const facts = callInLoop(KY, call, 'declare const extra: object;');
    expect(value(facts.clientAttempts)).toBe('unknown');
    expect(facts.clientRetriesSlot).toBeUndefined();
  });

  it('an instance whose ky.create sets retry leaves the count to that client site', () => {
    const facts = callInLoop(KY, 'api.get(url)', 'const api = ky.create({ retry: 5 });');
    expect(value(facts.clientAttempts)).toBe('unknown');
  });
});
