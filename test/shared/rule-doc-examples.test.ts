/**
 * Runs every rule page's examples through the linter (typescript-eslint's executable docs):
 * each `## Example` block must make its rule fire, each `## Use instead` block must keep it
 * silent, so the docs cannot drift from what the rule does.
 *
 * Markers, an HTML comment on the line right before a fence:
 * - `<!-- example: skip (reason) -->` leaves out a snippet that is deliberately partial;
 * - `<!-- example: strict -->` lints the block with the strict policy (library defaults judged).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, rules, type Language, type Policy } from '@retrylint/shared';
import { isFatal, lintText } from '../../linter/src/lint.js';
import { ALL_RULES_ON } from '../linter/fixture-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesDocs = join(root, 'shared', 'docs', 'rules');

const STRICT_POLICY: Policy = resolvePolicy('ai-api', { judgeLibraryDefaults: true });
/** Skips are for the odd partial snippet, not a way to silence the check. */
const MAX_SKIPPED_SHARE = 0.2;

const FENCE_LANGUAGES: Readonly<Record<string, Language>> = {
  python: 'python',
  py: 'python',
  ts: 'typescript',
  typescript: 'typescript',
  js: 'typescript',
};
const EXAMPLE_FILE: Readonly<Record<Language, string>> = { python: 'example.py', typescript: 'example.ts' };

type Section = 'Example' | 'Use instead';

interface DocBlock {
  readonly ruleId: string;
  readonly section: Section;
  readonly language: Language;
  readonly code: string;
  /** 1-based line of the opening fence in the doc page. */
  readonly line: number;
  readonly skipReason?: string;
  readonly strict: boolean;
}

const SKIP_MARKER = /^<!--\s*example:\s*skip\s*\((.+)\)\s*-->$/;
const STRICT_MARKER = /^<!--\s*example:\s*strict\s*-->$/;
const FENCE_OPEN = /^```(\w*)\s*$/;

/** The code blocks of the `## Example` and `## Use instead` sections of one doc page. */
function docBlocks(ruleId: string, page: string): DocBlock[] {
  const lines = page.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let section: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const heading = /^## (.+)$/.exec(lines[index]);
    if (heading) {
      section = heading[1].trim();
      continue;
    }
    const fence = FENCE_OPEN.exec(lines[index]);
    if (!fence) continue;
    const close = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (close < 0) throw new Error(`${ruleId}.md:${index + 1}: unclosed code fence`);
    const language = FENCE_LANGUAGES[fence[1]];
    if ((section === 'Example' || section === 'Use instead') && language) {
      const markers = markersAbove(lines, index);
      const skip = markers.map((marker) => SKIP_MARKER.exec(marker)).find((match) => match);
      blocks.push({
        ruleId,
        section,
        language,
        code: lines.slice(index + 1, close).join('\n') + '\n',
        line: index + 1,
        ...(skip ? { skipReason: skip[1].trim() } : {}),
        strict: markers.some((marker) => STRICT_MARKER.test(marker)),
      });
    }
    index = close;
  }
  return blocks;
}

/** The `<!-- example: ... -->` comment lines directly above a fence. */
function markersAbove(lines: readonly string[], fenceIndex: number): string[] {
  const markers: string[] = [];
  for (let at = fenceIndex - 1; at >= 0 && /^<!--\s*example:/.test(lines[at].trim()); at--) {
    markers.push(lines[at].trim());
  }
  return markers;
}

const blocks = rules.flatMap((rule) =>
  docBlocks(rule.meta.id, readFileSync(join(rulesDocs, `${rule.meta.id}.md`), 'utf8')),
);

function label(block: DocBlock): string {
  return `${block.ruleId}.md:${block.line} (${block.section}, ${block.language})`;
}

async function lintBlock(block: DocBlock) {
  const result = await lintText(block.code, EXAMPLE_FILE[block.language], {
    policy: block.strict ? STRICT_POLICY : DEFAULT_POLICY,
    rules: ALL_RULES_ON,
  });
  const fatal = result.messages.filter(isFatal).map((message) => message.message);
  const ruleFindings = result.messages.filter((message) => message.ruleId === block.ruleId);
  return { fatal, ruleFindings };
}

describe('the doc-block reader', () => {
  const page = [
    '# some-rule',
    '## Example',
    '<!-- example: skip (needs a client) -->',
    '```python',
    'retry()',
    '```',
    '```text',
    'not code',
    '```',
    '## Use instead',
    '<!-- example: strict -->',
    '```ts',
    'await retry();',
    '```',
    '## Options',
    '```ts',
    'ignored();',
    '```',
  ].join('\n');

  it('takes the code blocks of the two example sections with their markers', () => {
    expect(docBlocks('some-rule', page)).toEqual([
      {
        ruleId: 'some-rule',
        section: 'Example',
        language: 'python',
        code: 'retry()\n',
        line: 4,
        skipReason: 'needs a client',
        strict: false,
      },
      { ruleId: 'some-rule', section: 'Use instead', language: 'typescript', code: 'await retry();\n', line: 12, strict: true },
    ]);
  });
});

describe('rule doc examples', () => {
  it('every rule page has an example that fires and one that does not', () => {
    for (const rule of rules) {
      const own = blocks.filter((block) => block.ruleId === rule.meta.id && !block.skipReason);
      expect(own.some((block) => block.section === 'Example'), `${rule.meta.id}: no checked Example block`).toBe(true);
      expect(own.some((block) => block.section === 'Use instead'), `${rule.meta.id}: no checked Use instead block`).toBe(
        true,
      );
    }
  });

  // A skip marker without a reason does not match, so that block is checked like any other.
  it(`skips at most ${MAX_SKIPPED_SHARE * 100}% of the blocks`, () => {
    const skipped = blocks.filter((block) => block.skipReason !== undefined);
    expect(skipped.length).toBeLessThanOrEqual(blocks.length * MAX_SKIPPED_SHARE);
  });

  const checked = blocks.filter((block) => !block.skipReason);

  it.each(checked.filter((block) => block.section === 'Example').map((block) => [label(block), block] as const))(
    '%s parses and makes its rule fire',
    async (_label, block) => {
      const { fatal, ruleFindings } = await lintBlock(block);
      expect(fatal).toEqual([]);
      expect(ruleFindings.length, `no ${block.ruleId} finding in:\n${block.code}`).toBeGreaterThan(0);
    },
  );

  it.each(checked.filter((block) => block.section === 'Use instead').map((block) => [label(block), block] as const))(
    '%s parses and keeps its rule silent',
    async (_label, block) => {
      const { fatal, ruleFindings } = await lintBlock(block);
      expect(fatal).toEqual([]);
      expect(ruleFindings.map((finding) => finding.message)).toEqual([]);
    },
  );
});
