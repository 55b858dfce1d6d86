/**
 * The built CLI on real Python files with real findings: exit codes, every format, fixes
 * (re-linted clean, byte-preserving elsewhere, CRLF kept), dry runs and suppressions.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, repoRoot, runCli } from './cli-harness.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

function project(files: Readonly<Record<string, string>>): string {
  const created = makeProject(files);
  disposers.push(created.dispose);
  return created.dir;
}

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  line: number;
  fatal?: boolean;
  fix?: { range: [number, number]; text: string };
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
}

const json = (stdout: string) => JSON.parse(stdout) as JsonResult[];
const ruleIdsOf = (stdout: string) => json(stdout).flatMap((result) => result.messages.map((message) => message.ruleId));

/** A retry loop with no limit, no timeout and a catch-all: three findings, one safe fix. */
const UNSAFE_RETRY = [
  'import time',
  'import requests',
  '',
  '',
  'def fetch(url):',
  '    while True:',
  '        try:',
  '            return requests.get(url)',
  '        except Exception:',
  '            time.sleep(2)',
  '',
].join('\n');

const MISSING_TIMEOUT = 'import requests\n\n\ndef get(url):\n    return requests.get(url)\n';

describe('findings', () => {
  it('exits 1 on errors and reports them in ESLint JSON with the safe fix', () => {
    const dir = project({ 'app.py': UNSAFE_RETRY });
    const run = runCli(['--format', 'json'], dir);
    expect(run.code).toBe(1);
    const [result] = json(run.stdout);
    expect(result.filePath).toBe(path.join(dir, 'app.py'));
    expect(result.messages.map((message) => message.ruleId)).toEqual(['bounded-attempts', 'require-timeout', 'no-catch-all-retry']);
    const timeout = result.messages.find((message) => message.ruleId === 'require-timeout');
    expect(timeout).toMatchObject({ severity: 2, line: 8 });
    const fixed = UNSAFE_RETRY.slice(0, timeout!.fix!.range[0]) + timeout!.fix!.text + UNSAFE_RETRY.slice(timeout!.fix!.range[1]);
    expect(fixed).toContain('requests.get(url, timeout=');
    expect(result.fixableErrorCount).toBe(1);
  });

  it('exits 0 when only warnings remain, and 1 once they pass --max-warnings', () => {
    const dir = project({ 'app.py': UNSAFE_RETRY });
    const flags = ['--rule', 'bounded-attempts:off', '--rule', 'require-timeout:off'];
    expect(runCli(flags, dir).code).toBe(0);
    expect(runCli([...flags, '--max-warnings', '1'], dir).code).toBe(0);
    const over = runCli([...flags, '--max-warnings', '0'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('too many warnings (maximum: 0)');
    expect(runCli([...flags, '--quiet', '--max-warnings', '0'], dir).code).toBe(0);
  });

  it('a syntax error is a fatal error for that file, the others are still linted', () => {
    const dir = project({ 'broken.py': 'import requests\n\ndef broken(:\n    pass\n', 'app.py': MISSING_TIMEOUT });
    const run = runCli(['--format', 'json'], dir);
    expect(run.code).toBe(1);
    const broken = json(run.stdout).find((result) => result.filePath.endsWith('broken.py'));
    expect(broken?.messages[0]).toMatchObject({ ruleId: null, fatal: true, severity: 2, line: 3 });
    expect(ruleIdsOf(run.stdout)).toContain('require-timeout');
  });

  it('a file with no sign of retry code is not parsed, unless --no-prefilter', () => {
    const dir = project({ 'plain.py': 'def add(a, b):\n    return a + b\n' });
    expect(runCli(['--stats'], dir).stderr).toContain('1 scanned, 0 parsed');
    expect(runCli(['--stats', '--no-prefilter'], dir).stderr).toContain('1 scanned, 1 parsed');
  });

  it('stylish, github and sarif all carry the findings; sarif validates against the schema', () => {
    const dir = project({ 'app.py': UNSAFE_RETRY });
    const stylish = runCli([], dir);
    expect(stylish.stdout).toMatch(/^app\.py$/m);
    expect(stylish.stdout).toMatch(/^ {2}8:\d+ {2}error {4}.*require-timeout$/m);
    expect(stylish.stdout).toContain('\u2716 3 problems (2 errors, 1 warning)');
    expect(stylish.stdout).toContain('1 error and 0 warnings potentially fixable with the `--fix` option.');

    const github = runCli(['--format', 'github'], dir);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=app\.py,line=8,col=\d+,endLine=8,endColumn=\d+,title=retrylint\(require-timeout\)::/m);

    const sarif = runCli(['--format', 'sarif'], dir);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'test/data/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results;
    expect(results.map((result: { ruleId: string }) => result.ruleId)).toEqual(['bounded-attempts', 'require-timeout', 'no-catch-all-retry']);
    for (const result of results) {
      expect(log.runs[0].tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'app.py', uriBaseId: '%SRCROOT%' });
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}:1$/);
    }
  });
});

describe('fixing', () => {
  it('--fix writes the safe fixes, touches nothing else, and the result lints clean for them', () => {
    const dir = project({ 'app.py': UNSAFE_RETRY, 'other.py': MISSING_TIMEOUT });
    const run = runCli(['--fix', '--format', 'json', 'app.py'], dir);
    const fixed = readFileSync(path.join(dir, 'app.py'), 'utf8');
    // Inside a retry the timeout is what 300 s leave each of 5 attempts after the sleeps.
    expect(fixed).toBe(UNSAFE_RETRY.replace('requests.get(url)', 'requests.get(url, timeout=57)'));
    expect(readFileSync(path.join(dir, 'other.py'), 'utf8')).toBe(MISSING_TIMEOUT);
    // The report is of the fixed text; re-linting agrees.
    expect(ruleIdsOf(run.stdout)).toEqual(['bounded-attempts', 'no-catch-all-retry']);
    expect(ruleIdsOf(runCli(['--format', 'json', 'app.py'], dir).stdout)).toEqual(['bounded-attempts', 'no-catch-all-retry']);
    expect(run.stderr).toContain('Applied 1 fix in 1 file.');
  });

  it('keeps CRLF line endings and a BOM', () => {
    const crlf = `\uFEFF${MISSING_TIMEOUT.replaceAll('\n', '\r\n')}`;
    const dir = project({ 'crlf.py': crlf });
    expect(runCli(['--fix'], dir).code).toBe(0);
    const written = readFileSync(path.join(dir, 'crlf.py'));
    expect(written.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(written.toString('utf8')).toBe(crlf.replace('requests.get(url)', 'requests.get(url, timeout=120)'));
    expect(written.toString('utf8').replaceAll('\r\n', '').includes('\n')).toBe(false);
  });

  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const dir = project({ 'app.py': MISSING_TIMEOUT });
    const run = runCli(['--fix-dry-run'], dir);
    expect(run.stdout).toContain('--- a/app.py\n+++ b/app.py\n');
    expect(run.stdout).toContain('-    return requests.get(url)\n+    return requests.get(url, timeout=120)\n');
    expect(readFileSync(path.join(dir, 'app.py'), 'utf8')).toBe(MISSING_TIMEOUT);
    expect(run.code).toBe(0); // nothing would remain
  });

  it('does not rewrite a file with a syntax error', () => {
    const text = `${MISSING_TIMEOUT}\ndef broken(:\n    pass\n`;
    const dir = project({ 'app.py': text });
    runCli(['--fix'], dir);
    expect(readFileSync(path.join(dir, 'app.py'), 'utf8')).toBe(text);
  });
});

describe('suppressions', () => {
  it('disable-next-line and disable-file silence the named rules only', () => {
    const suppressed = MISSING_TIMEOUT.replace('    return requests.get(url)', '    # retrylint: disable-next-line=require-timeout\n    return requests.get(url)');
    const dir = project({ 'a.py': suppressed, 'b.py': `# retrylint: disable-file=bounded-attempts\n${UNSAFE_RETRY}` });
    const run = runCli(['--format', 'json', '--report-unused-disable'], dir);
    const byFile = Object.fromEntries(json(run.stdout).map((result) => [path.basename(result.filePath), result.messages.map((m) => m.ruleId)]));
    expect(byFile['a.py']).toEqual([]);
    expect(byFile['b.py']).toEqual(['require-timeout', 'no-catch-all-retry']);
  });

  it('a suppression comment added by hand keeps --fix away from that line', () => {
    const dir = project({ 'a.py': MISSING_TIMEOUT });
    const file = path.join(dir, 'a.py');
    writeFileSync(file, MISSING_TIMEOUT.replace('    return', '    # retrylint: disable-next-line=require-timeout\n    return'));
    const before = readFileSync(file, 'utf8');
    expect(runCli(['--fix'], dir).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('typescript', () => {
  const RETRY_FETCH = [
    'export async function getJson(url: string) {',
    '  for (;;) {',
    '    try {',
    '      const response = await fetch(url);',
    '      return await response.json();',
    '    } catch (error) {',
    '      await new Promise((resolve) => setTimeout(resolve, 1000));',
    '    }',
    '  }',
    '}',
    '',
  ].join('\r\n');

  it('reports a TypeScript retry loop and --fix adds the timeout, keeping CRLF', () => {
    const dir = project({ 'client.ts': RETRY_FETCH });
    const before = runCli(['--format', 'json'], dir);
    expect(before.code).toBe(1);
    expect(ruleIdsOf(before.stdout)).toEqual(['bounded-attempts', 'require-timeout', 'no-catch-all-retry']);
    runCli(['--fix'], dir);
    const fixed = readFileSync(path.join(dir, 'client.ts'), 'utf8');
    expect(fixed).toBe(RETRY_FETCH.replace('fetch(url)', 'fetch(url, { signal: AbortSignal.timeout(57000) })'));
    expect(ruleIdsOf(runCli(['--format', 'json'], dir).stdout)).toEqual(['bounded-attempts', 'no-catch-all-retry']);
  });

  it('// retrylint-disable-next-line silences the named rule', () => {
    const suppressed = RETRY_FETCH.replace('  for (;;) {', '  // retrylint-disable-next-line bounded-attempts -- a supervisor restarts us\r\n  for (;;) {');
    const dir = project({ 'client.ts': suppressed });
    expect(ruleIdsOf(runCli(['--format', 'json'], dir).stdout)).toEqual(['require-timeout', 'no-catch-all-retry']);
  });
});

describe('the examples project', () => {
  it('--fix leaves no fixable problem and no syntax error behind, and a second --fix changes nothing', () => {
    const dir = project({});
    cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
    const before = json(runCli(['--format', 'json'], dir).stdout);
    expect(before.some((result) => result.fixableErrorCount > 0)).toBe(true);

    const fixRun = runCli(['--fix', '--unsafe-fixes', '--format', 'json'], dir);
    expect(fixRun.code).not.toBe(2);
    const after = json(runCli(['--format', 'json'], dir).stdout);
    for (const result of after) {
      expect(result.messages.filter((message) => message.fatal), result.filePath).toEqual([]);
      expect(result.messages.filter((message) => message.fix), result.filePath).toEqual([]);
    }
    const snapshot = after.map((result) => readFileSync(result.filePath, 'utf8'));
    runCli(['--fix', '--unsafe-fixes'], dir);
    expect(after.map((result) => readFileSync(result.filePath, 'utf8'))).toEqual(snapshot);
  });
});
