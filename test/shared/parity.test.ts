/**
 * Keeps every rule's four parts in step (ESLint's docs/tests check, Ruff's rule table):
 * source file, doc page, test file and fixtures per language, plus the docs index.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docsUrl, rules, type AnyRule, type Language } from '@retrylint/shared';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesSource = join(root, 'shared', 'src', 'rules');
const rulesDocs = join(root, 'shared', 'docs', 'rules');
const rulesTests = join(root, 'test', 'shared', 'rules');
const fixtures = join(root, 'test', 'fixtures');

const DOC_SECTIONS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Options', 'Fix safety'];
const FIXTURE_EXTENSION: Record<Language, string> = { python: 'py', typescript: 'ts' };

const ids = rules.map((rule) => rule.meta.id);

/** The rule's row in the docs index: what `retrylint rules` would print, so the two cannot drift. */
function indexRow(rule: AnyRule): string {
  const { id, description, defaultSeverity, messageSeverity, fixable } = rule.meta;
  const severities = new Set([defaultSeverity, ...Object.values(messageSeverity ?? {})]);
  const severity = defaultSeverity === 'off' ? 'off' : [...severities].join(' / ');
  return `| [${id}](${id}.md) | ${description} | ${severity} | ${fixable} |`;
}

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

function filesIn(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

function hasFixtures(language: Language): boolean {
  return filesIn(join(fixtures, language)).some((file) => file.endsWith(`.${FIXTURE_EXTENSION[language]}`));
}

describe('the rule registry', () => {
  it('is sorted by id, with unique ids', () => {
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every file that defines a rule', () => {
    const definingFiles = filesIn(rulesSource)
      .filter((file) => file.endsWith('.ts') && /\bdefineRule\s*[<(]/.test(read(join(rulesSource, file))))
      .map((file) => basename(file, '.ts'))
      .filter((id) => id !== 'rule');
    expect(definingFiles.sort()).toEqual(ids);
  });
});

describe.each(rules.map((rule) => [rule.meta.id, rule] as const))('rule %s', (id, rule) => {
  it('lives in a file named by its id, which exports the registered rule', async () => {
    const module: Record<string, unknown> = await import(join(rulesSource, `${id}.ts`));
    expect(Object.values(module)).toContain(rule);
    expect(rule.meta.docsUrl).toBe(docsUrl(id));
  });

  it('has consistent meta', () => {
    expect(rule.meta.description).not.toMatch(/TODO/);
    expect(rule.meta.description.split('\n')).toHaveLength(1);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    const messageIds = Object.keys(rule.meta.messages);
    expect(messageIds.filter((messageId) => !/^[a-z][A-Za-z0-9]*$/.test(messageId))).toEqual([]);
    for (const messageId of Object.keys(rule.meta.messageSeverity ?? {})) expect(messageIds).toContain(messageId);
    expect(rule.meta.languages.length).toBeGreaterThan(0);
  });

  it('has a doc page titled by its id with all six sections in order', () => {
    const page = join(rulesDocs, `${id}.md`);
    expect(existsSync(page), `missing shared/docs/rules/${id}.md`).toBe(true);
    const text = read(page);
    expect(text.split('\n')[0]).toBe(`# ${id}`);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1].trim());
    expect(headings.filter((heading) => DOC_SECTIONS.includes(heading))).toEqual(DOC_SECTIONS);
  });

  it('has a test file', () => {
    expect(existsSync(join(rulesTests, `${id}.test.ts`)), `missing test/shared/rules/${id}.test.ts`).toBe(true);
  });

  for (const language of rule.meta.languages) {
    const file = `${id}.${FIXTURE_EXTENSION[language]}`;
    it.skipIf(!hasFixtures(language))(
      `has a ${language} fixture (enforced once test/fixtures/${language}/ holds any fixture)`,
      () => {
        expect(existsSync(join(fixtures, language, file)), `missing test/fixtures/${language}/${file}`).toBe(true);
      },
    );
  }
});

describe('the docs and fixtures name only registered rules', () => {
  it('has a doc page per rule and no page for an unknown id', () => {
    const pages = filesIn(rulesDocs)
      .filter((file) => file.endsWith('.md') && file !== 'README.md')
      .map((file) => basename(file, '.md'));
    expect(pages.sort()).toEqual(ids);
  });

  it.each(Object.keys(FIXTURE_EXTENSION) as Language[])('has %s fixtures for registered rules only', (language) => {
    const extension = `.${FIXTURE_EXTENSION[language]}`;
    const names = filesIn(join(fixtures, language))
      .filter((file) => file.endsWith(extension))
      .map((file) => basename(file, extension));
    // Scenario fixtures (article-client) may have any name; a rule-shaped name must be a rule.
    const ruleShaped = /^(no|require|bounded|respect)-/;
    const strays = names
      .map((name) => name.replace(/\.fixed$/, ''))
      .filter((name) => ruleShaped.test(name) && !ids.includes(name));
    const orphanTwins = names
      .filter((name) => name.endsWith('.fixed'))
      .filter((name) => !names.includes(name.replace(/\.fixed$/, '')));
    expect({ strays, orphanTwins }).toEqual({ strays: [], orphanTwins: [] });
  });

  it('lists every rule in the docs index with its description, default severity and fix', () => {
    const indexRows = read(join(rulesDocs, 'README.md'))
      .split('\n')
      .filter((line) => line.startsWith('| ['));
    expect(indexRows).toEqual(rules.map(indexRow));
  });
});
