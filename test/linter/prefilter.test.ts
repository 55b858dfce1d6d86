import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, ruleIds, type Language, type RuleSettings } from '@retrylint/shared';
import { mayContainRetryCode } from '../../linter/src/cli/prefilter.js';
import { languageOf } from '../../linter/src/frontends/index.js';
import { isFatal, lintText } from '../../linter/src/lint.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface SourceFile {
  readonly relativePath: string;
  readonly language: Language;
  readonly text: string;
}

function sourceFilesUnder(folder: string): SourceFile[] {
  const absolute = path.join(repoRoot, folder);
  let entries: string[];
  try {
    entries = readdirSync(absolute, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .sort()
    .flatMap((entry) => {
      const language = languageOf(entry);
      if (!language) return [];
      const relativePath = path.posix.join(folder, entry.split(path.sep).join('/'));
      return [{ relativePath, language, text: readFileSync(path.join(absolute, entry), 'utf8') }];
    });
}

const fixtures = [...sourceFilesUnder('test/fixtures/python'), ...sourceFilesUnder('test/fixtures/typescript')];
const examples = sourceFilesUnder('examples');
const everyFile = [...fixtures, ...examples];

const EXPECT_MARKER = /(?:#|\/\/|\/\*)\s*expect:/;

const allRulesOn: RuleSettings = Object.fromEntries(ruleIds.map((id) => [id, { severity: 'error', options: {} }]));
const policies = { recommended: DEFAULT_POLICY, strict: resolvePolicy('ai-api', { judgeLibraryDefaults: true }) };

describe('mayContainRetryCode on the fixture suites', () => {
  it('has fixtures in both languages to prove itself on', () => {
    expect(fixtures.some((file) => file.language === 'python')).toBe(true);
    expect(fixtures.some((file) => file.language === 'typescript')).toBe(true);
  });

  const flagged = fixtures.filter((file) => EXPECT_MARKER.test(file.text));
  it.each(flagged.map((file) => [file.relativePath, file] as const))('keeps %s (it has expect: markers)', (_, file) => {
    expect(mayContainRetryCode(file.text, file.language)).toBe(true);
  });

  const dropped = everyFile.filter((file) => !mayContainRetryCode(file.text, file.language));
  describe.each(Object.entries(policies))('with the %s policy and every rule on', (_, policy) => {
    it.each(dropped.map((file) => [file.relativePath, file] as const))(
      'finds nothing in %s, which it drops',
      async (_, file) => {
        const result = await lintText(file.text, file.relativePath, { policy, rules: allRulesOn });
        const findings = result.messages.filter((message) => !isFatal(message));
        expect(findings).toEqual([]);
      },
    );
  });
});

describe('mayContainRetryCode', () => {
  it.each([
    ['python', 'for attempt in range(5):\n    call()\n'],
    ['python', 'import requests\nrequests.get(url)\n'],
    ['python', 'from tenacity import retry\n'],
    ['python', 'client = OpenAI(max_retries=0)\n'],
    ['python', 'async with aiohttp.ClientSession() as s:\n    await s.post(url)\n'],
    ['python', 'if resp.status == 429:\n    continue\n'],
    ['typescript', 'for (let i = 0; i < 3; i++) { const res = await fetch(url); if (res.ok) return res; }'],
    ['typescript', "import got from 'got';\nawait got.post(url);"],
    ['typescript', "import ky from 'ky';\nawait ky(url).json();"],
    ['typescript', 'await new Promise((resolve) => setTimeout(resolve, 1000));'],
    ['typescript', "import pRetry from 'p-retry';"],
    ['typescript', "const res = await axios.get(url);"],
    ['typescript', 'Atomics.wait(view, 0, 0, 1000);'],
    ['typescript', "const wait = res.headers.get('Retry-After');"],
  ] as const)('keeps %s code that a recognizer anchors on: %s', (language, text) => {
    expect(mayContainRetryCode(text, language)).toBe(true);
  });

  it.each([
    ['python', 'def add(a, b):\n    return a + b\n'],
    ['python', 'class Point:\n    x: int\n    y: int\n'],
    ['typescript', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'],
    ['typescript', "import { render } from 'react';\nexport const App = () => null;\n"],
  ] as const)('drops %s code that names nothing a rule reads: %s', (language, text) => {
    expect(mayContainRetryCode(text, language)).toBe(false);
  });

  it('matches the short library names only as whole words', () => {
    expect(mayContainRetryCode('const forgotten = sky.length;', 'typescript')).toBe(false);
  });

  it('does not take words that merely start like retry for retry code', () => {
    expect(mayContainRetryCode('const value = retrieveValue(store);', 'typescript')).toBe(false);
  });
});
