import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_OPTIONS,
  PROFILE_NAMES,
  PROFILE_SHAPED_OPTIONS,
  PROFILES,
  resolvePolicy,
  type PolicyOptions,
} from '@retrylint/shared';

const optionKeys = Object.keys(DEFAULT_POLICY_OPTIONS) as (keyof PolicyOptions)[];

describe('profiles', () => {
  it('follow the decision matrix of RULES.md', () => {
    expect(PROFILES['ai-api'].backoff).toMatchObject({ strategy: 'exponential', jitter: 'full', baseMs: 1_000, capMs: 60_000, maxAttempts: 5, maxRetryAfterMs: 120_000 });
    expect(PROFILES['rate-limit-window'].backoff).toMatchObject({ strategy: 'constant' });
    expect(PROFILES['network-blip'].backoff).toMatchObject({ strategy: 'linear', stepMs: 500, capMs: 5_000 });
    expect(PROFILES['db-failover'].backoff).toMatchObject({ strategy: 'linear', stepMs: 1_000, capMs: 30_000 });
    expect(PROFILES.streaming.backoff).toMatchObject({ retryBeforeFirstChunkOnly: true });
    expect(PROFILES.bulk.backoff).toMatchObject({ strategy: 'exponential', jitter: 'full', baseMs: 2_000, ratePerSecond: 50 });
  });

  it.each(PROFILE_NAMES)('%s shapes only the options PROFILE_SHAPED_OPTIONS names', (name) => {
    const policy = resolvePolicy(name);
    const shaped: readonly string[] = PROFILE_SHAPED_OPTIONS;
    for (const key of optionKeys) {
      if (shaped.includes(key)) continue;
      expect(policy[key], key).toEqual(DEFAULT_POLICY_OPTIONS[key]);
    }
    expect(policy.maxAttempts).toBe(PROFILES[name].backoff.maxAttempts);
    expect(policy.baseDelayMs).toBe(PROFILES[name].backoff.baseMs);
    expect(policy.maxDelayMs).toBe(PROFILES[name].backoff.capMs);
  });

  it.each(PROFILE_NAMES)('%s: explicit options win over its numbers, in the schedule too', (name) => {
    const policy = resolvePolicy(name, { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 4_000, maxRetryAfterMs: 9_000 });
    expect(policy).toMatchObject({ profile: name, maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 4_000 });
    expect(policy.backoff).toMatchObject({ maxAttempts: 2, baseMs: 250, capMs: 4_000, maxRetryAfterMs: 9_000 });
  });
});
