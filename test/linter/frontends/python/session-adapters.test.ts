import { describe, expect, it } from 'vitest';
import { extract, valueOf } from './extract-helpers.js';

async function clientAttempts(text: string): Promise<(number | undefined)[]> {
  const model = await extract(text);
  return model.sites.flatMap((site) => site.calls).filter((call) => call.library === 'requests').map((call) => valueOf(call.clientAttempts));
}

describe('requests sessions with a mounted HTTPAdapter', () => {
  it('counts Retry total + 1 for calls through a module-level session', async () => {
    const attempts = await clientAttempts(`
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
retry = Retry(total=4, backoff_factor=1)
session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=retry))

def load():
    return session.get("https://example.com", timeout=5)
`);
    expect(attempts).toEqual([5]);
  });

  it('counts an int max_retries on a function-local session and self.session set in __init__', async () => {
    const attempts = await clientAttempts(`
import requests
from requests.adapters import HTTPAdapter

def load():
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=2)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s.get("https://example.com", timeout=5)

class Api:
    def __init__(self):
        self.session = requests.Session()
        self.session.mount("https://", HTTPAdapter(max_retries=6))

    def load(self):
        return self.session.delete("https://example.com", timeout=5)
`);
    expect(attempts).toEqual([3, 7]);
  });

  it('leaves POST unknown under the default allowed_methods and counts it when allowed', async () => {
    const attempts = await clientAttempts(`
import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry
default_session = requests.Session()
default_session.mount("https://", HTTPAdapter(max_retries=Retry(total=3)))
post_session = requests.Session()
post_session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, allowed_methods=frozenset(["GET", "POST"]))))

def send():
    default_session.post("https://example.com", timeout=5)
    post_session.post("https://example.com", timeout=5)
`);
    expect(attempts).toEqual([undefined, 4]);
  });

  it('stays unknown without a visible mount, with differing adapters or a non-constant total; plain requests.get is one attempt', async () => {
    const attempts = await clientAttempts(`
import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry
bare = requests.Session()
mixed = requests.Session()
mixed.mount("https://", HTTPAdapter(max_retries=Retry(total=3)))
mixed.mount("http://", HTTPAdapter(max_retries=1))
dynamic = requests.Session()
dynamic.mount("https://", HTTPAdapter(max_retries=Retry(total=settings.retries)))

def load():
    bare.get("https://example.com", timeout=5)
    mixed.get("https://example.com", timeout=5)
    dynamic.get("https://example.com", timeout=5)
    requests.get("https://example.com", timeout=5)
`);
    expect(attempts).toEqual([undefined, undefined, undefined, 1]);
  });
});
