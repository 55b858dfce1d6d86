import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWS_RETRY_BUDGET, RetryBudget } from '@retrylint/shared';

describe('RetryBudget', () => {
  it('AWS defaults: 100 retries after errors, or 50 after timeouts, drain a full budget', () => {
    const errors = new RetryBudget(AWS_RETRY_BUDGET);
    let granted = 0;
    while (errors.tryWithdraw('error')) granted++;
    expect(granted).toBe(100);
    expect(errors.available).toBe(0);
    const timeouts = new RetryBudget(AWS_RETRY_BUDGET);
    granted = 0;
    while (timeouts.tryWithdraw('timeout')) granted++;
    expect(granted).toBe(50);
  });

  it('refuses a retry it cannot pay for whole, and takes nothing', () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(budget.tryWithdraw('timeout')).toBe(true);
    expect(budget.tryWithdraw('error')).toBe(false);
    expect(budget.available).toBe(2);
  });

  it('successes refill it, never above the capacity', () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(budget.tryWithdraw('error')).toBe(true);
    expect(budget.tryWithdraw('error')).toBe(true);
    for (let i = 0; i < 4; i++) budget.recordSuccess();
    expect(budget.tryWithdraw('error')).toBe(false);
    budget.recordSuccess();
    expect(budget.tryWithdraw('error')).toBe(true);
    for (let i = 0; i < 100; i++) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });

  it('property: the balance stays within 0 and the capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('error', 'timeout', 'success'), { maxLength: 500 }), (events) => {
        const budget = new RetryBudget(AWS_RETRY_BUDGET);
        for (const event of events) {
          if (event === 'success') budget.recordSuccess();
          else budget.tryWithdraw(event);
          expect(budget.available).toBeGreaterThanOrEqual(0);
          expect(budget.available).toBeLessThanOrEqual(AWS_RETRY_BUDGET.capacity);
        }
      }),
    );
  });
});
