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
  type SearchSpace,
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
};

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
    const text = recommendationConfig(best.candidate);
    const parsed = parseConfigText(text, 'retrylint.config.json');
    expect(parsed.problems).toEqual([]);
    const { policy } = resolveConfigLayers([{ profile: parsed.config?.profile, policy: parsed.config?.policy }]);
    const fromConfig = { ...simPolicyFromPolicy(best.row.policy, policy), honourRetryAfter: best.candidate.honourRetryAfter };
    expect(fromConfig).toEqual(candidatePolicy(best.candidate));
    expect(simulate(scenario, [fromConfig], options).rows[0]).toEqual(best.row);
  });

  it('rejects an unknown objective with the names it knows', () => {
    expect(() => parseObjective(['speed'])).toThrow(/unknown objective "speed" \(one of: success, p99/);
  });
});
