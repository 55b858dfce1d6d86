/**
 * A per-file budget of time and memory for the analysis, checked cooperatively: the tree
 * walks report their progress with `chargeWork()`, and every few thousand nodes the clock
 * and the heap are compared with the limits. Past a limit the walk throws
 * `FileBudgetExceeded`, which the frontends let through (every other internal error only
 * costs a site or the file's findings), so the CLI can report the file and go on.
 *
 * One file is analysed at a time per thread, so the active budget is thread-wide state.
 * Without an active budget (the editor, the ESLint plugin, tests) `chargeWork` is a no-op.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface FileBudget {
  /** Wall-clock milliseconds the analysis of one file may take. */
  readonly maxMs: number;
  /** Bytes of JS heap the analysis may add while it runs. */
  readonly maxHeapGrowthBytes: number;
}

export class FileBudgetExceeded extends Error {
  constructor(
    readonly resource: 'time' | 'memory',
    readonly budget: FileBudget,
  ) {
    super(`the analysis went over its ${resource} budget`);
    this.name = 'FileBudgetExceeded';
  }
}

/** Units of work (tree nodes visited) between two looks at the clock and the heap. */
const CHECK_EVERY = 4096;

interface ActiveBudget {
  readonly budget: FileBudget;
  readonly deadline: number;
  readonly heapCeiling: number;
  untilCheck: number;
  /** Units charged so far (what `measureWork` reports). */
  charged: number;
}

let active: ActiveBudget | undefined;

function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/** Runs `work` (one file's analysis) under `budget`; rejects with FileBudgetExceeded past it. */
export async function withinFileBudget<T>(budget: FileBudget | undefined, work: () => Promise<T>): Promise<T> {
  if (!budget) return work();
  return (await runCharged(budget, work)).result;
}

/** Runs `work` without limits and counts the tree nodes it visited: a measure of cost that is independent of the machine. */
export function measureWork<T>(work: () => Promise<T>): Promise<{ result: T; units: number }> {
  return runCharged({ maxMs: Number.POSITIVE_INFINITY, maxHeapGrowthBytes: Number.POSITIVE_INFINITY }, work);
}

async function runCharged<T>(budget: FileBudget, work: () => Promise<T>): Promise<{ result: T; units: number }> {
  const previous = active;
  const current: ActiveBudget = {
    budget,
    deadline: performance.now() + budget.maxMs,
    heapCeiling: heapUsed() + budget.maxHeapGrowthBytes,
    untilCheck: CHECK_EVERY,
    charged: 0,
  };
  active = current;
  try {
    const result = await work();
    return { result, units: current.charged };
  } finally {
    active = previous;
  }
}

/** Called by the tree walks once per node (or with a count for a batch). */
export function chargeWork(units = 1): void {
  if (!active) return;
  active.charged += units;
  active.untilCheck -= units;
  if (active.untilCheck > 0) return;
  active.untilCheck = CHECK_EVERY;
  if (performance.now() > active.deadline) throw new FileBudgetExceeded('time', active.budget);
  if (heapUsed() > active.heapCeiling) throw new FileBudgetExceeded('memory', active.budget);
}

/** For catch-all handlers that must not swallow a budget stop. */
export function rethrowBudgetStop(error: unknown): void {
  if (error instanceof FileBudgetExceeded) throw error;
}
