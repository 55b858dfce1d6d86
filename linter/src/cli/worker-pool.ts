/**
 * Runs one task per file over node:worker_threads, or in this thread when the job is
 * small. Each worker loads its own parsers and warms up its own JIT, which costs most of
 * a second, so workers only pay off for large trees: below `minTasksPerWorker` files per
 * worker the run stays in-process.
 *
 * Guarantees: every task gets exactly one outcome, even when the handler throws or the
 * worker running it dies; the outcomes come back sorted by key (the file path) whatever
 * the scheduling was, so `--jobs 1` and `--jobs 8` print the same report.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

export type TaskOutcome<Task, Result> =
  | { readonly task: Task; readonly ok: true; readonly result: Result }
  | { readonly task: Task; readonly ok: false; readonly error: string };

export interface PoolOptions<Task, Result> {
  /**
   * 'auto' (the default): one worker per core, for large trees only. A number (`--jobs N`)
   * is what the user asked for: up to N workers for any run but a tiny one; 1 runs
   * everything in this thread.
   */
  readonly jobs?: number | 'auto';
  /** The bundled worker script (it calls `serveTasks` with the same handler). */
  readonly workerEntry: string;
  /** The same work as the worker does, for the in-process path. */
  readonly runInProcess: (task: Task) => Promise<Result>;
  /** Sort key of a task's outcome (the file path). */
  readonly keyOf: (task: Task) => string;
  /** Called after every finished task, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with each outcome as it arrives (completion order, not sorted). */
  readonly onOutcome?: (outcome: TaskOutcome<Task, Result>) => void;
  /** Fewer tasks than this per worker and the run stays in this thread (overrides the defaults below). */
  readonly minTasksPerWorker?: number;
}

export interface PoolRun<Task, Result> {
  /** One outcome per task, sorted by `keyOf`. */
  readonly outcomes: readonly TaskOutcome<Task, Result>[];
  /** Worker threads used; 0 when the run stayed in this thread. */
  readonly workers: number;
}

/**
 * `jobs: 'auto'`: once the prefilter has skipped most files, a file costs about 1 ms on
 * average (1,446 library files in 1.1 s, docs/performance.md), and a worker spends 0.3-0.7 s
 * loading its bundle and parser; on that corpus one thread beat two workers. So a worker
 * is started only for 1,000 files or more of its own.
 */
const AUTO_MIN_TASKS_PER_WORKER = 1000;

/** `jobs: N`: honoured unless the run is so small that starting workers is all it would do. */
const REQUESTED_MIN_TASKS_PER_WORKER = 16;

/** After this many workers die in a row without finishing a task, the rest of the run fails. */
const MAX_CONSECUTIVE_CRASHES = 3;

interface TaskMessage<Task> {
  readonly id: number;
  readonly task: Task;
}

type ReplyMessage<Result> =
  | { readonly id: number; readonly ok: true; readonly result: Result }
  | { readonly id: number; readonly ok: false; readonly error: string };

export function defaultJobs(): number {
  return os.availableParallelism();
}

/**
 * `worker.cjs` next to the running bundle; from the sources, the one the build wrote
 * into the linter package's `dist/`.
 */
export function defaultWorkerEntry(): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  const besideBundle = path.join(here, 'worker.cjs');
  return existsSync(besideBundle) ? besideBundle : path.resolve(here, '../../dist/worker.cjs');
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function workersFor(taskCount: number, jobs: number, minTasksPerWorker: number): number {
  return Math.max(0, Math.min(jobs, Math.floor(taskCount / minTasksPerWorker)));
}

export async function runPool<Task, Result>(
  tasks: readonly Task[],
  options: PoolOptions<Task, Result>,
): Promise<PoolRun<Task, Result>> {
  const requested = typeof options.jobs === 'number' ? Math.max(1, Math.floor(options.jobs)) : undefined;
  const minTasksPerWorker =
    options.minTasksPerWorker ?? (requested === undefined ? AUTO_MIN_TASKS_PER_WORKER : REQUESTED_MIN_TASKS_PER_WORKER);
  const workerCount = workersFor(tasks.length, requested ?? defaultJobs(), minTasksPerWorker);
  const useWorkers = workerCount > 1 && existsSync(options.workerEntry);
  const outcomes = useWorkers
    ? await runInWorkers(tasks, options, workerCount)
    : await runInThisThread(tasks, options);
  const sorted = [...outcomes].sort((a, b) => compareKeys(options.keyOf(a.task), options.keyOf(b.task)));
  return { outcomes: sorted, workers: useWorkers ? workerCount : 0 };
}

async function runInThisThread<Task, Result>(
  tasks: readonly Task[],
  options: PoolOptions<Task, Result>,
): Promise<TaskOutcome<Task, Result>[]> {
  const outcomes: TaskOutcome<Task, Result>[] = [];
  for (const task of tasks) {
    let outcome: TaskOutcome<Task, Result>;
    try {
      outcome = { task, ok: true, result: await options.runInProcess(task) };
    } catch (error) {
      outcome = { task, ok: false, error: describeError(error) };
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
    options.onProgress?.(outcomes.length, tasks.length);
  }
  return outcomes;
}

function runInWorkers<Task, Result>(
  tasks: readonly Task[],
  options: PoolOptions<Task, Result>,
  workerCount: number,
): Promise<TaskOutcome<Task, Result>[]> {
  return new Promise((resolve) => {
    const outcomes: TaskOutcome<Task, Result>[] = [];
    const live = new Set<Worker>();
    let nextTask = 0;
    let consecutiveCrashes = 0;

    const record = (outcome: TaskOutcome<Task, Result>): void => {
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
      options.onProgress?.(outcomes.length, tasks.length);
      if (outcomes.length === tasks.length) {
        for (const worker of live) void worker.terminate();
        live.clear();
        resolve(outcomes);
      }
    };

    const failRemaining = (reason: string): void => {
      while (nextTask < tasks.length) {
        record({ task: tasks[nextTask++], ok: false, error: reason });
      }
    };

    const start = (): void => {
      const worker = new Worker(options.workerEntry);
      live.add(worker);
      let inFlight: { id: number; task: Task } | undefined;
      let crash: string | undefined;

      const dispatch = (): void => {
        if (nextTask >= tasks.length) {
          live.delete(worker);
          void worker.terminate();
          return;
        }
        const id = nextTask++;
        inFlight = { id, task: tasks[id] };
        worker.postMessage({ id, task: tasks[id] } satisfies TaskMessage<Task>);
      };

      worker.on('message', (reply: ReplyMessage<Result>) => {
        if (!inFlight || reply.id !== inFlight.id) return;
        const { task } = inFlight;
        inFlight = undefined;
        consecutiveCrashes = 0;
        record(reply.ok ? { task, ok: true, result: reply.result } : { task, ok: false, error: reply.error });
        dispatch();
      });
      worker.on('error', (error) => {
        crash = describeError(error);
      });
      worker.on('exit', (code) => {
        if (!live.delete(worker)) return;
        if (inFlight) {
          const { task } = inFlight;
          inFlight = undefined;
          record({ task, ok: false, error: `worker stopped while linting this file: ${crash ?? `exit code ${code}`}` });
        }
        consecutiveCrashes++;
        if (nextTask >= tasks.length) return;
        if (consecutiveCrashes >= MAX_CONSECUTIVE_CRASHES) {
          failRemaining(`worker pool stopped after ${consecutiveCrashes} worker crashes: ${crash ?? `exit code ${code}`}`);
        } else {
          start();
        }
      });
      dispatch();
    };

    for (let i = 0; i < workerCount && nextTask < tasks.length; i++) start();
  });
}

/**
 * The worker side: answers every task message with the handler's result or its error.
 * Call it once from the worker entry script.
 */
export function serveTasks<Task, Result>(handle: (task: Task) => Promise<Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run inside a worker thread');
  port.on('message', async ({ id, task }: TaskMessage<Task>) => {
    let reply: ReplyMessage<Result>;
    try {
      reply = { id, ok: true, result: await handle(task) };
    } catch (error) {
      reply = { id, ok: false, error: describeError(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // A result that cannot cross threads (a function, a symbol) is that file's error.
      port.postMessage({ id, ok: false, error: describeError(error) } satisfies ReplyMessage<Result>);
    }
  });
}
