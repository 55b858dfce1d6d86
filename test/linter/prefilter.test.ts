import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, type Language, type Policy } from '@retrylint/shared';
import { mayContainRetryCode } from '../../linter/src/cli/prefilter.js';
import { languageOf } from '../../linter/src/frontends/index.js';
import { isFatal, lintText } from '../../linter/src/lint.js';
import { ALL_RULES_ON, listFixtures, readFixture } from './fixture-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Sample {
  readonly name: string;
  readonly language: Language;
  /** The code as the prefilter sees it: fixture markers and directives removed. */
  readonly code: string;
  readonly flaggedByMarkers: boolean;
  readonly policies: readonly Policy[];
}

const STRICT_POLICY = resolvePolicy('ai-api', { judgeLibraryDefaults: true });

/**
 * Marker comments (`# expect: bounded-delay`, `// ok: ...`), fixture headers and
 * retrylint directives name rules, and rule names are full of anchor words (retry,
 * attempts, timeout): left in, they would let every fixture through and prove nothing.
 */
const MARKER_COMMENT = /(?:#|\/\/|\/\*)\s*(?:expect:|ok\b|retrylint)[^\n\r]*/g;
const EXPECT_MARKER = /(?:#|\/\/|\/\*)\s*expect:/;

function withoutMarkers(text: string): string {
  return text.replace(MARKER_COMMENT, (comment) => ' '.repeat(comment.length));
}

function fixtureSamples(language: Language): Sample[] {
  return listFixtures(language).flatMap((file) => {
    const fixture = readFixture(file);
    const policies = [fixture.policy, STRICT_POLICY];
    const samples: Sample[] = [
      { name: fixture.name, language, code: withoutMarkers(fixture.text), flaggedByMarkers: EXPECT_MARKER.test(fixture.text), policies },
    ];
    if (fixture.fixedFile) {
      const text = readFileSync(fixture.fixedFile, 'utf8');
      samples.push({ name: `${fixture.name} (fixed)`, language, code: withoutMarkers(text), flaggedByMarkers: false, policies });
    }
    return samples;
  });
}

function exampleSamples(): Sample[] {
  const folder = path.join(repoRoot, 'examples');
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .sort()
    .flatMap((entry) => {
      const language = languageOf(entry);
      if (!language) return [];
      const code = readFileSync(path.join(folder, entry), 'utf8');
      return [{ name: `examples/${entry}`, language, code, flaggedByMarkers: false, policies: [DEFAULT_POLICY, STRICT_POLICY] }];
    });
}

async function ruleFindings(code: string, name: string, language: Language, policy: Policy) {
  const fileName = language === 'python' ? `${name}.py` : `${name}.ts`;
  const result = await lintText(code, fileName, { policy, rules: ALL_RULES_ON });
  return result.messages.filter((message) => !isFatal(message));
}

const fixtures = [...fixtureSamples('python'), ...fixtureSamples('typescript')];

describe('mayContainRetryCode on the fixture suites and the examples', () => {
  it('has fixtures in both languages to prove itself on', () => {
    expect(fixtures.some((sample) => sample.language === 'python' && sample.flaggedByMarkers)).toBe(true);
    expect(fixtures.some((sample) => sample.language === 'typescript' && sample.flaggedByMarkers)).toBe(true);
  });

  const flagged = fixtures.filter((sample) => sample.flaggedByMarkers);
  it.each(flagged.map((sample) => [sample.name, sample] as const))('keeps %s (it has expect: markers)', (_, sample) => {
    expect(mayContainRetryCode(sample.code, sample.language)).toBe(true);
  });

  const dropped = [...fixtures, ...exampleSamples()].filter((sample) => !mayContainRetryCode(sample.code, sample.language));
  it.each(dropped.map((sample) => [sample.name, sample] as const))(
    'drops %s, in which no rule finds anything with the prefilter off',
    async (_, sample) => {
      for (const policy of sample.policies) {
        expect(await ruleFindings(sample.code, sample.name, sample.language, policy)).toEqual([]);
      }
    },
  );
});

/**
 * Retry code that says neither retry, attempt, sleep nor a library name: the recognizers
 * find these by their shape, so the prefilter must keep them.
 */
const ANCHOR_FREE_RETRIES: readonly (readonly [string, Language, string])[] = [
  [
    'a loop with a try/catch around a call',
    'typescript',
    `export async function load(op: () => Promise<string>) {
  let last: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      return await op();
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
`,
  ],
  [
    'a function calling itself from its catch clause',
    'typescript',
    `export async function load(op: () => Promise<string>, n = 0): Promise<string> {
  try {
    return await op();
  } catch {
    return load(op, n + 1);
  }
}
`,
  ],
  [
    'a function calling itself after a status test',
    'typescript',
    `export async function get(http: (url: string) => Promise<{ status: number }>, url: string): Promise<{ status: number }> {
  const res = await http(url);
  if (res.status === 503) return get(http, url);
  return res;
}
`,
  ],
  [
    'a fetch loop that stops on success',
    'typescript',
    `export async function get(url: string) {
  for (;;) {
    const res = await fetch(url);
    if (res.ok) return res;
  }
}
`,
  ],
  [
    'a loop whose counter is named tries',
    'python',
    `def load(op):
    for tries in range(3):
        try:
            return op()
        except ValueError:
            continue
`,
  ],
  [
    'a loop in a function named retrieve_*',
    'python',
    `def retrieve_rows(db):
    while True:
        try:
            return db.rows()
        except TimeoutError:
            continue
`,
  ],
];

describe('mayContainRetryCode on retry code found by shape', () => {
  it.each(ANCHOR_FREE_RETRIES)('keeps %s (%s), or no rule finds anything in it', async (name, language, code) => {
    if (mayContainRetryCode(code, language)) return;
    for (const policy of [DEFAULT_POLICY, STRICT_POLICY]) {
      expect(await ruleFindings(code, name.replace(/\W+/g, '-'), language, policy)).toEqual([]);
    }
  });
});

/**
 * Python retry loops and recursions that import no library: the recognizers accept them on the
 * evidence in their own text (a remote error type, a status test, a deciding helper) or on a
 * sleep in a helper. Each one has findings, so the prefilter must keep it.
 */
const PYTHON_LOOPS_WITHOUT_LIBRARIES: readonly (readonly [string, string])[] = [
  ['a handler for a network error', 'def load(op, client):\n    while True:\n        try:\n            return op(client)\n        except ConnectionError:\n            continue\n'],
  [
    'a handler for a module tuple of error types',
    'from myapp.errors import Gone\n\nRETRYABLE = (Gone, ConnectionError)\n\n\ndef load(op, client):\n    for _ in range(3):\n        try:\n            return op(client)\n        except RETRYABLE:\n            pass\n    raise Gone()\n',
  ],
  ['a status test', 'def load(op, client):\n    while True:\n        response = op(client)\n        if response.status_code == 503:\n            continue\n        return response\n'],
  [
    'a helper that decides',
    'class Loader:\n    def load(self, op, client):\n        while True:\n            response = op(client)\n            if self._should_go_again(response):\n                continue\n            return response\n',
  ],
  [
    'a helper that decides in a condition over several lines',
    'class Loader:\n    def load(self, op, client):\n        while True:\n            response = op(client)\n            if (response is not None and\n                    self._should_go_again(response)):\n                continue\n            return response\n',
  ],
  [
    'a status test through a name',
    'def load(op, client):\n    while True:\n        response = op(client)\n        busy = response.status_code == 503\n        if busy:\n            continue\n        return response\n',
  ],
  [
    'a status test through a name the module binds',
    'import myhttp\n\nresp = myhttp.fetch()\nrate_limited = resp.status_code == 429\n\n\ndef load(op, client):\n    while True:\n        r = op(client)\n        if rate_limited:\n            continue\n        return r\n',
  ],
  ['a function calling itself from its handler', 'def load(op, client, n=0):\n    try:\n        return op(client)\n    except ConnectionError:\n        return load(op, client, n + 1)\n'],
  [
    'a method calling itself from its handler',
    'class Loader:\n    def load(self, op, client, n=0):\n        try:\n            return op(client)\n        except ConnectionError:\n            return self.load(op, client, n + 1)\n',
  ],
  [
    'a sleep in a helper the loop calls',
    'import time\n\n\ndef pause():\n    time.sleep(1)\n\n\ndef load(op, client):\n    while True:\n        try:\n            return op(client)\n        except Exception:\n            pause()\n',
  ],
  [
    'a loop whose lines go back to column 0 inside brackets, comments and docstrings',
    [
      'class Loader:',
      '    def load(self, op, client,',
      '# a note inside the brackets',
      '             other=None):',
      '        """Loads.',
      '',
      'Text at column 0 inside the docstring.',
      '        """',
      '        while True:',
      '# a comment at column 0 inside the loop',
      '            try:',
      '                return op(',
      '    client)',
      '            except (',
      '                ConnectionError,',
      '            ):',
      '                continue',
      '',
    ].join('\n'),
  ],
  ['a loop indented with tabs', 'def load(op, client):\n\twhile True:\n\t\ttry:\n\t\t\treturn op(client)\n\t\texcept ConnectionError:\n\t\t\tcontinue\n'],
];

/** Python that speaks of statuses, timeouts and clients, as HTTP libraries do, with no loop that could retry. */
const PYTHON_WITHOUT_RETRY_LOOPS: readonly (readonly [string, string])[] = [
  [
    'statuses and network errors outside loops',
    'class Response:\n    def __init__(self, status, client):\n        self.status = status\n        self.client = client\n\n    def check(self):\n        if self.status >= 500:\n            raise ConnectionError(self.status)\n',
  ],
  [
    'a loop over lines that skips local errors',
    'def lines(raw, client):\n    for line in raw:\n        try:\n            yield line.decode()\n        except UnicodeDecodeError:\n            continue\n\n\ndef fail(status):\n    raise TimeoutError(status)\n',
  ],
];

describe('the Python prefilter on loops and recursions that import no library', () => {
  it.each(PYTHON_LOOPS_WITHOUT_LIBRARIES)('keeps %s (its findings prove it must)', async (name, code) => {
    expect(await ruleFindings(code, name.replace(/\W+/g, '-'), 'python', DEFAULT_POLICY)).not.toEqual([]);
    expect(mayContainRetryCode(code, 'python')).toBe(true);
  });

  it.each(PYTHON_WITHOUT_RETRY_LOOPS)('drops code with %s, in which no rule finds anything', async (name, code) => {
    expect(mayContainRetryCode(code, 'python')).toBe(false);
    for (const policy of [DEFAULT_POLICY, STRICT_POLICY]) {
      expect(await ruleFindings(code, name.replace(/\W+/g, '-'), 'python', policy)).toEqual([]);
    }
  });
});

describe('mayContainRetryCode', () => {
  it.each([
    ['python', 'for attempt in range(5):\n    try:\n        return call()\n    except ConnectionError:\n        continue\n'],
    ['python', 'import requests\nrequests.get(url)\n'],
    ['python', 'from tenacity import retry\n'],
    ['python', 'import openai\nclient = openai.OpenAI()\n'],
    ['python', 'import aiohttp\nasync with aiohttp.ClientSession() as s:\n    await s.post(url)\n'],
    ['python', 'import os, \\\n    requests\nrequests.get(url)\n'],
    ['python', 'import asyncio\nasync def f(op):\n    while True:\n        try:\n            return await op()\n        except Exception:\n            await asyncio.sleep(1)\n'],
    ['typescript', "import got from 'got';\nawait got.post(url);"],
    ['typescript', "import ky from 'ky';\nawait ky(url).json();"],
    ['typescript', "import OpenAI from 'openai';\nconst client = new OpenAI();"],
    ['typescript', "import Anthropic from '@anthropic-ai/sdk';"],
    ['typescript', 'try { await op(); } catch { await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 1000)); }'],
    ['typescript', "import pRetry from 'p-retry';"],
    ['typescript', 'try { const res = await axios.get(url); } catch (error) { last = error; }'],
    ['typescript', 'try { work(); } catch { Atomics.wait(view, 0, 0, delay); delay *= 2; }'],
    ['typescript', "if (res.status === 429) { const wait = res.headers.get('Retry-After'); }"],
    ['typescript', "try { await client.chat.completions.create(body); } catch (e) { continue; }"],
    ['typescript', "try { await op(); } catch (e) { if (e.code === 'ECONNRESET') continue; }"],
    ['typescript', 'try { await op(); } catch (e) { if (e instanceof APIConnectionError) continue; }'],
  ] as const)('keeps %s code that a recognizer starts from: %s', (language, text) => {
    expect(mayContainRetryCode(text, language)).toBe(true);
  });

  it.each([
    ['python', 'def add(a, b):\n    return a + b\n'],
    ['python', 'class Point:\n    x: int\n    y: int\n'],
    ['typescript', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'],
    ['typescript', "import { render } from 'react';\nexport const App = () => null;\n"],
  ] as const)('drops %s code that names nothing a recognizer reads: %s', (language, text) => {
    expect(mayContainRetryCode(text, language)).toBe(false);
  });

  it.each([
    ['a wait with no failure path', 'await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 1000));'],
    ['a catch around local work with no remote evidence', 'try { return JSON.parse(text); } catch { return undefined; }'],
    ['a status field in a type, with no test of it', "export interface Run { status: 'queued' | 'completed'; }"],
    ['an error code spelled in another case', 'try { go(); } catch { every = enough; }'],
  ] as const)('drops TypeScript with %s', (_, text) => {
    expect(mayContainRetryCode(text, 'typescript')).toBe(false);
  });

  it('reads no TypeScript anchors from comments that start a line (JSDoc examples, // notes)', () => {
    const documented = [
      '/**',
      ' * Retries with a delay:',
      ' * ```ts',
      ' * try { await fetch(url); } catch { await sleep(1000); }',
      ' * ```',
      ' */',
      'export const add = (a: number, b: number) => a + b;',
      '  // try { res = await fetch(url) } catch { continue }',
      '/* if (res.status === 429) await delay(ms) */ export const one = 1;',
    ].join('\n');
    expect(mayContainRetryCode(documented, 'typescript')).toBe(false);
    expect(mayContainRetryCode(documented.replace('export const add', 'try { await fetch(url); } catch {}\nexport const add'), 'typescript')).toBe(true);
  });

  it.each([
    ['a template literal that runs on into code', 'const doc = `\n/* usage:\n`;\ntry { await fetch(url); } catch { await sleep(1); }\n/* end */'],
    ['a template literal line holding code', 'const doc = `\n// ${await fetch(url)}\n`;\ntry { go(); } catch {}'],
    ['a one-line template literal text', 'const doc = `\n/* ${await fetch(url)} */`;\ntry { go(); } catch {}'],
    ['JSX text that runs on into code', 'const view = <p>\n/* note\n</p>;\ntry { await fetch(url); } catch { await sleep(1); } // */'],
  ])('keeps TypeScript whose comment-like text may not be a comment: %s', (_, text) => {
    expect(mayContainRetryCode(text, 'typescript')).toBe(true);
  });

  it('takes TypeScript library names from import specifiers, not from prose', () => {
    expect(mayContainRetryCode('// Talks to the OpenAI API; we got this from ky docs.\nexport const model = "gpt";', 'typescript')).toBe(false);
  });

  it('keeps retrieve in Python only where a loop condition may ask a helper named so, and never in TypeScript', () => {
    expect(mayContainRetryCode('const value = retrieveValue(store);', 'typescript')).toBe(false);
    expect(mayContainRetryCode('value = retrieve_value(store)\n', 'python')).toBe(false);
    expect(mayContainRetryCode('while True:\n    value = retrieve_value(store)\n    if value:\n        break\n', 'python')).toBe(false);
    expect(mayContainRetryCode('while True:\n    if retrieve_value(store):\n        break\n', 'python')).toBe(true);
  });
});

/**
 * Retry code found by each of the anchors the TypeScript prefilter keeps a file for (none of
 * them says retry, sleep or a library name): every sample has findings with the prefilter off,
 * so the prefilter must keep it.
 */
const TYPESCRIPT_RETRIES_BY_ANCHOR: readonly (readonly [string, string])[] = [
  [
    'a recursion after a test of httpStatus',
    `export async function get(send: (url: string) => Promise<{ httpStatus: number }>, url: string): Promise<{ httpStatus: number }> {
  const result = await send(url);
  if (result.httpStatus === 503) return get(send, url);
  return result;
}
`,
  ],
  [
    'a recursion after a test of response.code',
    `export async function get(send: (url: string) => Promise<{ code: number }>, url: string): Promise<{ code: number }> {
  const response = await send(url);
  if (response.code >= 500) return get(send, url);
  return response;
}
`,
  ],
  [
    'a status test with the number first',
    `export async function get(url: string) {
  for (let i = 0; i < 5; i++) {
    const res = await send(url);
    if (429 === res.status || 500 <= res.status) continue;
    return res;
  }
  throw new Error('failed');
}
declare function send(url: string): Promise<{ status: number }>;
`,
  ],
  [
    'a recursion from the rejection callback of .then',
    `export function load(op: () => Promise<string>, url: string, n = 0): Promise<string> {
  return fetch(url).then((res) => res.text(), () => load(op, url, n + 1));
}
`,
  ],
  [
    'request options handed to any client',
    `export async function call(client: { send(options: object): Promise<string> }, url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await client.send({ method: 'POST', url });
    } catch {
      continue;
    }
  }
  throw new Error('failed');
}
`,
  ],
  [
    'a network error class from a namespace',
    `export async function load(op: () => Promise<string>) {
  for (let i = 0; i < 3; i++) {
    try {
      return await op();
    } catch (error) {
      if (error instanceof errors.GatewayTimeout) continue;
      throw error;
    }
  }
  throw new Error('failed');
}
`,
  ],
  [
    'a network error tested by its name as a string',
    `export async function load(op: () => Promise<string>) {
  for (let i = 0; i < 3; i++) {
    try {
      return await op();
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') continue;
      throw error;
    }
  }
  throw new Error('failed');
}
`,
  ],
  [
    'a variable delay doubled each round',
    `export async function load(op: () => Promise<string>) {
  let delay = 100;
  for (;;) {
    try {
      return await op();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = delay * 2;
    }
  }
}
`,
  ],
  [
    'a sleep with a type argument',
    `import { sleep } from './timing';
export async function load(op: () => Promise<string>) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await op();
    } catch {
      await sleep<void>(100 * 2 ** attempt);
    }
  }
  throw new Error('failed');
}
`,
  ],
  [
    'a busy wait on the clock',
    `function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}
export async function load(op: () => Promise<string>) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await op();
    } catch {
      block(100 * 2 ** attempt);
    }
  }
  throw new Error('failed');
}
`,
  ],
  [
    'a wait in code compiled to __awaiter',
    `var __awaiter = (this && this.__awaiter) || function () {};
function load(op) {
    return __awaiter(this, void 0, void 0, function* () {
        for (let attempt = 0; attempt < 4; attempt++) {
            try {
                return yield op();
            }
            catch (e) {
                yield sleep(100 * Math.pow(2, attempt));
            }
        }
        throw new Error('failed');
    });
}
exports.load = load;
`,
  ],
  [
    'a comment between the try block and its catch',
    `import { sleep } from './timing';
export async function load(op: () => Promise<string>) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await op();
    } /* transient */ catch {
      await sleep(100 << attempt);
    }
  }
  throw new Error('failed');
}
`,
  ],
];

describe('mayContainRetryCode on TypeScript retries found by each anchor', () => {
  it.each(TYPESCRIPT_RETRIES_BY_ANCHOR)('keeps %s', async (name, code) => {
    expect(await ruleFindings(code, name.replace(/\W+/g, '-'), 'typescript', DEFAULT_POLICY)).not.toEqual([]);
    expect(mayContainRetryCode(code, 'typescript')).toBe(true);
  });
});

/**
 * Library code that has a failure path and words a retry also has, but nothing a recognizer
 * takes as evidence of a remote call (the shapes that kept most of effect and zod): no rule
 * finds anything in it, and the prefilter drops it.
 */
const TYPESCRIPT_LOOKALIKES: readonly (readonly [string, string])[] = [
  [
    'a constant wait after a catch',
    `export async function settle(op: () => Promise<void>) {
  for (let i = 0; i < 3; i++) {
    try { await op(); } catch { await new Promise((resolve) => setTimeout(resolve, 1000)); }
  }
}
`,
  ],
  [
    'a call named like a limit that is not awaited',
    `export function tagged(make: () => Error) {
  const limit = getStackTraceLimit();
  setStackTraceLimit(2);
  try {
    return make();
  } catch (error) {
    return error;
  } finally {
    setStackTraceLimit(limit);
  }
}
`,
  ],
  [
    'catch as an option key and an await method',
    `export const tryPromise = (options: { readonly try: () => Promise<number>; readonly catch: (error: unknown) => Error }) =>
  Deferred.await(options.try());
`,
  ],
  [
    'a status compared with strings',
    `export function merge(results: { status: string }[]) {
  for (const s of results) {
    if (s.status === 'aborted') return undefined;
    if (s.status !== 'valid') continue;
  }
  return results;
}
`,
  ],
  [
    'a status behind an arrow',
    `export const isDone = (self: { status: number }) => self.status;
try { run(); } catch { stop(); }
`,
  ],
  [
    'error names inside longer strings and file system codes',
    `export function read(path: string) {
  try {
    return load(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new Error('Stream Timeout');
  }
}
`,
  ],
  [
    'a guard that is not about the network',
    `export async function read(op: () => Promise<string>) {
  try {
    return await op();
  } catch (error) {
    if (isAbortError(error)) return undefined;
    throw error;
  }
}
declare function isAbortError(error: unknown): boolean;
`,
  ],
  [
    'rate limit types',
    `export interface RateLimitInfo { remaining: number }
export function remaining(info: RateLimitInfo) {
  try { return info.remaining; } catch { return 0; }
}
`,
  ],
];

describe('mayContainRetryCode on TypeScript that only looks like retry code', () => {
  it.each(TYPESCRIPT_LOOKALIKES)('drops %s', async (name, code) => {
    expect(await ruleFindings(code, name.replace(/\W+/g, '-'), 'typescript', DEFAULT_POLICY)).toEqual([]);
    expect(mayContainRetryCode(code, 'typescript')).toBe(false);
  });
});

describe('prefilter in project mode', () => {
  const retriedImport = [
    "import { buildReport } from '../reports/build.js';",
    'export async function nightly(day: string) {',
    '  for (let attempt = 1; attempt <= 3; attempt++) {',
    '    try { return await buildReport(day); } catch { await pause(1_000 * attempt); }',
    '  }',
    '}',
  ].join('\n');

  it('keeps a failure path around an imported call, whose evidence may be in the other module', async () => {
    const { mayContainRetryCode, widenPrefilterAcrossModules } = await import('../../linter/src/cli/prefilter.js');
    expect(mayContainRetryCode(retriedImport, 'typescript')).toBe(false);
    widenPrefilterAcrossModules(true);
    try {
      expect(mayContainRetryCode(retriedImport, 'typescript')).toBe(true);
      expect(mayContainRetryCode("import { x } from './x';\nexport const y = x + 1;\n", 'typescript')).toBe(false);
    } finally {
      widenPrefilterAcrossModules(false);
    }
  });
});
