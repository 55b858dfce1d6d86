import { describe, expect, it } from 'vitest';
import { extract, onlySite, valueOf } from './extract-helpers.js';

describe('tenacity', () => {
  it('follows import aliases and reads stop, wait and retry', async () => {
    const site = await onlySite(`
import tenacity as t
from tenacity import retry as again, wait_exponential as grow

@again(stop=t.stop_after_attempt(4), wait=grow(multiplier=2, max=30), retry=t.retry_if_exception_type((TimeoutError, ConnectionError)))
def load():
    pass
`);
    expect(site.library).toBe('tenacity');
    expect(valueOf(site.attempts.max)).toBe(4);
    expect(valueOf(site.delay.strategy)).toBe('exponential');
    expect(valueOf(site.delay.baseMs)).toBe(2000);
    expect(valueOf(site.delay.capMs)).toBe(30000);
    expect(valueOf(site.delay.jitter)).toBe('none');
    expect(valueOf(site.retryOn.errorTypes)).toEqual(['TimeoutError', 'ConnectionError']);
    expect(valueOf(site.retryOn.catchAll)).toBe(false);
  });

  it('encodes the defaults: no stop retries forever, no wait does not wait, no retry= catches everything', async () => {
    const site = await onlySite('from tenacity import retry\n\n@retry\ndef load():\n    pass\n');
    expect(valueOf(site.attempts.max)).toBe('unbounded');
    expect(valueOf(site.delay.strategy)).toBe('none');
    expect(valueOf(site.retryOn.catchAll)).toBe(true);
  });

  it('reads an added random wait as jitter and leaves unknown predicates unknown', async () => {
    const site = await onlySite(`
from tenacity import retry, stop_after_attempt, wait_exponential, wait_random, retry_if_exception
@retry(stop=stop_after_attempt(3), wait=wait_exponential(max=10) + wait_random(0, 1), retry=retry_if_exception(is_transient))
def load():
    pass
`);
    expect(valueOf(site.delay.jitter)).toBe('additive');
    expect(site.retryOn.catchAll.kind).toBe('known');
    expect(valueOf(site.retryOn.catchAll)).toBe(false);
  });

  it('does not treat an unrelated decorator named retry as tenacity', async () => {
    const model = await extract('from mylib import retry\n\n@retry\ndef load():\n    pass\n');
    expect(model.sites).toEqual([]);
  });
});

describe('backoff', () => {
  it('defaults to full jitter and unbounded tries; jitter=None turns jitter off', async () => {
    const model = await extract(`
import backoff
@backoff.on_exception(backoff.expo, ValueError)
def a():
    pass

@backoff.on_exception(backoff.constant, ValueError, interval=3, max_tries=4, jitter=None)
def b():
    pass
`);
    const [a, b] = model.sites;
    expect(valueOf(a.attempts.max)).toBe('unbounded');
    expect(valueOf(a.delay.jitter)).toBe('full');
    expect(valueOf(a.delay.capMs)).toBe('none');
    expect(valueOf(b.attempts.max)).toBe(4);
    expect(valueOf(b.delay.strategy)).toBe('constant');
    expect(valueOf(b.delay.baseMs)).toBe(3000);
    expect(valueOf(b.delay.jitter)).toBe('none');
  });
});

describe('urllib3 and requests adapters', () => {
  it('counts total as retries and knows the defaults', async () => {
    const model = await extract(`
from urllib3.util.retry import Retry
from requests.adapters import HTTPAdapter
default_retry = Retry()
tuned = Retry(total=3, backoff_factor=0.5, status_forcelist=(429, 503), respect_retry_after_header=False)
adapter = HTTPAdapter(max_retries=2)
`);
    const [defaults, tuned, adapter] = model.sites;
    expect(valueOf(defaults.attempts.max)).toBe(11);
    expect(valueOf(defaults.delay.strategy)).toBe('none');
    expect(valueOf(defaults.retryAfter.honouredByLibrary)).toBe(true);
    expect(valueOf(tuned.attempts.max)).toBe(4);
    expect(valueOf(tuned.delay.baseMs)).toBe(500);
    expect(valueOf(tuned.delay.capMs)).toBe(120000);
    expect(tuned.retryOn.statusList?.items.map((item) => item.value)).toEqual([429, 503]);
    expect(valueOf(tuned.retryAfter.honouredByLibrary)).toBe(false);
    expect(valueOf(adapter.attempts.max)).toBe(3);
  });
});

describe('AI SDK clients', () => {
  it('gives clients 3 attempts and a 600 s timeout by default, honouring with_options', async () => {
    const model = await extract(`
from openai import OpenAI as Client
client = Client()

def ask():
    return client.with_options(max_retries=0).chat.completions.create(model="m", messages=[])

def ask_default():
    return client.chat.completions.create(model="m", messages=[], stream=True)
`);
    const clientSite = model.sites.find((site) => site.kind === 'client');
    expect(valueOf(clientSite?.attempts.max)).toBe(3);
    const calls = model.sites.filter((site) => site.kind === 'call').map((site) => site.calls[0]);
    expect(valueOf(calls[0].clientAttempts)).toBe(1);
    expect(valueOf(calls[1].clientAttempts)).toBe(3);
    expect(valueOf(calls[1].timeout)).toEqual({ kind: 'library-default', ms: 600000 });
    expect(valueOf(calls[1].streaming)).toBe(true);
  });
});

describe('HTTP calls', () => {
  it('reads timeouts of requests, httpx and aiohttp; **kwargs stays unknown', async () => {
    const model = await extract(`
import requests, httpx, aiohttp
requests.get("u")
requests.post("u", timeout=None)
requests.get("u", timeout=(3, 20))
requests.get("u", **options)
httpx.get("u")
httpx.Client(timeout=httpx.Timeout(10.0, read=None)).get("u")
async def f():
    async with aiohttp.ClientSession() as session:
        await session.get("u")
        await session.get("u", timeout=aiohttp.ClientTimeout(total=15))
`);
    const timeouts = model.sites.filter((site) => site.kind === 'call').map((site) => site.calls[0].timeout);
    expect(timeouts.map((timeout) => valueOf(timeout) ?? 'unknown')).toEqual([
      { kind: 'missing' },
      { kind: 'disabled' },
      { kind: 'explicit', ms: 20000 },
      'unknown',
      { kind: 'library-default', ms: 5000 },
      { kind: 'disabled' },
      { kind: 'library-default', ms: 300000 },
      { kind: 'explicit', ms: 15000 },
    ]);
  });
});
