import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ruleIds } from '@retrylint/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli } from './cli-harness.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

function project(files: Readonly<Record<string, string | Buffer>>): string {
  const created = makeProject(files);
  disposers.push(created.dispose);
  return created.dir;
}

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; line: number; column: number }[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

function jsonResults(stdout: string): JsonResult[] {
  return JSON.parse(stdout) as JsonResult[];
}

function linted(stdout: string, dir: string): string[] {
  return jsonResults(stdout)
    .map((result) => path.relative(dir, result.filePath).split(path.sep).join('/'))
    .sort();
}

const CLEAN_PY = 'def add(a, b):\n    return a + b\n';
const CLEAN_TS = 'export const add = (a: number, b: number) => a + b;\n';

describe('retrylint subcommands', () => {
  it('lists every rule', () => {
    const run = runCli(['rules'], project({}));
    expect(run.code).toBe(0);
    for (const id of ruleIds) expect(run.stdout).toContain(id);
  });

  it("prints a rule's doc page, and exits 2 for an unknown rule", () => {
    const dir = project({});
    const known = runCli(['rule', 'bounded-attempts'], dir);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain('bounded-attempts');
    const unknownRule = runCli(['rule', 'bounded-atempts'], dir);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toContain('unknown rule "bounded-atempts"');
  });

  it('prints the ai-api schedule with its worst-case total', () => {
    const run = runCli(['schedule', '--profile', 'ai-api', '--attempts', '4'], project({}));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s*3\s/m); // three retries for four attempts
    expect(run.stdout).not.toMatch(/^\s*4\s/m);
    expect(run.stdout).toContain('worst-case total:');
    expect(runCli(['schedule', '--profile', 'turbo'], project({})).code).toBe(2);
  });

  it('init writes a starter config that lints cleanly, and never overwrites it', () => {
    const dir = project({ 'app.py': CLEAN_PY });
    const first = runCli(['init'], dir);
    expect(first.code).toBe(0);
    const written = readFileSync(path.join(dir, 'retrylint.config.json'), 'utf8');
    expect(written).toContain('//'); // commented
    expect(runCli(['.'], dir).code).toBe(0);
    const second = runCli(['init'], dir);
    expect(second.code).toBe(2);
    expect(readFileSync(path.join(dir, 'retrylint.config.json'), 'utf8')).toBe(written);
  });
});

describe('retrylint file selection', () => {
  it('walks folders, skips dependency and build folders, honours .gitignore and .retrylintignore', () => {
    const dir = project({
      'src/app.py': CLEAN_PY,
      'src/client.ts': CLEAN_TS,
      'src/types.d.ts': 'export type A = number;\n',
      'src/notes.txt': 'retry forever\n',
      'node_modules/lib/index.js': CLEAN_TS,
      '.venv/lib/site.py': CLEAN_PY,
      'dist/out.js': CLEAN_TS,
      'generated/api.py': CLEAN_PY,
      'legacy/old.py': CLEAN_PY,
      'legacy/keep.py': CLEAN_PY,
      '.gitignore': 'generated/\n',
      'legacy/.retrylintignore': 'old.py\n',
    });
    const run = runCli(['--format', 'json'], dir);
    expect(run.code).toBe(0);
    expect(linted(run.stdout, dir)).toEqual(['legacy/keep.py', 'src/app.py', 'src/client.ts']);

    const everything = runCli(['--format', 'json', '--no-ignore'], dir);
    expect(linted(everything.stdout, dir)).toEqual(['generated/api.py', 'legacy/keep.py', 'legacy/old.py', 'src/app.py', 'src/client.ts']);
  });

  it('lints an ignored file named explicitly, and expands globs', () => {
    const dir = project({ 'generated/api.py': CLEAN_PY, 'src/a.ts': CLEAN_TS, 'src/b.py': CLEAN_PY, '.gitignore': 'generated/\n' });
    expect(linted(runCli(['--format', 'json', 'generated/api.py'], dir).stdout, dir)).toEqual(['generated/api.py']);
    expect(linted(runCli(['--format', 'json', 'src/*.ts'], dir).stdout, dir)).toEqual(['src/a.ts']);
  });

  it('ignorePatterns of a config apply relative to its folder', () => {
    const dir = project({
      'retrylint.config.json': '{ "ignorePatterns": ["fixtures/"] }',
      'fixtures/bad.py': CLEAN_PY,
      'app.py': CLEAN_PY,
    });
    expect(linted(runCli(['--format', 'json'], dir).stdout, dir)).toEqual(['app.py']);
  });

  it('exits 2 for a path that does not exist', () => {
    const run = runCli(['missing/'], project({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No files matching "missing/"');
  });
});

describe('retrylint problem files', () => {
  it('a binary file is a warning for that file, not a crash', () => {
    const dir = project({ 'blob.py': Buffer.from([0x70, 0x00, 0x01, 0x02, 0x0a]), 'app.py': CLEAN_PY });
    const run = runCli(['--format', 'json'], dir);
    expect(run.code).toBe(0);
    const blob = jsonResults(run.stdout).find((result) => result.filePath.endsWith('blob.py'));
    expect(blob?.warningCount).toBe(1);
    expect(blob?.messages[0]).toMatchObject({ ruleId: null, severity: 1, line: 1, column: 1 });
    expect(blob?.messages[0].message).toMatch(/binary/);
    expect(runCli(['--max-warnings', '0'], dir).code).toBe(1);
  });

  it('an unreadable file is a warning for that file', () => {
    const dir = project({});
    symlinkSync('loop.py', path.join(dir, 'loop.py')); // a link to itself: ELOOP, even for root
    const run = runCli(['--format', 'json', 'loop.py'], dir);
    expect(run.code).toBe(0);
    const [result] = jsonResults(run.stdout);
    expect(result.messages[0]).toMatchObject({ ruleId: null, severity: 1 });
    expect(result.messages[0].message).toMatch(/cannot be read/);
  });

  it('lints a 5 MB generated file', () => {
    const line = 'def handler_{n}(payload):\n    return {"id": {n}, "ok": True}\n';
    const chunks: string[] = [];
    let size = 0;
    for (let n = 0; size < 5 * 1024 * 1024; n++) {
      const text = line.replaceAll('{n}', String(n));
      chunks.push(text);
      size += text.length;
    }
    const dir = project({ 'big.py': chunks.join('') });
    const run = runCli(['--format', 'json', '--stats'], dir);
    expect(run.code).toBe(0);
    expect(jsonResults(run.stdout)).toHaveLength(1);
    expect(run.stderr).toContain('files: 1 scanned');
  });

  it('a file over --max-file-size is skipped with a warning', () => {
    const dir = project({ 'app.py': CLEAN_PY.repeat(100) });
    const run = runCli(['--format', 'json', '--max-file-size', '100'], dir);
    const [result] = jsonResults(run.stdout);
    expect(result.messages[0].message).toMatch(/size limit/);
    expect(result.warningCount).toBe(1);
  });
});

describe('retrylint configuration errors', () => {
  it('names the file, line, column and JSON path of a bad value, and exits 2', () => {
    const dir = project({
      'retrylint.config.json': '{\n  "policy": {\n    "maxAttempts": "five"\n  }\n}\n',
      'app.py': CLEAN_PY,
    });
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^retrylint\.config\.json:3:20 policy\.maxAttempts: /m);
    expect(run.stdout).toBe('');
  });

  it('reports invalid JSON with its position', () => {
    const dir = project({ 'retrylint.config.json': '{\n  "rules": {,\n}\n', 'app.py': CLEAN_PY });
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^retrylint\.config\.json:2:\d+ /m);
  });

  it('reports an extends that names a missing file at the extends entry', () => {
    const dir = project({ 'retrylint.config.json': '{\n  "extends": ["./base.json"]\n}\n', 'app.py': CLEAN_PY });
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('retrylint.config.json:2:15 extends[0]: cannot find "./base.json"');
  });

  it('finds a bad config in a sub-folder only for the files below it', () => {
    const dir = project({ 'pkg/retrylint.config.json': '{ "profile": "turbo" }', 'pkg/app.py': CLEAN_PY, 'app.py': CLEAN_PY });
    expect(runCli(['app.py'], dir).code).toBe(0);
    const run = runCli([], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^pkg\/retrylint\.config\.json:1:\d+ profile: /m);
  });

  it('rejects a bad --config, --rule, --format and unknown options with exit code 2', () => {
    const dir = project({ 'app.py': CLEAN_PY });
    expect(runCli(['--config', 'nope.json'], dir).code).toBe(2);
    expect(runCli(['--rule', 'bounded-attempts:loud'], dir).code).toBe(2);
    expect(runCli(['--rule', 'no-such-rule:off'], dir).code).toBe(2);
    expect(runCli(['--format', 'xml'], dir).code).toBe(2);
    expect(runCli(['--frobnicate'], dir).code).toBe(2);
    expect(runCli(['--rule', 'bounded-attempts:off'], dir).code).toBe(0);
  });
});

describe('retrylint suppressions', () => {
  it('--report-unused-disable warns about a directive that suppresses nothing', () => {
    const dir = project({
      'app.py': `# retrylint: disable-next-line=bounded-attempts\n${CLEAN_PY}`,
      'client.ts': `// retrylint-disable-next-line require-timeout\n${CLEAN_TS}`,
    });
    expect(runCli([], dir).code).toBe(0);
    expect(runCli([], dir).stdout).toBe('');
    const run = runCli(['--report-unused-disable', '--format', 'json'], dir);
    const messages = jsonResults(run.stdout).flatMap((result) => result.messages);
    expect(messages.map((message) => message.message).sort()).toEqual([
      "Unused retrylint-disable-next-line directive (no problems were reported from 'bounded-attempts').",
      "Unused retrylint-disable-next-line directive (no problems were reported from 'require-timeout').",
    ]);
    expect(messages.every((message) => message.severity === 1 && message.line === 1)).toBe(true);
  });
});

describe('retrylint output', () => {
  it('writes the report to --output-file and prints nothing', () => {
    const dir = project({ 'blob.py': Buffer.from([0, 1, 2]) });
    const run = runCli(['--format', 'json', '--output-file', 'out/report.json'], dir);
    expect(run.stdout).toBe('');
    const file = path.join(dir, 'out/report.json');
    expect(existsSync(file)).toBe(true);
    expect(jsonResults(readFileSync(file, 'utf8'))[0].warningCount).toBe(1);
  });

  it('stylish groups by file and ends with the summary line; colour only when forced', () => {
    const dir = project({ 'blob.py': Buffer.from([0, 1, 2]) });
    const plain = runCli([], dir);
    expect(plain.stdout).toContain('blob.py\n');
    expect(plain.stdout).toContain('\u2716 1 problem (0 errors, 1 warning)');
    expect(plain.stdout).not.toContain('\u001b[');
    expect(runCli([], dir, { FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(runCli(['--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('github format prints workflow annotations', () => {
    const dir = project({ 'a,b.py': Buffer.from([0, 1, 2]) });
    const run = runCli(['--format', 'github'], dir);
    expect(run.stdout).toMatch(/^::warning file=a%2Cb\.py,line=1,col=1,endLine=1,endColumn=1,title=retrylint::File skipped/m);
  });

  it('--stats reports files scanned and parsed and the time per phase', () => {
    const dir = project({ 'app.py': CLEAN_PY, 'retry.py': 'import time\nfor attempt in range(3):\n    try:\n        break\n    except ConnectionError:\n        time.sleep(1)\n' });
    const run = runCli(['--stats'], dir);
    expect(run.stderr).toMatch(/files: 2 scanned, 1 parsed/);
    expect(run.stderr).toMatch(/time: walk \d+ ms, lint \d+ ms .*report \d+ ms, total \d+ ms/);
  });

  it('gives the same report with worker threads as in process', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`pkg${i % 7}/mod${i}.py`] = i % 10 === 0 ? Buffer.from([0, 1]).toString('latin1') : CLEAN_PY;
    const dir = project(files);
    const inProcess = runCli(['--format', 'json', '--jobs', '1'], dir);
    const pooled = runCli(['--format', 'json', '--jobs', '2', '--stats'], dir);
    expect(pooled.stderr).toContain('2 workers');
    expect(pooled.stdout).toBe(inProcess.stdout);
    expect(jsonResults(pooled.stdout)).toHaveLength(120);
  });
});
