import { backoffFromSpec } from '../schedule.js';
import { affordableTimeoutMs, worstCaseSleepsMs } from './budget.js';
import { DEFAULT_POLICY_OPTIONS, type BackoffSpec, type Policy, type PolicyOptions, type ProfileName } from './options.js';

interface Profile {
  readonly description: string;
  readonly backoff: BackoffSpec;
}

const aiApiBackoff: BackoffSpec = {
  strategy: 'exponential',
  baseMs: 1_000,
  factor: 2,
  stepMs: 0,
  capMs: 60_000,
  jitter: 'full',
  maxAttempts: 5,
  maxRetryAfterMs: 120_000,
};

/** The decision matrix of RULES.md, as presets a config or an override can apply. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  'ai-api': {
    description: 'AI and HTTP APIs in general: exponential backoff with full jitter, Retry-After honoured.',
    backoff: aiApiBackoff,
  },
  'rate-limit-window': {
    description: 'A known fixed rate-limit window: wait one window between tries.',
    backoff: { ...aiApiBackoff, strategy: 'constant', baseMs: 60_000, capMs: 60_000, jitter: 'none' },
  },
  'network-blip': {
    description: 'Short network jitter: linear steps of 0.5 s up to 5 s.',
    backoff: { ...aiApiBackoff, strategy: 'linear', baseMs: 500, stepMs: 500, capMs: 5_000 },
  },
  'db-failover': {
    description: 'Primary/replica switch-over: linear steps of 1 s up to 30 s.',
    backoff: { ...aiApiBackoff, strategy: 'linear', baseMs: 1_000, stepMs: 1_000, capMs: 30_000 },
  },
  streaming: {
    description: 'Streamed responses: retry only before the first chunk arrives.',
    backoff: { ...aiApiBackoff, maxAttempts: 3, retryBeforeFirstChunkOnly: true },
  },
  bulk: {
    description: 'High-concurrency batches: exponential backoff from 2 s with full jitter and a token bucket of 50 requests/s.',
    backoff: { ...aiApiBackoff, baseMs: 2_000, ratePerSecond: 50 },
  },
};

/** The options a profile sets (from its schedule) unless a config gives them explicitly. */
export const PROFILE_SHAPED_OPTIONS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs'] as const satisfies readonly (keyof PolicyOptions)[];

/**
 * The policy in force: the profile's schedule sets the delay and attempt numbers, and
 * explicit options (from config) win over both.
 */
export function resolvePolicy(profile: ProfileName = 'ai-api', options: Partial<PolicyOptions> = {}): Policy {
  const backoff = PROFILES[profile].backoff;
  const fromProfile: Partial<PolicyOptions> = {
    maxAttempts: backoff.maxAttempts,
    baseDelayMs: backoff.baseMs,
    maxDelayMs: backoff.capMs,
  };
  const merged: PolicyOptions = { ...DEFAULT_POLICY_OPTIONS, ...fromProfile, ...options };
  const schedule: BackoffSpec = {
    ...backoff,
    maxAttempts: merged.maxAttempts,
    baseMs: merged.baseDelayMs,
    capMs: merged.maxDelayMs,
    maxRetryAfterMs: merged.maxRetryAfterMs,
    jitter: options.jitter ?? backoff.jitter,
  };
  const timeoutMs = profileTimeoutMs(schedule, merged);
  return { ...merged, profile, backoff: timeoutMs === undefined ? schedule : { ...schedule, timeoutMs } };
}

/**
 * The per-attempt timeout that keeps the schedule's own worst case (every attempt timing
 * out, every sleep at its longest) within maxTotalMs.
 */
function profileTimeoutMs(schedule: BackoffSpec, options: PolicyOptions): number | undefined {
  const params = backoffFromSpec(schedule);
  return affordableTimeoutMs(options, schedule.maxAttempts, worstCaseSleepsMs(params, schedule.maxAttempts));
}

/** The `recommended` policy with the `ai-api` profile. */
export const DEFAULT_POLICY: Policy = resolvePolicy();
