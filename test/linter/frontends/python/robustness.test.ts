import { describe, expect, it } from 'vitest';
import { extract } from './extract-helpers.js';

const RETRY_LOOP = `
import time, requests

def fetch(url):
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(1)
`;

describe('python frontend robustness', () => {
  it('reports one parse error at the first broken line and keeps the intact sites', async () => {
    const text = `${RETRY_LOOP}
def broken(url):
    for attempt in range(3):
        try:
            return requests.get(url
        except requests.ConnectionError:
            time.sleep(1)

def also_broken(:
    pass
`;
    const model = await extract(text);
    expect(model.parseErrors).toHaveLength(1);
    expect(model.parseErrors[0].span.line).toBeGreaterThanOrEqual(12);
    expect(model.parseErrors[0].span.line).toBeLessThanOrEqual(14);
    const loops = model.sites.filter((site) => site.kind === 'loop');
    expect(loops.map((site) => site.reportSpan.line)).toEqual([5]);
  });

  it('reads Python 2 files without crashing', async () => {
    const text = `import urllib2, time
print "starting"
def fetch(url):
    for attempt in range(3):
        try:
            return urllib2.urlopen(url).read()
        except urllib2.URLError, e:
            print >>sys.stderr, e
            time.sleep(2)
`;
    const model = await extract(text);
    expect(model.parseErrors.length).toBeLessThanOrEqual(1);
  });

  it('handles mixed tabs and spaces', async () => {
    const text = 'import time, requests\ndef fetch(url):\n\tfor attempt in range(3):\n\t    try:\n\t\treturn requests.get(url)\n\t    except requests.ConnectionError:\n\t\ttime.sleep(1)\n';
    const model = await extract(text);
    expect(Array.isArray(model.sites)).toBe(true);
  });

  it('survives binary garbage', async () => {
    const bytes = Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 65536));
    const model = await extract(`retry ${bytes.join('')}`);
    expect(Array.isArray(model.sites)).toBe(true);
  });

  it('parses nothing when the file has no retry or HTTP vocabulary', async () => {
    const model = await extract('def add(a, b):\n    return a + b\n');
    expect(model).toEqual({ language: 'python', sites: [], parseErrors: [] });
  });

  it('stays linear on huge generated files and deep nesting', async () => {
    const rows = Array.from({ length: 40000 }, (_, i) => `    (${i}, "row-${i}", ${i * 3}),`).join('\n');
    const deep = `VALUE = ${'('.repeat(2000)}1${')'.repeat(2000)}\n`;
    const chain = `TOTAL = ${Array.from({ length: 20000 }, (_, i) => String(i)).join(' + ')}\n`;
    const text = `import requests\nDATA = [\n${rows}\n]\n${deep}${chain}${RETRY_LOOP}`;
    const started = performance.now();
    const model = await extract(text);
    const elapsed = performance.now() - started;
    expect(model.sites.filter((site) => site.kind === 'loop')).toHaveLength(1);
    expect(elapsed).toBeLessThan(15000);
  });

  it('gives UTF-16 offsets after non-ASCII text', async () => {
    const text = `# 重试策略 😀 — exponential backoff
import requests
GREETING = "héllo 🌍🌍"
def fetch(url):
    return requests.get(url)
`;
    const model = await extract(text);
    const call = model.sites.find((site) => site.kind === 'call');
    expect(call).toBeDefined();
    const { start, end, line, column } = call!.span;
    expect(text.slice(start, end)).toBe('requests.get(url)');
    expect(line).toBe(5);
    expect(column).toBe(12);
  });

  it('says whether text parses', async () => {
    const { frontend } = await import('../../../../linter/src/frontends/python/index.js');
    await frontend.load();
    expect(frontend.parses('x = 1\n', 'a.py')).toBe(true);
    expect(frontend.parses('def f(:\n', 'a.py')).toBe(false);
    expect(frontend.extensions).toEqual(['.py', '.pyi']);
  });
});
