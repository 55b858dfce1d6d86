/**
 * How `--recommend` ranks policies: metrics compared in the order given, each with a
 * direction and a tolerance inside which two values count as equal (so a 0.01-point lead
 * in success does not hide a P99 twice as long).
 */
import type { SimulationRow } from './simulate.js';

export interface ObjectiveTerm {
  readonly name: string;
  readonly describe: string;
  readonly value: (row: SimulationRow) => number;
  readonly better: 'higher' | 'lower';
  /** Values closer than this count as equal: absolute, or relative to the larger. */
  readonly tolerance: { readonly absolute?: number; readonly relative?: number };
}

export const OBJECTIVE_TERMS: readonly ObjectiveTerm[] = [
  { name: 'success', describe: 'success rate (0.1 point)', value: (row) => row.successRate, better: 'higher', tolerance: { absolute: 0.001 } },
  { name: 'p99', describe: 'P99 latency (1%)', value: (row) => row.p99Ms, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'p95', describe: 'P95 latency (1%)', value: (row) => row.p95Ms, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'p50', describe: 'median latency (1%)', value: (row) => row.p50Ms, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'mean', describe: 'mean latency (1%)', value: (row) => row.meanMs, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'waste', describe: 'token waste (0.1 point)', value: (row) => row.tokenWasteRate, better: 'lower', tolerance: { absolute: 0.001 } },
  { name: 'cost', describe: 'cost (1%)', value: (row) => row.costUsd, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'attempts', describe: 'attempts per request (1%)', value: (row) => row.attemptsPerRequest, better: 'lower', tolerance: { relative: 0.01 } },
  { name: 'peak', describe: 'peak load (1%)', value: (row) => row.peakLoad, better: 'lower', tolerance: { relative: 0.01 } },
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

function equalWithin(a: number, b: number, term: ObjectiveTerm): boolean {
  const gap = Math.abs(a - b);
  if (term.tolerance.absolute !== undefined && gap <= term.tolerance.absolute) return true;
  return term.tolerance.relative !== undefined && gap <= term.tolerance.relative * Math.max(Math.abs(a), Math.abs(b));
}

/** Negative when `a` is better. */
export function compareRows(objective: Objective, a: SimulationRow, b: SimulationRow): number {
  for (const term of objective) {
    const left = term.value(a);
    const right = term.value(b);
    if (equalWithin(left, right, term)) continue;
    return term.better === 'higher' ? right - left : left - right;
  }
  return 0;
}
