import { describe, expect, it } from 'vitest';
import { extract, onlySite, valueOf } from './extract-helpers.js';

describe('retry by recursion', () => {
  it('reads attempts from the counter default and the guard, the delay from the sleep', async () => {
    const site = await onlySite(`
import time, requests
def fetch(url, attempt=0):
    try:
        return requests.get(url, timeout=5)
    except requests.ConnectionError:
        if attempt < 3:
            time.sleep(2 ** attempt)
            return fetch(url, attempt + 1)
        raise
`);
    expect(site.kind).toBe('recursion');
    expect(valueOf(site.attempts.max)).toBe(4);
    expect(valueOf(site.delay.strategy)).toBe('exponential');
    expect(valueOf(site.delay.baseMs)).toBe(1000);
    expect(valueOf(site.delay.factor)).toBe(2);
    expect(valueOf(site.delay.jitter)).toBe('none');
    expect(valueOf(site.retryOn.errorTypes)).toEqual(['ConnectionError']);
    expect(valueOf(site.retryOn.catchAll)).toBe(false);
    expect(site.calls.map((call) => call.library)).toEqual(['requests']);
  });

  it('counts a decrementing counter in an async method and an exit guard before the call', async () => {
    const site = await onlySite(`
import asyncio, openai
class Bot:
    async def ask(self, prompt, retries=5):
        try:
            return await self.client.chat.completions.create(model="m", messages=[prompt])
        except openai.RateLimitError:
            if retries <= 0:
                raise
            time.sleep(1)
            return await self.ask(prompt, retries - 1)
`);
    expect(site.kind).toBe('recursion');
    expect(valueOf(site.isAsync)).toBe(true);
    expect(valueOf(site.attempts.max)).toBe(6);
    expect(valueOf(site.retryAfter.handlesRateLimit)).toBe(true);
  });

  it('is unbounded when nothing limits the recursive call, and catches a blocking sleep in async code', async () => {
    const site = await onlySite(`
import time, httpx
async def post(client, payload):
    try:
        return await client.post("https://api.example.com", json=payload, timeout=10)
    except httpx.TransportError:
        time.sleep(1)
        return await post(client, payload)
`);
    expect(valueOf(site.attempts.max)).toBe('unbounded');
    expect(valueOf(site.delay.strategy)).toBe('constant');
    expect(valueOf(site.sleep.blockingInAsync)).toBe(true);
  });

  it('retries after a failed status test', async () => {
    const site = await onlySite(`
import time, requests
def get(url, attempt=1):
    response = requests.get(url, timeout=5)
    if response.status_code in (429, 503) and attempt <= 4:
        time.sleep(attempt * 2)
        return get(url, attempt + 1)
    return response
`);
    expect(valueOf(site.retryOn.statuses)?.map((status) => status.min)).toEqual([429, 503]);
    expect(valueOf(site.attempts.max)).toBeUndefined();
    expect(valueOf(site.delay.strategy)).toBe('linear');
    expect(valueOf(site.delay.baseMs)).toBe(2000);
  });

  it('does not read a delay from a parameter that changes on each call', async () => {
    const site = await onlySite(`
import time, requests
def get(url, retries=3):
    try:
        return requests.get(url, timeout=5)
    except requests.Timeout:
        if retries > 0:
            time.sleep(2 ** retries)
            return get(url, retries - 1)
        raise
`);
    expect(valueOf(site.attempts.max)).toBe(4);
    expect(site.delay.strategy.kind).toBe('unknown');
  });

  it('stays silent on recursion that changes the request or walks data', async () => {
    const model = await extract(`
import requests
def ask(prompt, model="large"):
    try:
        return requests.post("https://api.example.com", json={"p": prompt, "m": model}, timeout=5)
    except requests.HTTPError:
        return ask(prompt[:1000], model="small")

def pages(url, page=0):
    response = requests.get(url, params={"page": page}, timeout=5)
    if response.json()["more"]:
        return [response] + pages(url, page + 1)
    return [response]

def parse(text, depth=0):
    try:
        return int(text)
    except ValueError:
        if depth < 3:
            return parse(text.strip(), depth + 1)
        raise
`);
    expect(model.sites.filter((site) => site.kind === 'recursion')).toEqual([]);
  });

  it('needs evidence of a remote operation', async () => {
    const model = await extract(`
def compute(task, attempt=0):
    try:
        return task.run()
    except ArithmeticError:
        if attempt < 3:
            return compute(task, attempt + 1)
        raise
`);
    expect(model.sites.filter((site) => site.kind === 'recursion')).toEqual([]);
  });
});
