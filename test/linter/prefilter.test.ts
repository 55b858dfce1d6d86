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

describe('mayContainRetryCode', () => {
  it.each([
    ['python', 'for attempt in range(5):\n    call()\n'],
    ['python', 'import requests\nrequests.get(url)\n'],
    ['python', 'from tenacity import retry\n'],
    ['python', 'import openai\nclient = openai.OpenAI()\n'],
    ['python', 'async with aiohttp.ClientSession() as s:\n    await s.post(url)\n'],
    ['python', 'await asyncio.sleep(1)\n'],
    ['typescript', "import got from 'got';\nawait got.post(url);"],
    ['typescript', "import ky from 'ky';\nawait ky(url).json();"],
    ['typescript', "import OpenAI from 'openai';\nconst client = new OpenAI();"],
    ['typescript', "import Anthropic from '@anthropic-ai/sdk';"],
    ['typescript', 'try { await op(); } catch { await new Promise((resolve) => setTimeout(resolve, 1000)); }'],
    ['typescript', "import pRetry from 'p-retry';"],
    ['typescript', 'try { const res = await axios.get(url); } catch (error) { last = error; }'],
    ['typescript', 'try { work(); } catch { Atomics.wait(view, 0, 0, 1000); }'],
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
    ['a wait with no failure path', 'await new Promise((resolve) => setTimeout(resolve, 1000));'],
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

  it('keeps retrieve in Python, where a loop in a retrieve_* function counts as retry-named, but not in TypeScript', () => {
    expect(mayContainRetryCode('const value = retrieveValue(store);', 'typescript')).toBe(false);
    expect(mayContainRetryCode('value = retrieve_value(store)\n', 'python')).toBe(true);
  });
});
