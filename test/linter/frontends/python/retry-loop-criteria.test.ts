import { describe, expect, it } from 'vitest';
import { extract } from './extract-helpers.js';

async function loopCount(source: string): Promise<number> {
  const model = await extract(source);
  return model.sites.filter((site) => site.kind === 'loop').length;
}

describe('what makes a hand-written loop a retry loop', () => {
  it('needs a counted or unbounded loop, not iteration over a collection or its indices', async () => {
    const header = `import requests\nHOSTS = ["a", "b"]\n`;
    const attempt = `        try:\n            return requests.get(host, timeout=5)\n        except requests.ConnectionError:\n            continue\n`;
    expect(await loopCount(`${header}def f(hosts):\n    for host in hosts:\n${attempt}`)).toBe(0);
    expect(await loopCount(`${header}def f(host):\n    for i in range(len(HOSTS)):\n${attempt}`)).toBe(0);
    expect(await loopCount(`${header}def f(host):\n    for attempt in range(3):\n${attempt}`)).toBe(1);
    expect(await loopCount(`${header}import itertools\ndef f(host):\n    for attempt in itertools.count():\n${attempt}`)).toBe(1);
  });

  it('accepts while loops on a stepped counter or a deadline, not on an arbitrary flag', async () => {
    const attempt = `        try:\n            return requests.get(url, timeout=5)\n        except requests.ConnectionError:\n            tries += 1\n`;
    expect(await loopCount(`import requests\ndef f(url):\n    tries = 0\n    while tries < 3:\n${attempt}`)).toBe(1);
    expect(await loopCount(`import requests, time\ndef f(url, deadline):\n    tries = 0\n    while time.monotonic() < deadline:\n${attempt}`)).toBe(1);
    expect(await loopCount(`import requests\ndef f(url, queue):\n    tries = 0\n    while queue:\n${attempt}`)).toBe(0);
  });

  it('rejects a counter that picks the work, but lets it index a delay table or a log line', async () => {
    const picks = `
import requests
def f(urls):
    for attempt in range(3):
        try:
            return requests.get(urls[attempt], timeout=5)
        except requests.ConnectionError:
            continue
`;
    const delays = `
import requests, time, logging
DELAYS = [1, 2, 4]
def f(url):
    for attempt in range(3):
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            logging.warning("attempt %s failed", [attempt][0])
            time.sleep(DELAYS[attempt])
`;
    expect(await loopCount(picks)).toBe(0);
    expect(await loopCount(delays)).toBe(1);
  });

  it('needs evidence of a remote operation', async () => {
    const loop = (handler: string, call = 'operation()') => `
import errno
def f(operation, network_errors):
    for attempt in range(3):
        try:
            return ${call}
        except ${handler}:
            pass
`;
    expect(await loopCount(loop('ValueError'))).toBe(0);
    expect(await loopCount(loop('OSError'))).toBe(0);
    expect(await loopCount(loop('network_errors'))).toBe(0);
    expect(await loopCount(loop('ConnectionError'))).toBe(1);
    expect(await loopCount(loop('(ValueError, APITimeoutError)'))).toBe(1);
    const tuple = `
import openai
TRANSIENT = (openai.RateLimitError, openai.APIConnectionError)
def f(operation):
    while True:
        try:
            return operation()
        except TRANSIENT:
            continue
`;
    expect(await loopCount(tuple)).toBe(1);
    const backoffHelper = `
def f(operation, pause):
    for attempt in range(3):
        try:
            return operation()
        except ValueError:
            pause.backoff(attempt)
`;
    expect(await loopCount(backoffHelper)).toBe(1);
  });

  it('needs success to leave the loop: reader and producer loops are not retries', async () => {
    const reader = `
import time, requests
def f(url):
    while True:
        try:
            requests.post(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(1)
            return
`;
    const producer = `
import time, requests
def f(url):
    while True:
        try:
            item = requests.get(url, timeout=5).json()
        except requests.ConnectionError:
            time.sleep(1)
            continue
        if item is None:
            return
        yield item
`;
    const retriedStream = `
import time, requests
def f(url):
    for attempt in range(3):
        try:
            response = requests.get(url, timeout=5)
            yield response.content
            return
        except requests.ConnectionError:
            time.sleep(1)
`;
    expect(await loopCount(reader)).toBe(0);
    expect(await loopCount(producer)).toBe(0);
    expect(await loopCount(retriedStream)).toBe(1);
  });

  it('treats a failure path that changes the request as a fallback, not a retry', async () => {
    const fallback = (change: string) => `
import time, requests
def f(url, body, short_body):
    for attempt in range(2):
        response = requests.post(url, json=body, timeout=5)
        if response.status_code == 503:
            ${change}
            continue
        return response
`;
    expect(await loopCount(fallback('body = short_body'))).toBe(0);
    expect(await loopCount(fallback('body["model"] = "small"'))).toBe(0);
    expect(await loopCount(fallback('delay = min(2 ** attempt, 30); time.sleep(delay)'))).toBe(1);
  });
});
