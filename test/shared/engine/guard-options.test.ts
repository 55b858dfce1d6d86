import { describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfigText, resolveConfigLayers } from '@retrylint/shared';

const FILE = 'retrylint.config.json';

function problemsOf(text: string): string[] {
  return parseConfigText(text, FILE).problems.map(formatConfigProblem);
}

describe('guard options in retrylint.config.json', () => {
  it('are off when absent', () => {
    const { policy } = resolveConfigLayers([{}]);
    expect(policy.tokenBucket).toBeUndefined();
    expect(policy.circuitBreaker).toBeUndefined();
    expect(policy.retryBudget).toBeUndefined();
  });

  it('reach the resolved policy, and an override replaces a guard whole', () => {
    const text = JSON.stringify({
      policy: {
        tokenBucket: { ratePerSecond: 50, burst: 100 },
        circuitBreaker: { failureThreshold: 5, openMs: 30000, halfOpenProbes: 1 },
        retryBudget: { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 },
      },
      overrides: [{ files: ['batch/**'], policy: { tokenBucket: { ratePerSecond: 5, burst: 1 } } }],
    });
    const { config, problems } = parseConfigText(text, FILE);
    expect(problems).toEqual([]);
    const base = resolveConfigLayers([config ?? {}]).policy;
    expect(base.tokenBucket).toEqual({ ratePerSecond: 50, burst: 100 });
    expect(base.circuitBreaker).toEqual({ failureThreshold: 5, openMs: 30000, halfOpenProbes: 1 });
    expect(base.retryBudget).toEqual({ capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    const batch = resolveConfigLayers([config ?? {}, config?.overrides?.[0] ?? {}]).policy;
    expect(batch.tokenBucket).toEqual({ ratePerSecond: 5, burst: 1 });
    expect(batch.retryBudget).toEqual(base.retryBudget);
  });

  it('report bad values at their position, and leave the guard out', () => {
    const text = '{"policy": {"tokenBucket": {"ratePerSecond": 0, "burst": 2.5}, "maxAttempts": 3}}';
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:1:46 policy.tokenBucket.ratePerSecond: expected a number >= 0.001, found 0',
      'retrylint.config.json:1:58 policy.tokenBucket.burst: expected an integer >= 1, found 2.5',
    ]);
    expect(parseConfigText(text, FILE).config?.policy).toEqual({ maxAttempts: 3 });
  });

  it('report a missing field and an unknown one by name', () => {
    expect(problemsOf('{"policy": {"circuitBreaker": {"failureThreshold": 5, "openMs": 1000}}}')).toEqual([
      'retrylint.config.json:1:31 policy.circuitBreaker: missing required key "halfOpenProbes"',
    ]);
    expect(
      problemsOf('{"policy": {"retryBudget": {"capacity": 5, "retryCost": 5, "timeoutCost": 10, "successRefund": 1, "retryCosts": 2}}}'),
    ).toEqual(['retrylint.config.json:1:99 policy.retryBudget.retryCosts: unknown key; did you mean "retryCost"?']);
  });

  it('a guard that is not an object', () => {
    expect(problemsOf('{"policy": {"retryBudget": true}}')).toEqual([
      'retrylint.config.json:1:28 policy.retryBudget: expected an object, found true',
    ]);
  });
});
