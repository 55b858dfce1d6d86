import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFile, type LintFileSettings } from '../../linter/src/cli/lint-file.js';
import type { LintTask } from '../../linter/src/cli/lint-task.js';
import type { FileResult } from '../../linter/src/cli/results.js';
import { runPool, workersFor, type PoolOptions } from '../../linter/src/cli/worker-pool.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Built by the vitest global setup (linter/build.mjs), like the CLI the e2e tests run. */
const builtWorker = path.join(repoRoot, 'linter/dist/worker.cjs');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'retrylint-pool-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const PYTHON_RETRY = `import time
import requests


def fetch(url):
    for attempt in range(10):
        try:
            return requests.get(url)
        except Exception:
            time.sleep(2 ** attempt)
`;

const TYPESCRIPT_RETRY = `export async function call(url: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url);
    if (res.ok) return res;
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
  }
}
`;

/** Findings that do not depend on any frontend: a directive naming a rule that does not exist. */
const UNKNOWN_DIRECTIVE = {
  python: '# retrylint: disable-next-line=no-such-rule\nx = 1\n',
  typescript: '// retrylint-disable-next-line no-such-rule\nexport const x = 1;\n',
};

function writeProject(folder: string, count: number): string[] {
  const root = path.join(scratch, folder);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const python = i % 2 === 0;
    const variant = i % 5;
    const text =
      variant === 0
        ? python
          ? PYTHON_RETRY
          : TYPESCRIPT_RETRY
        : variant === 1
          ? UNKNOWN_DIRECTIVE[python ? 'python' : 'typescript']
          : python
            ? `def helper_${i}(a, b):\n    return a + b\n`
            : `export const value${i} = ${i};\n`;
    const file = path.join(root, `pkg${i % 7}`, `module_${String(i).padStart(3, '0')}.${python ? 'py' : 'ts'}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    files.push(file);
  }
  // One binary file: a notice for that file, not a crash.
  const binary = path.join(root, 'blob.py');
  writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
  files.push(binary);
  return files.reverse();
}

function settingsFor(cwd: string): LintFileSettings {
  return { cwd, maxFileSize: 10 * 1024 * 1024, reportUnusedDisable: false, prefilter: true, fix: 'off', dryRun: false };
}

function lintPoolOptions(jobs: number, onProgress?: (done: number, total: number) => void): PoolOptions<LintTask, FileResult> {
  return {
    jobs,
    workerEntry: builtWorker,
    runInProcess: (task) => lintFile(task.filePath, task.settings),
    keyOf: (task) => task.filePath,
    minTasksPerWorker: 8,
    ...(onProgress ? { onProgress } : {}),
  };
}

/** What a report shows of a result: everything but the timings of this particular run. */
function reported(outcome: { ok: boolean; task: LintTask; result?: FileResult; error?: string }) {
  if (!outcome.ok || !outcome.result) return { file: outcome.task.filePath, error: outcome.error };
  const { timings: _timings, ...rest } = outcome.result;
  return rest;
}

describe('runPool with the built worker on real files', () => {
  it('gives the same results, sorted by path, in one thread and in two workers', async () => {
    expect(existsSync(builtWorker)).toBe(true);
    const files = writeProject('same-results', 120);
    const tasks = files.map((filePath) => ({ filePath, settings: settingsFor(scratch) }));

    const progress: number[] = [];
    const inThread = await runPool(tasks, lintPoolOptions(1));
    const inWorkers = await runPool(tasks, lintPoolOptions(2, (done, total) => progress.push(done / total)));

    expect(inThread.workers).toBe(0);
    expect(inWorkers.workers).toBe(2);
    expect(inWorkers.outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(inWorkers.outcomes.map(reported)).toEqual(inThread.outcomes.map(reported));
    const paths = inWorkers.outcomes.map((outcome) => outcome.task.filePath);
    expect(paths).toEqual([...files].sort());
    expect(progress).toHaveLength(files.length);
    expect(progress.at(-1)).toBe(1);

    const withMessages = inWorkers.outcomes.filter((outcome) => outcome.ok && outcome.result.messages.length > 0);
    // The unknown directives and the binary file at least; retry findings once frontends report them.
    expect(withMessages.length).toBeGreaterThanOrEqual(files.filter((file) => file.includes('module_')).length / 5);
  });

  it('reports a task that fails inside a worker for that file and lints the rest', async () => {
    const files = writeProject('one-failure', 40);
    const tasks: LintTask[] = files.map((filePath) => ({ filePath, settings: settingsFor(scratch) }));
    // Settings that cannot be used make lintFile throw inside the worker for this one task.
    const broken = { filePath: files[3], settings: null as unknown as LintFileSettings };
    const run = await runPool([...tasks.slice(0, 3), broken, ...tasks.slice(4)], lintPoolOptions(2));

    expect(run.workers).toBe(2);
    const failed = run.outcomes.filter((outcome) => !outcome.ok);
    expect(failed.map((outcome) => outcome.task.filePath)).toEqual([files[3]]);
    expect(run.outcomes.filter((outcome) => outcome.ok)).toHaveLength(files.length - 1);
  });
});

/**
 * A worker whose handler throws for files named `throws-*` and kills its thread for files
 * named `crash-*`: the failures a frontend bug or an out-of-memory parse would cause.
 */
async function buildFaultyWorker(): Promise<string> {
  const folder = path.join(scratch, 'faulty-worker');
  mkdirSync(folder, { recursive: true });
  const entry = path.join(folder, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { serveTasks } from ${JSON.stringify(path.join(repoRoot, 'linter/src/cli/worker-pool.ts'))};`,
      'import { threadId } from "node:worker_threads";',
      'serveTasks(async (name: string) => {',
      '  if (name.startsWith("throws-")) throw new Error(`frontend failed on ${name}`);',
      '  if (name.startsWith("crash-")) process.exit(70);',
      '  return { name, length: name.length, threadId };',
      '});',
    ].join('\n'),
  );
  const outfile = path.join(folder, 'worker.cjs');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  return outfile;
}

interface FakeResult {
  readonly name: string;
  readonly length: number;
}

function faultyPoolOptions(workerEntry: string): PoolOptions<string, FakeResult> {
  return {
    jobs: 2,
    workerEntry,
    runInProcess: async (name) => ({ name, length: name.length }),
    keyOf: (name) => name,
    minTasksPerWorker: 1,
  };
}

describe('runPool when workers fail', () => {
  let faultyWorker: string;
  beforeAll(async () => {
    faultyWorker = await buildFaultyWorker();
  });

  it('turns a handler error into that file\'s error and goes on', async () => {
    const names = ['b.py', 'throws-a.ts', 'a.py', 'c.ts', 'd.ts'];
    const run = await runPool(names, faultyPoolOptions(faultyWorker));
    expect(run.outcomes.map((outcome) => outcome.task)).toEqual(['a.py', 'b.py', 'c.ts', 'd.ts', 'throws-a.ts']);
    const failed = run.outcomes.find((outcome) => !outcome.ok);
    expect(failed).toEqual({ task: 'throws-a.ts', ok: false, error: 'frontend failed on throws-a.ts' });
    expect(run.outcomes.filter((outcome) => outcome.ok)).toHaveLength(4);
  });

  it('reports the file a dying worker was linting and lints the rest in replacement workers', async () => {
    // Both first workers die on their first file; only replacements can lint the others.
    const names = ['crash-a.ts', 'crash-b.ts', 'c.ts', 'd.ts', 'e.ts'];
    const run = await runPool(names, faultyPoolOptions(faultyWorker));
    expect(run.outcomes.map((outcome) => outcome.task)).toEqual(['c.ts', 'crash-a.ts', 'crash-b.ts', 'd.ts', 'e.ts']);
    for (const outcome of run.outcomes) {
      if (outcome.task.startsWith('crash-')) {
        expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining('exit code 70') });
      } else {
        expect(outcome).toMatchObject({ ok: true, result: { name: outcome.task, threadId: expect.any(Number) } });
      }
    }
  });

  it('gives up on the remaining files, each with the reason, when workers keep dying', async () => {
    const names = ['crash-1', 'crash-2', 'crash-3', 'crash-4', 'later-1', 'later-2'];
    const run = await runPool(names, faultyPoolOptions(faultyWorker));
    expect(run.outcomes.map((outcome) => outcome.task)).toEqual(names);
    expect(run.outcomes.every((outcome) => !outcome.ok)).toBe(true);
    for (const outcome of run.outcomes.filter((outcome) => outcome.task.startsWith('later-'))) {
      expect(outcome).toMatchObject({ error: expect.stringMatching(/^worker pool stopped after 3 worker crashes/) });
    }
  });

  it('falls back to this thread when the worker bundle is missing', async () => {
    const run = await runPool(['x.ts', 'y.ts', 'z.ts'], faultyPoolOptions(path.join(scratch, 'no-such-worker.cjs')));
    expect(run.workers).toBe(0);
    expect(run.outcomes.map((outcome) => outcome.ok && outcome.result)).toEqual([
      { name: 'x.ts', length: 4 },
      { name: 'y.ts', length: 4 },
      { name: 'z.ts', length: 4 },
    ]);
  });

  it('reports an in-process handler error for that file only', async () => {
    const run = await runPool(['a', 'b'], {
      ...faultyPoolOptions(faultyWorker),
      jobs: 1,
      runInProcess: async (name) => {
        if (name === 'a') throw new Error('parser exploded');
        return { name, length: 1 };
      },
    });
    expect(run.outcomes).toEqual([
      { task: 'a', ok: false, error: 'parser exploded' },
      { task: 'b', ok: true, result: { name: 'b', length: 1 } },
    ]);
  });
});

describe('runPool sizing', () => {
  const names = Array.from({ length: 100 }, (_, i) => `file-${String(i).padStart(3, '0')}.py`);
  const sized = (jobs: number | 'auto'): PoolOptions<string, FakeResult> => ({
    jobs,
    workerEntry: path.join(repoRoot, 'linter/dist/worker.cjs'),
    runInProcess: async (name) => ({ name, length: name.length }),
    keyOf: (name) => name,
  });

  it('keeps a run of 100 files in this thread by default (jobs: auto)', async () => {
    expect((await runPool(names, sized('auto'))).workers).toBe(0);
  });

  it('honours an explicit job count for the same run', async () => {
    const faultyWorker = await buildFaultyWorker();
    const run = await runPool(names, { ...sized(2), workerEntry: faultyWorker });
    expect(run.workers).toBe(2);
    expect(run.outcomes.map((outcome) => outcome.task)).toEqual(names);
  });
});

describe('workersFor', () => {
  it('keeps small jobs in this thread and never starts more workers than jobs', () => {
    expect(workersFor(10, 8, 48)).toBe(0);
    expect(workersFor(100, 8, 48)).toBe(2);
    expect(workersFor(10_000, 4, 48)).toBe(4);
  });
});
