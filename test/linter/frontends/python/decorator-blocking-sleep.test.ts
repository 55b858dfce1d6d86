import { describe, expect, it } from 'vitest';
import { onlySite, valueOf } from './extract-helpers.js';

const textAt = (text: string, span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

describe('blocking sleeps in retry-decorated functions', () => {
  it('reports time.sleep in an async def decorated with tenacity, with the parts the fix needs', async () => {
    const text = `
import time
from tenacity import retry

@retry
async def load(client):
    time.sleep(2 ** 3)
    return await client.get("https://example.com")
`;
    const site = await onlySite(text);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(true);
    expect(textAt(text, site.sleep.blockingCall?.span)).toBe('time.sleep(2 ** 3)');
    expect(textAt(text, site.sleep.blockingCall?.callee)).toBe('time.sleep');
    expect(textAt(text, site.sleep.blockingCall?.argument)).toBe('2 ** 3');
  });

  it('follows `from time import sleep` under a backoff decorator', async () => {
    const text = `
import backoff
from time import sleep

@backoff.on_predicate(backoff.constant, interval=1, max_tries=3)
async def poll(client):
    sleep(1)
    return await client.get("https://example.com")
`;
    const site = await onlySite(text);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(true);
    expect(textAt(text, site.sleep.blockingCall?.span)).toBe('sleep(1)');
  });

  it('stays silent for a sync decorated function', async () => {
    const site = await onlySite(`
import time
from tenacity import retry

@retry
def load(client):
    time.sleep(1)
    return client.get("https://example.com")
`);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(false);
    expect(site.sleep.blockingCall).toBeUndefined();
  });

  it('ignores blocking sleeps in nested functions and lambdas of the decorated function', async () => {
    const site = await onlySite(`
import time
import backoff

@backoff.on_exception(backoff.expo, ValueError, max_tries=3)
async def load(client):
    def later():
        time.sleep(1)
    pause = lambda: time.sleep(1)
    return await client.get("https://example.com"), later, pause
`);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(false);
  });

  it('does not treat asyncio.sleep as blocking', async () => {
    const site = await onlySite(`
import asyncio
from tenacity import retry

@retry
async def load(client):
    await asyncio.sleep(1)
    return await client.get("https://example.com")
`);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(false);
  });
});
