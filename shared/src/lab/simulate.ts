/**
 * `simulate(scenario, policies, options)`: every policy through the same scenario with the
 * same seed, one table row and one set of chart data per policy. Pure and deterministic:
 * the CLI prints it, the extension's panel can draw it.
 */
import type { ClientGuardFactory } from './client-guard.js';
import { engineClientGuards } from './engine-guards.js';
import type { CdfPoint } from './latency-histogram.js';
import type { LoadBin } from './load-series.js';
import { FAILURE_REASONS, runPolicy, type FailureReason, type PolicyRunResult } from './policy-run.js';
import type { Scenario } from './scenario.js';
import type { SimPolicy } from './sim-policy.js';

export interface SimulationRow {
  readonly policy: string;
  readonly requests: number;
  readonly succeeded: number;
  /** 0..1 */
  readonly successRate: number;
  /** End-to-end latency of every request, successful or not: what the caller waits. */
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Attempts that reached the server. */
  readonly attempts: number;
  readonly attemptsPerRequest: number;
  readonly timeouts: number;
  /** The most attempts the server saw in one peak window. */
  readonly peakLoad: number;
  /** Peak attempts / peak arrivals per window: how much retries multiply the busiest moment. */
  readonly loadAmplification: number;
  readonly tokensBilled: number;
  readonly tokensWasted: number;
  /** Wasted / billed, 0..1 (0 when nothing was billed). */
  readonly tokenWasteRate: number;
  readonly costUsd: number;
  readonly wastedUsd: number;
  readonly failures: Readonly<Record<FailureReason, number>>;
  /** The longest sleep the schedule drew. */
  readonly longestBackoffMs: number;
  /** Streams retried after their first chunk (the caller sees their start twice). */
  readonly retriedBrokenStreams: number;
  /** Virtual time when the last request finished. */
  readonly durationMs: number;
}

export interface PolicyCharts {
  readonly policy: string;
  readonly latencyCdf: readonly CdfPoint[];
  readonly load: readonly LoadBin[];
  readonly loadBinMs: number;
}

export interface SimulationResult {
  readonly scenario: string;
  readonly seed: number;
  readonly peakWindowMs: number;
  readonly rows: readonly SimulationRow[];
  readonly charts: readonly PolicyCharts[];
}

export interface SimulateOptions<P extends SimPolicy> {
  readonly seed?: number;
  /** Overrides the scenario's number of requests. */
  readonly requests?: number;
  /** Builds each client's guards; by default the engine's, as the policy switches them on. */
  readonly guards?: ClientGuardFactory<P>;
}

export const DEFAULT_SEED = 1;

export function simulate<P extends SimPolicy>(scenario: Scenario, policies: readonly P[], options: SimulateOptions<P> = {}): SimulationResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const sized = options.requests === undefined ? scenario : { ...scenario, requests: options.requests };
  const guards = options.guards ?? engineClientGuards;
  const runs = policies.map((policy) => ({ policy, result: runPolicy(sized, policy, { seed, guards }) }));
  return {
    scenario: scenario.name,
    seed,
    peakWindowMs: scenario.peakWindowMs,
    rows: runs.map(({ policy, result }) => rowOf(policy.name, result)),
    charts: runs.map(({ policy, result }) => ({
      policy: policy.name,
      latencyCdf: result.latency.cdf(),
      load: result.load.bins(),
      loadBinMs: result.load.binWidthMs,
    })),
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function rowOf(policy: string, result: PolicyRunResult): SimulationRow {
  const { latency, tokens } = result;
  return {
    policy,
    requests: result.requests,
    succeeded: result.succeeded,
    successRate: ratio(result.succeeded, result.requests),
    meanMs: latency.meanMs,
    p50Ms: latency.percentileMs(50),
    p95Ms: latency.percentileMs(95),
    p99Ms: latency.percentileMs(99),
    maxMs: latency.maxMs,
    attempts: result.attempts,
    attemptsPerRequest: ratio(result.attempts, result.requests),
    timeouts: result.timeouts,
    peakLoad: result.peakAttempts,
    loadAmplification: ratio(result.peakAttempts, result.peakArrivals),
    tokensBilled: tokens.tokensBilled,
    tokensWasted: tokens.tokensWasted,
    tokenWasteRate: ratio(tokens.tokensWasted, tokens.tokensBilled),
    costUsd: tokens.costUsd,
    wastedUsd: tokens.wastedUsd,
    failures: { ...result.failures },
    longestBackoffMs: result.longestBackoffMs,
    retriedBrokenStreams: result.retriedBrokenStreams,
    durationMs: result.durationMs,
  };
}

export { FAILURE_REASONS };
