/**
 * How `--recommend` ranks policies: metrics compared in the order given, each with a
 * direction and a resolution at which two values count as equal (so a 0.01-point lead in
 * success does not hide a P99 twice as long). Values are rounded to steps of that
 * resolution rather than compared within a tolerance, which keeps the order transitive.
 */
import type { SimulationRow } from './simulate.js';

export interface ObjectiveTerm {
  readonly name: string;
  readonly describe: string;
  readonly value: (row: SimulationRow) => number;
  readonly better: 'higher' | 'lower';
  /** Steps values are rounded to: absolute, or relative (steps of this fraction on a log scale). */
  readonly resolution: { readonly absolute?: number; readonly relative?: number };
}

export const OBJECTIVE_TERMS: readonly ObjectiveTerm[] = [
  { name: 'success', describe: 'success rate (0.1 point)', value: (row) => row.successRate, better: 'higher', resolution: { absolute: 0.001 } },
  { name: 'p99', describe: 'P99 latency (1%)', value: (row) => row.p99Ms, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'p95', describe: 'P95 latency (1%)', value: (row) => row.p95Ms, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'p50', describe: 'median latency (1%)', value: (row) => row.p50Ms, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'mean', describe: 'mean latency (1%)', value: (row) => row.meanMs, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'waste', describe: 'token waste (0.1 point)', value: (row) => row.tokenWasteRate, better: 'lower', resolution: { absolute: 0.001 } },
  { name: 'cost', describe: 'cost (1%)', value: (row) => row.costUsd, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'attempts', describe: 'attempts per request (1%)', value: (row) => row.attemptsPerRequest, better: 'lower', resolution: { relative: 0.01 } },
  { name: 'peak', describe: 'peak load (1%)', value: (row) => row.peakLoad, better: 'lower', resolution: { relative: 0.01 } },
  {
    name: 'stream-retries',
    describe: 'streams retried after their first chunk, per request (0.1 point)',
    value: (row) => (row.requests === 0 ? 0 : row.retriedBrokenStreams / row.requests),
    better: 'lower',
    resolution: { absolute: 0.001 },
  },
];

export const DEFAULT_OBJECTIVE: readonly string[] = ['success', 'p99', 'waste'];

export type Objective = readonly ObjectiveTerm[];

/** The terms named in a list such as `success,p99,waste`; throws with the known names. */
export function parseObjective(names: readonly string[]): Objective {
  return names.map((name) => {
    const term = OBJECTIVE_TERMS.find((candidate) => candidate.name === name);
    if (!term) throw new RangeError(`unknown objective "${name}" (one of: ${OBJECTIVE_TERMS.map((candidate) => candidate.name).join(', ')})`);
    return term;
  });
}

function level(value: number, term: ObjectiveTerm): number {
  const { absolute, relative } = term.resolution;
  if (absolute !== undefined) return Math.round(value / absolute);
  if (relative !== undefined) return value <= 0 ? -Infinity : Math.round(Math.log(value) / Math.log1p(relative));
  return value;
}

/** Negative when `a` is better, 0 when no term tells them apart. */
export function compareRows(objective: Objective, a: SimulationRow, b: SimulationRow): number {
  for (const term of objective) {
    const left = level(term.value(a), term);
    const right = level(term.value(b), term);
    if (left === right) continue;
    return term.better === 'higher' ? right - left : left - right;
  }
  return 0;
}
