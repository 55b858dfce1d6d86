/**
 * A fix must not create the next finding: after every fix (`--fix --unsafe-fixes`) is
 * applied, no rule reports more in a file than it did before. Checked over every language
 * fixture (all rules on, the fixture's policy) and over the bundled examples through the
 * real CLI with their own config.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '@retrylint/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFixes } from '../../../linter/src/fixes/apply.js';
import { frontendFor } from '../../../linter/src/frontends/index.js';
import { isFatal, lintText } from '../../../linter/src/lint.js';
import { repoRoot, runCli } from '../../e2e/cli-harness.js';
import { ALL_RULES_ON, listFixtures, readFixture } from '../fixture-harness.js';

/** How many findings each rule makes: a fix may lower a count, never raise one. */
function countsByRule(ruleIds: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ruleIds) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

/** The rules whose count went up, with before -> after. */
function increases(before: readonly string[], after: readonly string[]): string[] {
  const was = countsByRule(before);
  return Object.entries(countsByRule(after))
    .filter(([id, count]) => count > (was[id] ?? 0))
    .map(([id, count]) => `${id}: ${was[id] ?? 0} -> ${count}`);
}

describe('fixes create no findings', () => {
  for (const language of ['python', 'typescript'] as const) {
    describe(`${language} fixtures`, async () => {
      const frontend = await frontendFor(language);
      for (const file of listFixtures(language)) {
        const fixture = readFixture(file);
        it(fixture.name, async () => {
          const options = { policy: fixture.policy, rules: ALL_RULES_ON };
          const lint = async (text: string): Promise<Finding[]> =>
            (await lintText(text, file, options)).messages.filter((message): message is Finding => !isFatal(message));
          const before = await lint(fixture.text);
          const outcome = await applyFixes(fixture.text, {
            language,
            unsafe: true,
            parses: (text) => frontend.parses(text, file),
            lint,
          });
          const after = await lint(outcome.text);
          const created = increases(
            before.map((finding) => finding.ruleId),
            after.map((finding) => finding.ruleId),
          );
          expect(created, after.map((finding) => `${finding.ruleId}: ${finding.message}`).join('\n')).toEqual([]);
        });
      }
    });
  }

  describe('the bundled examples, through the CLI', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-examples-'));
    cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('--fix --unsafe-fixes fixes findings and reports none that were not there before', () => {
      type Report = { filePath: string; messages: { ruleId: string | null }[] }[];
      const byFile = (report: Report) =>
        new Map(report.map((result) => [path.relative(dir, result.filePath), result.messages.map((message) => message.ruleId ?? 'fatal')]));
      const before = byFile(JSON.parse(runCli(['--format', 'json', '.'], dir).stdout) as Report);
      const fixRun = runCli(['--fix', '--unsafe-fixes', '--format', 'json', '.'], dir);
      expect(fixRun.stderr).toMatch(/Applied \d+ fix(es)? in \d+ files?\./);
      const after = byFile(JSON.parse(fixRun.stdout) as Report);
      const fixedCount = [...before.values()].flat().length - [...after.values()].flat().length;
      expect(fixedCount).toBeGreaterThan(0);
      const created = [...after].flatMap(([file, ruleIds]) => increases(before.get(file) ?? [], ruleIds).map((change) => `${file} ${change}`));
      expect(created).toEqual([]);
    });
  });
});
