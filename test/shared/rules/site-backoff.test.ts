import { describe, expect, it } from 'vitest';
import { known, unknown, type DelayFacts } from '@retrylint/shared';
import { backoffParamsOf } from '../../../shared/src/rules/site-backoff.js';

const delay = (facts: Partial<DelayFacts>): DelayFacts => ({
  strategy: unknown(),
  baseMs: unknown(),
  capMs: unknown(),
  jitter: unknown(),
  ...facts,
});

const exponential = delay({
  strategy: known('exponential'),
  baseMs: known(500),
  factor: known(2),
  capMs: known(8_000),
  jitter: known('full'),
});

describe('backoffParamsOf', () => {
  it('maps known delay facts to schedule parameters', () => {
    expect(backoffParamsOf(exponential)).toEqual({
      params: { strategy: 'exponential', baseMs: 500, factor: 2, capMs: 8_000, jitter: 'full' },
      jitterKnown: true,
    });
  });

  it("leaves the cap out for growth known to be uncapped", () => {
    expect(backoffParamsOf({ ...exponential, capMs: known('none') })?.params.capMs).toBeUndefined();
  });

  it('reads an unknown jitter as none and says so', () => {
    expect(backoffParamsOf({ ...exponential, jitter: unknown() })).toMatchObject({ params: { jitter: 'none' }, jitterKnown: false });
  });

  it('needs the step of linear growth and the factor of exponential growth', () => {
    const linear = { ...exponential, strategy: known('linear' as const), factor: undefined };
    expect(backoffParamsOf(linear)).toBeUndefined();
    expect(backoffParamsOf({ ...linear, stepMs: known(250) })?.params).toMatchObject({ strategy: 'linear', stepMs: 250 });
    expect(backoffParamsOf({ ...exponential, factor: undefined })).toBeUndefined();
  });

  it('is undefined when the strategy, base or cap is unknown, or the values describe no schedule', () => {
    expect(backoffParamsOf({ ...exponential, strategy: unknown() })).toBeUndefined();
    expect(backoffParamsOf({ ...exponential, baseMs: unknown() })).toBeUndefined();
    expect(backoffParamsOf({ ...exponential, capMs: unknown() })).toBeUndefined();
    expect(backoffParamsOf({ ...exponential, baseMs: known(-1) })).toBeUndefined();
  });

  it('needs nothing more for no backoff at all', () => {
    expect(backoffParamsOf(delay({ strategy: known('none') }))?.params).toEqual({ strategy: 'none', baseMs: 0, jitter: 'none' });
  });
});
