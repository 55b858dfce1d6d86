import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_FILE_SIZE, lintFile, type LintFileSettings } from '../../../linter/src/cli/lint-file.js';

vi.mock('../../../linter/src/frontends/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../linter/src/frontends/index.js')>();
  const { fakeFrontendFor } = await import('./fake-frontend.js');
  return { ...original, frontendFor: fakeFrontendFor };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-lint-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function settings(overrides: Partial<LintFileSettings> = {}): LintFileSettings {
  return {
    cwd: dir,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    reportUnusedDisable: false,
    prefilter: false,
    fix: 'off',
    dryRun: false,
    ...overrides,
  };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('lintFile', () => {
  it('reports findings in ESLint shape with the safe fix as one range edit', async () => {
    const text = 'import x\nretry_call(fetch, max_tries=10)\n';
    const file = write('a.py', text);
    const result = await lintFile(file, settings());
    expect(result.messages).toHaveLength(1);
    const [message] = result.messages;
    expect(message).toMatchObject({ ruleId: 'bounded-attempts', messageId: 'tooMany', severity: 1, line: 2, column: 29, endLine: 2, endColumn: 31 });
    expect(message.fix).toBeDefined();
    const [start, end] = message.fix!.range;
    expect(text.slice(0, start) + message.fix!.text + text.slice(end)).toBe('import x\nretry_call(fetch, max_tries=5)\n');
    expect(message.lineText).toBe('retry_call(fetch, max_tries=10)');
  });

  it('applies disable-next-line and disable-file directives, and reports unused ones when asked', async () => {
    const file = write(
      'a.py',
      [
        '# retrylint: disable-next-line=bounded-attempts',
        'retry_call(fetch, max_tries=None)',
        'retry_call(fetch, max_tries=None)',
        '# retrylint: disable-next-line=bounded-delay',
        'retry_call(fetch, max_tries=1)',
        '',
      ].join('\n'),
    );
    const quiet = await lintFile(file, settings());
    expect(quiet.messages.map((message) => [message.ruleId, message.line])).toEqual([['bounded-attempts', 3]]);
    const loud = await lintFile(file, settings({ reportUnusedDisable: true }));
    expect(loud.messages.map((message) => [message.ruleId, message.line, message.severity])).toEqual([
      ['bounded-attempts', 3, 2],
      [null, 4, 1],
    ]);
    const everything = write('b.py', '# retrylint: disable-file\nretry_call(fetch, max_tries=None)\n');
    expect((await lintFile(everything, settings())).messages).toEqual([]);
  });

  it('warns about an unknown rule id in a directive', async () => {
    const file = write('a.py', '# retrylint: disable-next-line=bounded-atempts\nretry_call(fetch, max_tries=None)\n');
    const result = await lintFile(file, settings());
    expect(result.messages.map((message) => message.ruleId)).toEqual([null, 'bounded-attempts']);
    expect(result.messages[0].message).toContain('"bounded-atempts"');
  });

  it('--fix writes the fixed text, keeps CRLF and the BOM, and reports what remains', async () => {
    const text = '\uFEFFimport x\r\nretry_call(fetch, max_tries=None)\r\nretry_call(get, max_tries=9)\r\n';
    const file = write('a.py', text);
    const result = await lintFile(file, settings({ fix: 'safe' }));
    expect(result.fixesApplied).toBe(2);
    expect(result.messages).toEqual([]);
    const written = readFileSync(file);
    expect(written.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(written.toString('utf8')).toBe('\uFEFFimport x\r\nretry_call(fetch, max_tries=5)\r\nretry_call(get, max_tries=5)\r\n');
  });

  it('--fix-dry-run leaves the file alone and returns a unified diff', async () => {
    const text = 'retry_call(fetch, max_tries=None)\n';
    const file = write('a.py', text);
    const result = await lintFile(file, settings({ fix: 'safe', dryRun: true }));
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(result.diff).toContain('--- a/a.py');
    expect(result.diff).toContain('+++ b/a.py');
    expect(result.diff).toContain('-retry_call(fetch, max_tries=None)');
    expect(result.diff).toContain('+retry_call(fetch, max_tries=5)');
  });

  it('does not fix a file with a syntax error, and reports the error as fatal', async () => {
    const text = 'retry_call(fetch, max_tries=None)\nx = (((\n';
    const file = write('a.py', text);
    const result = await lintFile(file, settings({ fix: 'safe' }));
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(result.messages.find((message) => message.fatal)).toMatchObject({ ruleId: null, severity: 2, line: 2 });
  });

  it('leaves text that is not valid UTF-8 unfixed', async () => {
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nretry_call(fetch, max_tries=None)\n')]);
    const file = path.join(dir, 'latin1.py');
    writeFileSync(file, bytes);
    const result = await lintFile(file, settings({ fix: 'safe' }));
    expect(readFileSync(file)).toEqual(bytes);
    expect(result.messages.map((message) => message.ruleId)).toEqual(['bounded-attempts']);
  });

  it('turns an invalid config into configErrors for the run to stop on', async () => {
    write('retrylint.config.json', '{ "policy": { "maxAttempts": 0 } }');
    const file = write('a.py', 'retry_call(fetch, max_tries=None)\n');
    const result = await lintFile(file, settings());
    expect(result.configErrors?.[0]).toMatch(/^retrylint\.config\.json:1:\d+ policy\.maxAttempts: /);
  });

  it('applies the nearest config and its overrides', async () => {
    write('retrylint.config.json', JSON.stringify({ policy: { maxAttempts: 12 }, overrides: [{ files: 'strict/**', policy: { maxAttempts: 3 } }] }));
    const loose = write('a.py', 'retry_call(fetch, max_tries=10)\n');
    expect((await lintFile(loose, settings())).messages).toEqual([]);
    const strictFile = path.join(dir, 'strict', 'b.py');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(strictFile)));
    writeFileSync(strictFile, 'retry_call(fetch, max_tries=10)\n');
    const strict = await lintFile(strictFile, settings());
    expect(strict.messages.map((message) => message.message)).toEqual(['Makes up to 10 attempts (limit 3).']);
  });

  it('--rule flags win over the config file', async () => {
    write('retrylint.config.json', '{ "rules": { "bounded-attempts": "warn" } }');
    const file = write('a.py', 'retry_call(fetch, max_tries=None)\n');
    expect((await lintFile(file, settings())).messages[0].severity).toBe(1);
    const off = await lintFile(file, settings({ ruleFlags: { 'bounded-attempts': 'off' } }));
    expect(off.messages).toEqual([]);
  });
});
