/**
 * `--recommend`: a search of the policies a `retrylint.config.json` can express (profile for
 * the strategy; attempts, base delay, cap, jitter, Retry-After), ranked by an objective.
 * Each candidate is the policy `resolvePolicy` puts in force, so the snippet printed for the
 * winner is what was simulated. The search is coordinate descent: from the `ai-api`
 * defaults, each dimension in turn takes its best value, until a round changes nothing.
 */
import type { JitterKind } from '../site.js';
import type { ProfileName } from '../policy/options.js';
import { resolvePolicy } from '../policy/profiles.js';
import { compareRows, type Objective } from './objective.js';
import type { Scenario } from './scenario.js';
import { simPolicyFromPolicy, type SimPolicy } from './sim-policy.js';
import { simulate, type SimulateOptions, type SimulationRow } from './simulate.js';

export interface PolicyCandidate {
  readonly profile: ProfileName;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: JitterKind;
  readonly honourRetryAfter: boolean;
}

/** The values each dimension may take. */
export interface SearchSpace {
  readonly profile: readonly ProfileName[];
  readonly maxAttempts: readonly number[];
  readonly baseDelayMs: readonly number[];
  readonly maxDelayMs: readonly number[];
  readonly jitter: readonly JitterKind[];
  readonly honourRetryAfter: readonly boolean[];
}

/** ai-api: exponential; rate-limit-window: constant; network-blip and db-failover: linear steps of 0.5 s and 1 s. */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  profile: ['ai-api', 'rate-limit-window', 'network-blip', 'db-failover'],
  maxAttempts: [2, 3, 5, 8],
  baseDelayMs: [250, 500, 1_000, 2_000, 5_000, 15_000, 60_000],
  maxDelayMs: [5_000, 15_000, 30_000, 60_000],
  jitter: ['none', 'full', 'equal', 'proportional', 'decorrelated'],
  honourRetryAfter: [true, false],
};

const START: PolicyCandidate = {
  profile: 'ai-api',
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitter: 'full',
  honourRetryAfter: true,
};

const MAX_ROUNDS = 4;

export interface Evaluated {
  readonly candidate: PolicyCandidate;
  readonly row: SimulationRow;
}

export interface Recommendation {
  readonly best: Evaluated;
  /** The next best candidates with different results, best first. */
  readonly runnersUp: readonly Evaluated[];
  readonly evaluated: number;
}

export function candidateName(candidate: PolicyCandidate): string {
  const retryAfter = candidate.honourRetryAfter ? '' : ', Retry-After ignored';
  return `${candidate.profile} x${candidate.maxAttempts} base ${candidate.baseDelayMs} cap ${candidate.maxDelayMs} ${candidate.jitter}${retryAfter}`;
}

export function candidatePolicy(candidate: PolicyCandidate): SimPolicy {
  const policy = resolvePolicy(candidate.profile, {
    maxAttempts: candidate.maxAttempts,
    baseDelayMs: candidate.baseDelayMs,
    maxDelayMs: candidate.maxDelayMs,
    jitter: candidate.jitter,
  });
  return { ...simPolicyFromPolicy(candidateName(candidate), policy), honourRetryAfter: candidate.honourRetryAfter };
}

/** A base above the cap is the cap: such candidates repeat another one. */
function isMeaningful(candidate: PolicyCandidate): boolean {
  return candidate.baseDelayMs <= candidate.maxDelayMs;
}

export function recommendPolicy(
  scenario: Scenario,
  objective: Objective,
  options: SimulateOptions<SimPolicy> & { readonly space?: SearchSpace; readonly runnersUp?: number } = {},
): Recommendation {
  const space = options.space ?? DEFAULT_SEARCH_SPACE;
  const seen = new Map<string, Evaluated>();
  const evaluate = (candidates: readonly PolicyCandidate[]): Evaluated[] => {
    const fresh = candidates.filter((candidate) => !seen.has(candidateName(candidate)));
    const rows = simulate(scenario, fresh.map(candidatePolicy), options).rows;
    fresh.forEach((candidate, index) => seen.set(candidateName(candidate), { candidate, row: rows[index] }));
    return candidates.map((candidate) => seen.get(candidateName(candidate)) as Evaluated);
  };
  const better = (a: Evaluated, b: Evaluated) => compareRows(objective, a.row, b.row) < 0;
  let current = evaluate([START])[0];
  const dimensions = Object.keys(space) as (keyof SearchSpace)[];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = candidateName(current.candidate);
    for (const dimension of dimensions) {
      const variants = (space[dimension] as readonly unknown[])
        .map((value) => ({ ...current.candidate, [dimension]: value }) as PolicyCandidate)
        .filter(isMeaningful);
      for (const evaluated of evaluate(variants)) if (better(evaluated, current)) current = evaluated;
    }
    if (candidateName(current.candidate) === before) break;
  }
  // Ties keep the order of evaluation: the one nearer the defaults first.
  const ranked = [...seen.values()].sort((a, b) => compareRows(objective, a.row, b.row));
  const distinct = ranked.filter((evaluated, index) => ranked.findIndex((other) => sameMetrics(other.row, evaluated.row)) === index);
  return { best: distinct[0], runnersUp: distinct.slice(1, 1 + (options.runnersUp ?? 5)), evaluated: seen.size };
}

/** Candidates that differ only where the scenario never looks (Retry-After when none is sent) show once. */
function sameMetrics(a: SimulationRow, b: SimulationRow): boolean {
  return JSON.stringify({ ...a, policy: '' }) === JSON.stringify({ ...b, policy: '' });
}

/** The winner as a `retrylint.config.json` (JSON with comments). */
export function recommendationConfig(candidate: PolicyCandidate): string {
  const policy = {
    maxAttempts: candidate.maxAttempts,
    baseDelayMs: candidate.baseDelayMs,
    maxDelayMs: candidate.maxDelayMs,
    jitter: candidate.jitter,
  };
  const entries = Object.entries(policy).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const lines = ['{', `  "profile": ${JSON.stringify(candidate.profile)},`, `  "policy": { ${entries.join(', ')} }`, '}'];
  if (!candidate.honourRetryAfter) {
    lines.splice(1, 0, '  // Best with Retry-After ignored: a config cannot say that; the client must not wait what the server asks.');
  }
  return `${lines.join('\n')}\n`;
}
