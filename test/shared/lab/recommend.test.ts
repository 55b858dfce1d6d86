import {
  builtInScenario,
  candidatePolicy,
  compareRows,
  parseConfigText,
  parseObjective,
  recommendationConfig,
  recommendPolicy,
  resolveConfigLayers,
  simPolicyFromPolicy,
  simulate,
  tokenBucketChoices,
  type Evaluated,
  type Scenario,
  type SearchSpace,
  type SimPolicy,
} from '@retrylint/shared';
import { describe, expect, it } from 'vitest';

const scenario = builtInScenario('article-rate-limit')!;
const options = { seed: 2, requests: 1500 };

/** A smaller space keeps the test quick; the search itself is the same. */
const space: SearchSpace = {
  profile: ['ai-api', 'rate-limit-window', 'network-blip'],
  maxAttempts: [1, 3, 6],
  baseDelayMs: [500, 2_000, 60_000],
  maxDelayMs: [10_000, 60_000],
  jitter: ['none', 'full'],
  honourRetryAfter: [true, false],
  tokenBucket: [undefined],
};

/** The snippet printed for a candidate, parsed and resolved as a config file is; checked against the candidate. */
function policyFromSnippet(best: Evaluated): SimPolicy {
  const parsed = parseConfigText(recommendationConfig(best.candidate), 'retrylint.config.json');
  expect(parsed.problems).toEqual([]);
  const { policy } = resolveConfigLayers([{ profile: parsed.config?.profile, policy: parsed.config?.policy }]);
  const fromConfig = { ...simPolicyFromPolicy(best.row.policy, policy), honourRetryAfter: best.candidate.honourRetryAfter };
  expect(fromConfig).toEqual(candidatePolicy(best.candidate));
  return fromConfig;
}

describe('recommendPolicy', () => {
  it('returns a best policy no runner-up beats, under the stated objective', () => {
    const objective = parseObjective(['success', 'p99', 'waste']);
    const { best, runnersUp, evaluated } = recommendPolicy(scenario, objective, { ...options, space });
    expect(evaluated).toBeGreaterThan(10);
    expect(runnersUp.length).toBeGreaterThan(0);
    for (const other of runnersUp) expect(compareRows(objective, best.row, other.row)).toBeLessThanOrEqual(0);
    // Under this rate limit a single attempt loses about a quarter of the requests.
    expect(best.candidate.maxAttempts).toBeGreaterThan(1);
    expect(best.row.successRate).toBeGreaterThan(0.95);
  });

  it('follows the objective: ranked by attempts first, the fewest attempts win', () => {
    const objective = parseObjective(['attempts', 'success']);
    const { best, runnersUp } = recommendPolicy(scenario, objective, { ...options, space });
    expect(best.candidate.maxAttempts).toBe(1);
    for (const other of runnersUp) expect(best.row.attemptsPerRequest).toBeLessThanOrEqual(other.row.attemptsPerRequest);
  });

  it('prints a config that validates and puts in force the policy that was simulated', () => {
    const { best } = recommendPolicy(scenario, parseObjective(['success', 'p99']), { ...options, space });
    expect(simulate(scenario, [policyFromSnippet(best)], options).rows[0]).toEqual(best.row);
  });

  describe('the client token bucket', () => {
    // The server lets 5 per second through (5 at once after a quiet spell) and bills every 429;
    // 4 requests per second arrive at random, so bursts overrun it.
    const bucketLimited: Scenario = {
      ...scenario,
      name: 'bucket-limited',
      requests: 1200,
      arrival: { kind: 'poisson', ratePerSecond: 4 },
      server: { ...scenario.server, rateLimits: [{ kind: 'token-bucket', ratePerSecond: 5, burst: 5, sendRetryAfter: false }] },
    };

    it("tries no bucket, shares of the offered rate, and the server's rate", () => {
      expect(tokenBucketChoices(bucketLimited)).toEqual([
        undefined,
        { ratePerSecond: 2, burst: 2 },
        { ratePerSecond: 3.2, burst: 4 },
        { ratePerSecond: 4, burst: 4 },
        { ratePerSecond: 5, burst: 5 },
      ]);
    });

    it("is recommended at the server's rate when wasted tokens count before latency", () => {
      const objective = parseObjective(['success', 'waste', 'p99']);
      const { best } = recommendPolicy(bucketLimited, objective, { seed: 3, space: { ...space, tokenBucket: tokenBucketChoices(bucketLimited) } });
      expect(best.candidate.tokenBucket).toEqual({ ratePerSecond: 5, burst: 5 });
      expect(best.row.tokensWasted).toBe(0);
      const withoutBucket = simulate(bucketLimited, [candidatePolicy({ ...best.candidate, tokenBucket: undefined })], { seed: 3 }).rows[0];
      expect(withoutBucket.tokensWasted).toBeGreaterThan(0);
      expect(policyFromSnippet(best).tokenBucket).toEqual({ ratePerSecond: 5, burst: 5 });
    });
  });

  it('with stream retries first, recommends never retrying a stream after its first chunk', () => {
    const streaming = builtInScenario('streaming')!;
    const streamSpace: SearchSpace = { ...space, profile: ['ai-api', 'streaming'] };
    const { best } = recommendPolicy(streaming, parseObjective(['stream-retries', 'success']), { seed: 2, requests: 800, space: streamSpace });
    expect(best.candidate.profile).toBe('streaming');
    expect(best.row.retriedBrokenStreams).toBe(0);
    const bySuccess = recommendPolicy(streaming, parseObjective(['success', 'stream-retries']), { seed: 2, requests: 800, space: streamSpace });
    expect(bySuccess.best.row.retriedBrokenStreams).toBeGreaterThan(0);
    expect(bySuccess.best.row.successRate).toBeGreaterThan(best.row.successRate);
  });

  it('rejects an unknown objective with the names it knows', () => {
    expect(() => parseObjective(['speed'])).toThrow(/unknown objective "speed" \(one of: success, p99/);
  });
});
