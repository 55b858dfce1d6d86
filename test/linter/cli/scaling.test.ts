import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedSource, writeGeneratedFile } from '../../../linter/bench/scaling.mjs';
import { DEFAULT_MAX_FILE_SIZE, lintFile, type LintFileSettings } from '../../../linter/src/cli/lint-file.js';
import { applyFixes } from '../../../linter/src/fixes/index.js';
import { frontendFor } from '../../../linter/src/frontends/index.js';
import { measureWork } from '../../../linter/src/frontends/work-budget.js';
import { lintText } from '../../../linter/src/lint.js';
import { ConfigResolver } from '../../../linter/src/config/file-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-scaling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings: LintFileSettings = { cwd: dir, maxFileSize: DEFAULT_MAX_FILE_SIZE, reportUnusedDisable: false, prefilter: true, fix: 'off', dryRun: false };

/** Tree nodes visited and report bytes for one generated file, linted as the CLI lints it. */
async function costOf(language: 'python' | 'typescript', sites: number) {
  const file = writeGeneratedFile(dir, language, sites);
  const { result, units } = await measureWork(() => lintFile(file, settings));
  const findings = result.messages.filter((message) => message.ruleId !== null);
  return { units, findings: findings.length, reportBytes: JSON.stringify(result.messages).length };
}

describe.each(['python', 'typescript'] as const)('cost of a %s file grows linearly with its retry sites', (language) => {
  it('visits a constant number of tree nodes per site', async () => {
    const small = await costOf(language, 250);
    const large = await costOf(language, 2000);
    expect(large.findings).toBe(small.findings * 8);
    // 8x the sites: linear work is 8x; a per-site walk of the file would be ~64x.
    expect(large.units / small.units).toBeLessThan(8 * 1.15);
  });

  it('prints a constant number of report bytes per finding (no fix copies the text between its edits)', async () => {
    const small = await costOf(language, 250);
    const large = await costOf(language, 2000);
    expect(large.reportBytes / large.findings).toBeLessThan((small.reportBytes / small.findings) * 1.15);
  });
});

/** Shapes where one scope holds many sites: a per-site walk of the enclosing scope is quadratic too. */
const CROWDED_SCOPES: Record<string, { extension: string; source: (sites: number) => string; findingsPerSite: number }> = {
  'one Python function with many retry loops': {
    extension: 'py',
    source: (sites) =>
      'import requests, time\ndef main(url):\n' +
      Array.from({ length: sites }, (_, i) => `    for a${i} in range(5):\n        try:\n            requests.get(url, timeout=3)\n            break\n        except OSError:\n            time.sleep(2 ** a${i})\n`).join(''),
    findingsPerSite: 1,
  },
  'module-level calls on one Python session': {
    extension: 'py',
    source: (sites) => 'import requests\ns = requests.Session()\n' + Array.from({ length: sites }, (_, i) => `r${i} = s.get("u${i}")\n`).join(''),
    findingsPerSite: 1,
  },
  'one TypeScript function with many retry loops': {
    extension: 'ts',
    source: (sites) =>
      'import OpenAI from "openai";\nconst client = new OpenAI();\nexport async function main() {\n' +
      Array.from(
        { length: sites },
        (_, i) => `  for (let a${i} = 0; a${i} < 5; a${i}++) {\n    try { await client.chat.completions.create({ model: "m", messages: [] }); break; } catch (e) { await new Promise((r) => setTimeout(r, 2 ** a${i} * 100)); }\n  }\n`,
      ).join('') +
      '}\n',
    findingsPerSite: 3,
  },
};

describe.each(Object.entries(CROWDED_SCOPES))('cost of %s grows linearly', (name, shape) => {
  it('visits a constant number of tree nodes per site', async () => {
    const costs = [];
    for (const sites of [100, 800]) {
      const file = path.join(dir, `crowded-${sites}.${shape.extension}`);
      writeFileSync(file, shape.source(sites));
      const { result, units } = await measureWork(() => lintFile(file, settings));
      costs.push({ units, findings: result.messages.filter((message) => message.ruleId !== null).length });
    }
    expect(costs.map((cost) => cost.findings)).toEqual([100 * shape.findingsPerSite, 800 * shape.findingsPerSite]);
    expect(costs[1].units / costs[0].units).toBeLessThan(8 * 1.15);
  });
});

describe('fixing a file with thousands of fixes', () => {
  it('checks that the result parses once per pass, not once per fix', async () => {
    const text = generatedSource('python', 500);
    const frontend = await frontendFor('python');
    const config = new ConfigResolver({ cwd: dir }).forFile(path.join(dir, 'generated.py'));
    let parses = 0;
    const outcome = await applyFixes(text, {
      language: 'python',
      unsafe: false,
      lint: async (candidate) => (await lintText(candidate, 'generated.py', config)).messages.flatMap((message) => (message.ruleId ? [message] : [])),
      parses: (candidate) => {
        parses++;
        return frontend.parses(candidate, 'generated.py');
      },
    });
    // 500 timeouts and 500 jitters: the import arrives with the first jitter fix, the rest in the next pass.
    expect(outcome.applied).toHaveLength(1000);
    expect(outcome.text.match(/timeout=/g)).toHaveLength(500);
    expect(outcome.text.match(/random\.uniform\(0, 2 \*\* attempt\)/g)).toHaveLength(500);
    expect(outcome.text.startsWith('import time\n\nimport requests\nimport random\n')).toBe(true);
    expect(parses).toBe(outcome.passes);
  });
});
