/**
 * `--recommend`: a search of the policies a `retrylint.config.json` can express (profile for
 * the strategy; attempts, base delay, cap, jitter, Retry-After, a client token bucket's
 * rate), ranked by an objective.
 * Each candidate is the policy `resolvePolicy` puts in force, so the snippet printed for the
 * winner is what was simulated. The search is coordinate descent: from the `ai-api`
 * defaults, each dimension in turn takes its best value, until a round changes nothing.
 */
import type { TokenBucketOptions } from '../engine/token-bucket.js';
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
  /** Absent: no client-side token bucket. */
  readonly tokenBucket?: TokenBucketOptions;
}

/** The values each dimension may take. */
export interface SearchSpace {
  readonly profile: readonly ProfileName[];
  readonly maxAttempts: readonly number[];
  readonly baseDelayMs: readonly number[];
  readonly maxDelayMs: readonly number[];
  readonly jitter: readonly JitterKind[];
  readonly honourRetryAfter: readonly boolean[];
  /** undefined: no bucket. */
  readonly tokenBucket: readonly (TokenBucketOptions | undefined)[];
}

/**
 * ai-api: exponential; rate-limit-window: constant; network-blip and db-failover: linear steps
 * of 0.5 s and 1 s; streaming: exponential, never retrying a stream once its first chunk is in.
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  profile: ['ai-api', 'rate-limit-window', 'network-blip', 'db-failover', 'streaming'],
  maxAttempts: [2, 3, 5, 8],
  baseDelayMs: [250, 500, 1_000, 2_000, 5_000, 15_000, 60_000],
  maxDelayMs: [5_000, 15_000, 30_000, 60_000],
  jitter: ['none', 'full', 'equal', 'proportional', 'decorrelated'],
  honourRetryAfter: [true, false],
  tokenBucket: [undefined],
};

/** Shares of the rate each client offers that a client bucket is tried at. */
const OFFERED_RATE_SHARES = [0.5, 0.8, 1, 1.25];

/** The requests per second one client sends, before retries. */
function offeredRatePerClient(scenario: Scenario): number {
  const { arrival } = scenario;
  const total = arrival.kind === 'burst' ? (scenario.requests * 1000) / Math.max(arrival.spreadMs, 1000) : arrival.ratePerSecond;
  return total / scenario.clients;
}

/** What the server's rate limits let through per second (a window-head limit lets all but its head through). */
function serverRatesPerSecond(scenario: Scenario): number[] {
  return scenario.server.rateLimits.flatMap((limit) => {
    if (limit.kind === 'token-bucket') return [limit.ratePerSecond];
    if (limit.kind === 'fixed-window') return [(limit.limit * 1000) / limit.windowMs];
    return [];
  });
}

function threeSignificantDigits(value: number): number {
  return Number(value.toPrecision(3));
}

/**
 * Client token bucket rates worth trying for this scenario: none, shares of the rate each
 * client offers, and each rate the server's limits allow. A bucket holds one second of tokens.
 */
export function tokenBucketChoices(scenario: Scenario): (TokenBucketOptions | undefined)[] {
  const rates = [...OFFERED_RATE_SHARES.map((share) => share * offeredRatePerClient(scenario)), ...serverRatesPerSecond(scenario)]
    .map(threeSignificantDigits)
    .filter((rate) => rate > 0);
  const distinct = [...new Set(rates)].sort((a, b) => a - b);
  return [undefined, ...distinct.map((ratePerSecond) => ({ ratePerSecond, burst: Math.max(1, Math.ceil(ratePerSecond)) }))];
}

/** The default space, with the token bucket rates this scenario suggests. */
export function searchSpaceFor(scenario: Scenario): SearchSpace {
  return { ...DEFAULT_SEARCH_SPACE, tokenBucket: tokenBucketChoices(scenario) };
}

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
  const bucket = candidate.tokenBucket ? `, bucket ${candidate.tokenBucket.ratePerSecond}/s` : '';
  return `${candidate.profile} x${candidate.maxAttempts} base ${candidate.baseDelayMs} cap ${candidate.maxDelayMs} ${candidate.jitter}${retryAfter}${bucket}`;
}

export function candidatePolicy(candidate: PolicyCandidate): SimPolicy {
  const policy = resolvePolicy(candidate.profile, {
    maxAttempts: candidate.maxAttempts,
    baseDelayMs: candidate.baseDelayMs,
    maxDelayMs: candidate.maxDelayMs,
    jitter: candidate.jitter,
    ...(candidate.tokenBucket ? { tokenBucket: candidate.tokenBucket } : {}),
  });
  return { ...simPolicyFromPolicy(candidateName(candidate), policy), honourRetryAfter: candidate.honourRetryAfter };
}

function withDimension(candidate: PolicyCandidate, dimension: keyof SearchSpace, value: unknown): PolicyCandidate {
  const { [dimension]: _replaced, ...rest } = candidate;
  return (value === undefined ? rest : { ...rest, [dimension]: value }) as PolicyCandidate;
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
  const space = options.space ?? searchSpaceFor(scenario);
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
        .map((value) => withDimension(current.candidate, dimension, value))
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
    ...(candidate.tokenBucket ? { tokenBucket: candidate.tokenBucket } : {}),
  };
  const entries = Object.entries(policy).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const lines = ['{', `  "profile": ${JSON.stringify(candidate.profile)},`, `  "policy": { ${entries.join(', ')} }`, '}'];
  if (!candidate.honourRetryAfter) {
    lines.splice(1, 0, '  // Best with Retry-After ignored: a config cannot say that; the client must not wait what the server asks.');
  }
  return `${lines.join('\n')}\n`;
}
