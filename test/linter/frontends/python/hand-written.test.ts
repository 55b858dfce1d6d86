import { describe, expect, it } from 'vitest';
import { extract, onlySite, valueOf } from './extract-helpers.js';

describe('hand-written retry loops', () => {
  it('follows self.config fields to the dataclass defaults', async () => {
    const site = await onlySite(`
import time, random, requests
from dataclasses import dataclass

@dataclass
class Policy:
    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0

class Client:
    def __init__(self, policy=None):
        self.policy = policy or Policy()

    def get(self, url):
        for attempt in range(self.policy.attempts):
            try:
                return requests.get(url, timeout=5)
            except requests.ConnectionError:
                time.sleep(min(self.policy.base * 2 ** attempt, self.policy.cap))
`);
    expect(valueOf(site.attempts.max)).toBe(4);
    expect(valueOf(site.delay.strategy)).toBe('exponential');
    expect(valueOf(site.delay.baseMs)).toBe(500);
    expect(valueOf(site.delay.capMs)).toBe(8000);
    expect(valueOf(site.delay.jitter)).toBe('none');
  });

  it('decodes while-counters and parameter defaults', async () => {
    const site = await onlySite(`
import time, requests
def get(url, retries=3):
    attempt = 0
    while attempt < retries + 1:
        try:
            return requests.get(url, timeout=5)
        except requests.Timeout:
            attempt += 1
            time.sleep(attempt * 2)
`);
    expect(valueOf(site.attempts.max)).toBe(4);
    expect(valueOf(site.delay.strategy)).toBe('linear');
    expect(valueOf(site.delay.baseMs)).toBe(2000);
  });

  it('does not call an item-processing loop a retry', async () => {
    const model = await extract(`
import requests
def crawl(urls):
    for url in urls:
        try:
            requests.get(url, timeout=5)
        except requests.RequestException:
            continue
`);
    expect(model.sites.filter((site) => site.kind === 'loop')).toEqual([]);
  });

  it('reads status membership in a module constant, and Retry-After used as the capped delay', async () => {
    const site = await onlySite(`
import time, requests
from email.utils import parsedate_to_datetime
RETRYABLE = {429, 503}
def get(url):
    for attempt in range(5):
        response = requests.get(url, timeout=5)
        if response.status_code in RETRYABLE:
            header = response.headers.get("retry-after", "1")
            wait = float(header) if header.isdigit() else parsedate_to_datetime(header).timestamp() - time.time()
            time.sleep(min(wait, 60))
            continue
        return response
`);
    expect(valueOf(site.retryOn.statuses)?.map((status) => status.min)).toEqual([429, 503]);
    expect(valueOf(site.retryAfter.handlesRateLimit)).toBe(true);
    expect(valueOf(site.retryAfter.read)).toBe(true);
    expect(valueOf(site.retryAfter.usedAsDelay)).toBe(true);
    expect(valueOf(site.retryAfter.capMs)).toBe(60000);
    expect([...site.retryAfter.forms].sort()).toEqual(['date', 'seconds']);
  });

  it('sees blocking sleeps in async code with the callee and argument spans for the fix', async () => {
    const text = `
import time, httpx
async def get(client: httpx.AsyncClient, url):
    for attempt in range(3):
        try:
            return await client.get(url)
        except httpx.TransportError:
            time.sleep(2)
`;
    const site = await onlySite(text);
    expect(valueOf(site.sleep.blockingInAsync)).toBe(true);
    const call = site.sleep.blockingCall;
    expect(call && text.slice(call.callee.start, call.callee.end)).toBe('time.sleep');
    expect(call?.argument && text.slice(call.argument.start, call.argument.end)).toBe('2');
  });

  it('links a retried function called from another retry', async () => {
    const model = await extract(`
import time, requests
from tenacity import retry, stop_after_attempt
@retry(stop=stop_after_attempt(3))
def one(url):
    return requests.get(url, timeout=5)

def many(urls):
    for attempt in range(2):
        try:
            return [one(url) for url in urls]
        except requests.ConnectionError:
            time.sleep(1)
`);
    const inner = model.sites.find((site) => site.library === 'tenacity');
    expect(inner?.nestedIn?.via).toBe('called-function');
    expect(valueOf(inner?.nestedIn?.attempts)).toBe(2);
  });
});
