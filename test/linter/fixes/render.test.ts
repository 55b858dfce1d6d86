import { LineIndex, type Fix, type FixIntent, type Language, type OptionSlot } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { applyEditsTo, renderFix } from '../../../linter/src/fixes/render.js';

function spanOf(text: string, needle: string, occurrence = 0) {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in text`);
  return new LineIndex(text).span(start, start + needle.length);
}

function fixed(text: string, language: Language, ...intents: FixIntent[]): string | null {
  const fix: Fix = { title: 'test', applicability: 'safe', intents };
  const edits = renderFix(fix, text, language);
  return edits ? applyEditsTo(text, edits) : null;
}

function slot(text: string, container: string, extra: Partial<OptionSlot> & Pick<OptionSlot, 'name' | 'style' | 'unit'>): OptionSlot {
  return { container: spanOf(text, container), ...extra };
}

describe('set-option', () => {
  it('adds a Python keyword argument after the last argument', () => {
    const text = 'requests.get(url, headers=h)\n';
    const result = fixed(text, 'python', {
      kind: 'set-option',
      slot: slot(text, '(url, headers=h)', { name: 'timeout', style: 'keyword-argument', unit: 'seconds' }),
      value: 120_000,
    });
    expect(result).toBe('requests.get(url, headers=h, timeout=120)\n');
  });

  it('fills an empty argument list', () => {
    const text = 'client = OpenAI()\n';
    const result = fixed(text, 'python', {
      kind: 'set-option',
      slot: slot(text, '()', { name: 'max_retries', style: 'keyword-argument', unit: 'retries' }),
      value: 1,
    });
    expect(result).toBe('client = OpenAI(max_retries=0)\n');
  });

  it('keeps multi-line layout and trailing commas', () => {
    const text = 'const client = new OpenAI({\n  apiKey: key,\n});\n';
    const result = fixed(text, 'typescript', {
      kind: 'set-option',
      slot: slot(text, '{\n  apiKey: key,\n}', { name: 'maxRetries', style: 'object-property', unit: 'retries' }),
      value: 1,
    });
    expect(result).toBe('const client = new OpenAI({\n  apiKey: key,\n  maxRetries: 0,\n});\n');
  });

  it('keeps CRLF line endings in inserted lines', () => {
    const text = 'x = Retry(\r\n    total=3\r\n)\r\n';
    const result = fixed(text, 'python', {
      kind: 'set-option',
      slot: slot(text, '(\r\n    total=3\r\n)', { name: 'backoff_max', style: 'keyword-argument', unit: 'seconds' }),
      value: 60_000,
    });
    expect(result).toBe('x = Retry(\r\n    total=3,\r\n    backoff_max=60\r\n)\r\n');
  });

  it('replaces a present value in the slot unit', () => {
    const text = 'await pRetry(run, { retries: 20 });\n';
    const result = fixed(text, 'typescript', {
      kind: 'set-option',
      slot: { ...slot(text, '{ retries: 20 }', { name: 'retries', style: 'object-property', unit: 'retries' }), valueSpan: spanOf(text, '20') },
      value: 5,
    });
    expect(result).toBe('await pRetry(run, { retries: 4 });\n');
  });

  it('adds a fetch options argument with an abort signal', () => {
    const text = 'await fetch(url);\n';
    const result = fixed(text, 'typescript', {
      kind: 'set-option',
      slot: slot(text, '(url)', { name: 'signal', style: 'options-argument', unit: 'abort-signal-timeout' }),
      value: 120_000,
    });
    expect(result).toBe('await fetch(url, { signal: AbortSignal.timeout(120000) });\n');
  });

  it('writes aiohttp timeouts as the file imports aiohttp, and declines when it cannot tell', () => {
    const text = 'import aiohttp\nasync with session.post(url) as r:\n    pass\n';
    const intent: FixIntent = {
      kind: 'set-option',
      slot: slot(text, '(url)', { name: 'timeout', style: 'keyword-argument', unit: 'client-timeout' }),
      value: 60_000,
    };
    expect(fixed(text, 'python', intent)).toContain('session.post(url, timeout=aiohttp.ClientTimeout(total=60))');
    const bare = text.replace('import aiohttp\n', '');
    expect(fixed(bare, 'python', { ...intent, slot: slot(bare, '(url)', { name: 'timeout', style: 'keyword-argument', unit: 'client-timeout' }) })).toBeNull();
  });
});

describe('remove-list-items', () => {
  const remove = (text: string, language: Language, list: string, ...items: string[]) =>
    fixed(text, language, { kind: 'remove-list-items', list: spanOf(text, list), items: items.map((item) => spanOf(text, item)) });

  it('removes items and their separators', () => {
    const text = 'status_forcelist=[400, 429, 401, 500]\n';
    expect(remove(text, 'python', '[400, 429, 401, 500]', '400', '401')).toBe('status_forcelist=[429, 500]\n');
  });

  it('removes a trailing item', () => {
    const text = 'statusCodes: [429, 503, 404],\n';
    expect(remove(text, 'typescript', '[429, 503, 404]', '404')).toBe('statusCodes: [429, 503],\n');
  });

  it('keeps a one-element Python tuple a tuple', () => {
    const text = 'if status in (400, 429):\n';
    expect(remove(text, 'python', '(400, 429)', '400')).toBe('if status in (429,):\n');
    const trailing = 'if status in (429, 400,):\n';
    expect(remove(trailing, 'python', '(429, 400,)', '400')).toBe('if status in (429,):\n');
  });

  it('keeps multi-line lists tidy', () => {
    const text = 'codes = [\n    401,\n    429,\n]\n';
    expect(remove(text, 'python', '[\n    401,\n    429,\n]', '401')).toBe('codes = [\n    429,\n]\n');
  });

  it('declines when a comment sits inside the list', () => {
    const text = 'codes = [401,  # auth\n 429]\n';
    expect(remove(text, 'python', '[401,  # auth\n 429]', '401')).toBeNull();
  });

  it('turns an emptied Python set into an empty tuple, not a dict', () => {
    const text = 'codes = {401, 403}\n';
    expect(remove(text, 'python', '{401, 403}', '401', '403')).toBe('codes = ()\n');
  });
});

describe('expressions', () => {
  it('caps a delay in the unit of the code', () => {
    const py = 'time.sleep(base * 2 ** attempt)\n';
    expect(fixed(py, 'python', { kind: 'cap-expression', expression: spanOf(py, 'base * 2 ** attempt'), capMs: 60_000, unit: 'seconds' })).toBe(
      'time.sleep(min(base * 2 ** attempt, 60))\n',
    );
    const ts = 'await sleep(1000 * 2 ** attempt);\n';
    expect(fixed(ts, 'typescript', { kind: 'cap-expression', expression: spanOf(ts, '1000 * 2 ** attempt'), capMs: 60_000, unit: 'ms' })).toBe(
      'await sleep(Math.min(1000 * 2 ** attempt, 60000));\n',
    );
  });

  it('adds full jitter and imports random after the existing imports', () => {
    const text = '"""Client."""\nimport time\nfrom x import (\n    y,\n)\n\ndef f():\n    time.sleep(2 ** n)\n';
    expect(fixed(text, 'python', { kind: 'full-jitter-expression', expression: spanOf(text, '2 ** n') })).toBe(
      '"""Client."""\nimport time\nfrom x import (\n    y,\n)\nimport random\n\ndef f():\n    time.sleep(random.uniform(0, 2 ** n))\n',
    );
  });

  it('does not import random twice', () => {
    const text = 'import random\nimport time\ntime.sleep(2 ** n)\n';
    expect(fixed(text, 'python', { kind: 'full-jitter-expression', expression: spanOf(text, '2 ** n') })).toBe(
      'import random\nimport time\ntime.sleep(random.uniform(0, 2 ** n))\n',
    );
  });

  it('replaces a blocking sleep with asyncio.sleep in Python and declines in TypeScript', () => {
    const text = 'import time\n\nasync def f():\n    time.sleep(delay)\n';
    expect(
      fixed(text, 'python', { kind: 'async-sleep', call: spanOf(text, 'time.sleep(delay)'), argument: spanOf(text, 'delay', 0) }),
    ).toBe('import time\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(delay)\n');
    const ts = 'Atomics.wait(a, 0, 0, 10);\n';
    expect(fixed(ts, 'typescript', { kind: 'async-sleep', call: spanOf(ts, 'Atomics.wait(a, 0, 0, 10)') })).toBeNull();
  });
});
