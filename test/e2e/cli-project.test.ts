/**
 * `retrylint --project` and `"project"` in the config, on a real copy of the fixture
 * application: findings across modules, the config switch, and what a broken or missing
 * tsconfig does to the run.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './cli-harness.js';

const fixture = path.join(repoRoot, 'test/fixtures/projects/llm-app');
const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

function copyOfFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-cli-project-'));
  cpSync(fixture, dir, { recursive: true });
  disposers.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; message: string }[];
}

function nestedFindings(stdout: string, cwd: string): string[] {
  return (JSON.parse(stdout) as JsonResult[]).flatMap((result) =>
    result.messages.filter((message) => message.ruleId === 'no-nested-retries').map((message) => `${path.relative(cwd, result.filePath)}:${message.line}`),
  );
}

describe('retrylint --project', () => {
  it('finds the retries multiplied across modules, which the per-file path cannot see', () => {
    const dir = copyOfFixture();
    const project = runCli(['--project', '--format', 'json', '.'], dir);
    expect(project.code).toBe(1);
    expect(nestedFindings(project.stdout, dir).sort()).toEqual(['src/jobs/report.ts:9', 'src/jobs/summarise.ts:9', 'src/jobs/sync.ts:8', 'src/jobs/translate.ts:6']);
    // The prefilter widens in project mode: an injected AxiosInstance's loop has its evidence in the type.
    const injected = (JSON.parse(project.stdout) as JsonResult[]).find((result) => result.filePath.endsWith('http-service.ts'));
    expect(injected?.messages.map((message) => message.ruleId)).toEqual(['no-catch-all-retry']);
    const perFile = runCli(['--format', 'json', '.'], dir);
    expect(nestedFindings(perFile.stdout, dir)).toEqual([]);
  });

  it('takes a tsconfig path, and `"project"` from the config file', () => {
    const dir = copyOfFixture();
    const explicit = runCli(['--project', 'tsconfig.json', '--format', 'json', 'src/jobs/summarise.ts'], dir);
    expect(nestedFindings(explicit.stdout, dir)).toEqual(['src/jobs/summarise.ts:9']);
    writeFileSync(path.join(dir, 'retrylint.config.json'), '{\n  // read the program\n  "project": true\n}\n');
    const configured = runCli(['--format', 'json', 'src/jobs/summarise.ts', '--stats'], dir);
    expect(nestedFindings(configured.stdout, dir)).toEqual(['src/jobs/summarise.ts:9']);
    expect(configured.stderr).toMatch(/project: 1 program, 1 files added/);
  });

  it('reads a value that is not a .json after --project as a path to lint', () => {
    const dir = copyOfFixture();
    const run = runCli(['--project', 'src/jobs/summarise.ts', '--format', 'json'], dir);
    expect(nestedFindings(run.stdout, dir)).toEqual(['src/jobs/summarise.ts:9']);
    expect((JSON.parse(run.stdout) as JsonResult[]).map((result) => path.relative(dir, result.filePath))).toEqual(['src/jobs/summarise.ts']);
  });

  it('gives each package of a monorepo its own program, and follows a path alias into the other package', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-cli-monorepo-'));
    disposers.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(path.join(repoRoot, 'test/fixtures/projects/monorepo'), dir, { recursive: true });
    const run = runCli(['--project', '--format', 'json', '--stats', '.'], dir);
    const messages = (JSON.parse(run.stdout) as JsonResult[]).flatMap((result) => result.messages.filter((message) => message.ruleId === 'no-nested-retries'));
    expect(messages.map((message) => message.message)).toEqual([
      'Up to 15 requests per call (outer 3 x SDK 5): the client retries by itself inside this retry, through packages/app/src/worker.ts:5 -> packages/llm/src/complete.ts:4 -> client built at packages/llm/src/client.ts:3.',
    ]);
    expect(run.stderr).toMatch(/project: 2 programs/);
  });

  it('stops with a usage error when the named tsconfig does not exist', () => {
    const dir = copyOfFixture();
    const run = runCli(['--project', 'missing/tsconfig.json', '.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--project: cannot find');
  });

  it('lints per file, with a message, when the tsconfig cannot be read', () => {
    const dir = copyOfFixture();
    writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "paths": ');
    const run = runCli(['--project', '--format', 'json', '.'], dir);
    expect(run.stderr).toMatch(/project mode: .*tsconfig\.json: .*its files are linted per file/);
    const results = JSON.parse(run.stdout) as JsonResult[];
    expect(results.some((result) => result.messages.some((message) => message.ruleId === 'no-catch-all-retry'))).toBe(true);
  });
});

describe('retrylint --project: the fix in the file that builds the client', () => {
  /** client.ts with a per-file fix of its own above the client, so its offsets move when fixed. */
  function withOwnFixAboveTheClient(dir: string): string {
    const client = path.join(dir, 'src/llm/client.ts');
    writeFileSync(
      client,
      [
        "import OpenAI from 'openai';",
        '',
        'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
        '',
        'export async function warmUp(): Promise<void> {',
        '  for (let attempt = 0; attempt < 8; attempt++) {',
        '    try {',
        "      await fetch('https://status.example.com', { signal: AbortSignal.timeout(5_000) });",
        '      return;',
        '    } catch {',
        '      await sleep(1_000 * 2 ** attempt * Math.random());',
        '    }',
        '  }',
        '}',
        '',
        'export const openai = new OpenAI({',
        '  timeout: 30_000,',
        '});',
        '',
      ].join('\n'),
    );
    return client;
  }

  it('shows it in the dry run as a diff of the other file, and writes nothing', () => {
    const dir = copyOfFixture();
    const client = withOwnFixAboveTheClient(dir);
    const before = readFileSync(client, 'utf8');
    const run = runCli(['--project', '--fix-dry-run', '--unsafe-fixes', '.'], dir);
    expect(run.stdout).toContain('+++ b/src/llm/client.ts');
    expect(run.stdout).toMatch(/\+\s+maxRetries: 0,/);
    expect(readFileSync(client, 'utf8')).toBe(before);
  });

  it('applies it with --unsafe-fixes after the file\'s own fixes; the nested findings are gone and every file parses', () => {
    const dir = copyOfFixture();
    const client = withOwnFixAboveTheClient(dir);
    runCli(['--project', '--fix', '--unsafe-fixes', '.'], dir);
    const fixed = readFileSync(client, 'utf8');
    expect(fixed).toContain('await sleep(Math.min(1_000 * 2 ** attempt * Math.random(), 60000));');
    expect(fixed).toMatch(/new OpenAI\(\{\n  timeout: 30_000,\n  maxRetries: 0,\n\}\);/);
    const after = runCli(['--project', '--format', 'json', '.'], dir);
    expect(nestedFindings(after.stdout, dir).sort()).toEqual(['src/jobs/report.ts:9', 'src/jobs/sync.ts:8']);
    expect(after.stdout).not.toContain('client built at src/llm/client.ts');
    const results = JSON.parse(after.stdout) as { messages: { fatal?: boolean }[] }[];
    expect(results.flatMap((result) => result.messages).filter((message) => message.fatal)).toEqual([]);
  });

  it('leaves it to --unsafe-fixes: --fix alone does not touch the other file', () => {
    const dir = copyOfFixture();
    const client = path.join(dir, 'src/llm/client.ts');
    runCli(['--project', '--fix', '.'], dir);
    expect(readFileSync(client, 'utf8')).not.toContain('maxRetries');
  });
});
