import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

// The published entry point (`retrylint/eslint-plugin`), as a user's eslint.config.js loads it.
const require = createRequire(import.meta.url);

describe('the bundled ESLint plugin', () => {
  it('loads through the package export and reports with its recommended config', () => {
    // The module is the plugin itself (no `.default` to unwrap), for require and import alike.
    const plugin = require('retrylint/eslint-plugin') as {
      rules: Record<string, unknown>;
      configs: { recommended: Linter.Config | Linter.Config[] };
    };
    expect(Object.keys(plugin.rules)).toContain('no-nested-retries');
    // What an eslint.config.js (an ES module) gets from a default import, in plain Node.
    const esmKeys = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import plugin from 'retrylint/eslint-plugin'; console.log(Object.keys(plugin).join(','));"],
      { encoding: 'utf8' },
    ).trim();
    expect(esmKeys).toBe('meta,rules,configs');
    const recommended = ([] as Linter.Config[]).concat(plugin.configs.recommended);
    const code = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      'export async function ask(q) {',
      '  for (let i = 0; i < 5; i++) {',
      "    try { return await client.chat.completions.create({ model: 'x', messages: [q] }); }",
      '    catch (e) { await new Promise((r) => setTimeout(r, 1000 * 2 ** i)); }',
      '  }',
      '}',
    ].join('\n');
    const messages = new Linter({ configType: 'flat' }).verify(code, [...recommended, { files: ['**/*.js'] }], 'ask.js');
    expect(messages.map((m) => `${m.line}:${m.ruleId}`)).toEqual([
      '5:retrylint/no-nested-retries',
      '6:retrylint/no-catch-all-retry',
      '6:retrylint/require-jitter',
    ]);
    expect(messages[0].message).toBe('Up to 15 requests per call (outer 5 x SDK 3): the client retries by itself inside this retry.');
  });
});
