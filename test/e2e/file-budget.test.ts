import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatedSource } from '../../linter/bench/scaling.mjs';
import { makeProject, runCli } from './cli-harness.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; fix?: unknown; fixTooWide?: true }[];
  fixableErrorCount: number;
  fixableWarningCount: number;
}

function byFile(stdout: string, dir: string): Map<string, JsonResult> {
  return new Map((JSON.parse(stdout) as JsonResult[]).map((result) => [path.relative(dir, result.filePath), result]));
}

/** Two files far too big for the budget, and small ones with known findings. */
function project(smallFiles: number): string {
  const files: Record<string, string> = {
    'big.py': generatedSource('python', 3000),
    'big.ts': generatedSource('typescript', 3000),
  };
  for (let index = 0; index < smallFiles; index++) {
    files[`small-${index}.py`] = generatedSource('python', 1);
    files[`small-${index}.ts`] = generatedSource('typescript', 1);
  }
  const created = makeProject(files);
  disposers.push(created.dispose);
  return created.dir;
}

function expectBudgetRun(stdout: string, dir: string, smallFiles: number, resource: 'time' | 'memory'): void {
  const results = byFile(stdout, dir);
  expect(results.size).toBe(2 + smallFiles * 2);
  for (const big of ['big.py', 'big.ts']) {
    expect(results.get(big)?.messages).toEqual([
      expect.objectContaining({ ruleId: null, severity: 1, message: expect.stringMatching(new RegExp(`^File skipped: its analysis went over the ${resource} budget \\(--max-file-${resource} `)) }),
    ]);
  }
  for (let index = 0; index < smallFiles; index++) {
    expect(results.get(`small-${index}.py`)?.messages.map((message) => message.ruleId)).toEqual(['require-timeout', 'require-jitter']);
    expect(results.get(`small-${index}.ts`)?.messages.map((message) => message.ruleId)).toEqual(['require-timeout', 'no-catch-all-retry', 'require-jitter']);
  }
}

describe('per-file budget', () => {
  it('reports a file over the time budget and lints the others', () => {
    const dir = project(2);
    const run = runCli(['--format', 'json', '--no-ignore', '--max-file-time', '0.05', '.'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expectBudgetRun(run.stdout, dir, 2, 'time');
  });

  it('reports a file over the memory budget and lints the others, in worker threads too', () => {
    const dir = project(20);
    const run = runCli(['--format', 'json', '--no-ignore', '--max-file-memory', '8', '--jobs', '2', '--stats', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/in 2 worker threads|2 workers/);
    expectBudgetRun(run.stdout, dir, 20, 'memory');
  });

  it('rejects a budget that is not a positive number', () => {
    const run = runCli(['--max-file-time', '0', '.'], project(0));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-file-time expects a number > 0, got "0"');
  });
});

describe('fixes whose edits lie far apart', () => {
  it('are counted as fixable but not printed as one replacement', () => {
    const dir = project(0);
    const run = runCli(['--format', 'json', '--no-ignore', 'big.py'], dir);
    const result = byFile(run.stdout, dir).get('big.py')!;
    const jitter = result.messages.filter((message) => message.ruleId === 'require-jitter');
    expect(jitter).toHaveLength(3000);
    // The first functions are close enough to the imports for one replacement; the rest are not.
    expect(jitter[0].fix).toBeDefined();
    expect(jitter[0].fixTooWide).toBeUndefined();
    expect(jitter.at(-1)!.fix).toBeUndefined();
    expect(jitter.at(-1)!.fixTooWide).toBe(true);
    expect(result.fixableWarningCount).toBe(3000);
  });
});
