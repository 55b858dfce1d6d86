import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the evaluation scripts, without type declarations
import { score, tally } from '../../eval/score.mjs';

const manifest = {
  packages: [{ id: 'pkg', source: 'npm', name: 'pkg', version: '1.0.0' }],
  expected: [
    { package: 'pkg', file: 'a.js', line: 10, rule: 'bounded-delay' },
    { package: 'pkg', file: 'a.js', lines: [30, 40], rule: 'require-jitter' },
    { package: 'pkg', file: 'b.js', line: 5, rule: 'require-timeout' },
  ],
  silent: [{ package: 'pkg', file: 'c.js' }],
};

const finding = (file: string, line: number, rule: string) => ({ package: 'pkg', file, line, rule, message: '' });

describe('evaluation scoring', () => {
  it('matches findings to labelled problems within two lines or the given span', () => {
    const result = score(manifest, [finding('a.js', 12, 'bounded-delay'), finding('a.js', 39, 'require-jitter')]);
    expect(result.truePositives).toHaveLength(2);
    expect(result.falseNegatives.map((entry: { file: string }) => entry.file)).toEqual(['b.js']);
  });

  it('counts a finding of another rule, another line or in a silent file as a false positive', () => {
    const result = score(manifest, [finding('a.js', 13, 'bounded-delay'), finding('a.js', 10, 'require-jitter'), finding('c.js', 1, 'require-timeout')]);
    expect(result.truePositives).toHaveLength(0);
    expect(result.falsePositives).toHaveLength(3);
  });

  it('leaves findings in unreviewed files out of the score', () => {
    const result = score(manifest, [finding('d.js', 1, 'require-timeout')]);
    expect(result.unreviewed).toHaveLength(1);
    expect(result.falsePositives).toHaveLength(0);
  });

  it('does not count a second finding on one labelled problem twice, nor as wrong', () => {
    const result = score(manifest, [finding('b.js', 5, 'require-timeout'), finding('b.js', 6, 'require-timeout')]);
    expect(result.truePositives).toHaveLength(1);
    expect(result.falsePositives).toHaveLength(0);
  });

  it('tallies precision and recall per rule and in total', () => {
    const rows = tally(score(manifest, [finding('a.js', 10, 'bounded-delay'), finding('c.js', 2, 'bounded-delay')]));
    const byRule = Object.fromEntries(rows.map((row: { rule: string }) => [row.rule, row]));
    expect(byRule['bounded-delay']).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(byRule['all rules']).toMatchObject({ tp: 1, fp: 1, fn: 2, precision: 0.5, recall: 1 / 3 });
  });
});
