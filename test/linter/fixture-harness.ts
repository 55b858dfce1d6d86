/**
 * Shared by the fixture suites: reads the `expect:` markers of a fixture and lints it the
 * way the fixture convention says (every rule on, the default policy unless the first
 * line carries `retrylint-fixture: {"policy": {...}}`).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  resolvePolicy,
  rules,
  type Policy,
  type PolicyOptions,
  type ProfileName,
  type RuleSettings,
} from '@retrylint/shared';

export const FIXTURES_ROOT = path.resolve(__dirname, '../fixtures');

export const FIXTURE_EXTENSIONS: Readonly<Record<'python' | 'typescript', readonly string[]>> = {
  python: ['.py', '.pyi'],
  typescript: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
};

export interface Fixture {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** `line:rule-id` for each expected finding (`parse-error` for a fatal one). */
  readonly expected: readonly string[];
  readonly policy: Policy;
  /** The `.fixed` twin, when the fixture has one. */
  readonly fixedFile?: string;
}

const EXPECT_MARKER = /(?:#|\/\/|\/\*)\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;
const FIXTURE_HEADER = /retrylint-fixture:\s*(\{.*\})/;

/** Every rule on, with its default severities; off-by-default rules as warnings. */
export const ALL_RULES_ON: RuleSettings = Object.fromEntries(
  rules.map((rule) => [rule.meta.id, { severity: rule.meta.defaultSeverity === 'off' ? 'warn' : 'default', options: {} }]),
);

function fixedTwin(file: string): string | undefined {
  const extension = path.extname(file);
  const twin = `${file.slice(0, -extension.length)}.fixed${extension}`;
  return fs.existsSync(twin) ? twin : undefined;
}

export function readFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const expected: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = EXPECT_MARKER.exec(line);
    if (!match) return;
    for (const id of match[1].split(',')) expected.push(`${index + 1}:${id.trim()}`);
  });
  const header = FIXTURE_HEADER.exec(text.split(/\r?\n/, 1)[0] ?? '');
  const settings = header
    ? (JSON.parse(header[1]) as { profile?: ProfileName; policy?: Partial<PolicyOptions> })
    : {};
  const fixedFile = fixedTwin(file);
  return {
    name: path.relative(FIXTURES_ROOT, file),
    file,
    text,
    expected: expected.sort(),
    policy: resolvePolicy(settings.profile ?? 'ai-api', settings.policy ?? {}),
    ...(fixedFile ? { fixedFile } : {}),
  };
}

export function listFixtures(language: 'python' | 'typescript'): string[] {
  const folder = path.join(FIXTURES_ROOT, language);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => FIXTURE_EXTENSIONS[language].includes(path.extname(name)) && !name.includes('.fixed.'))
    .sort()
    .map((name) => path.join(folder, name));
}
