/**
 * An AWS-SDK-style retry budget shared by concurrent calls: every retry withdraws tokens
 * (more after a timeout), every success refunds a few, and when the budget is empty calls
 * stop retrying and fail fast instead of multiplying load on a struggling upstream.
 * No time involved: the budget refills only through successes.
 */
export interface RetryBudgetOptions {
  /** Tokens when full. AWS SDK: 500. */
  readonly capacity: number;
  /** Tokens a retry after an error costs. AWS SDK: 5. */
  readonly retryCost: number;
  /** Tokens a retry after a timeout costs. AWS SDK: 10. */
  readonly timeoutCost: number;
  /** Tokens a success puts back, up to the capacity. AWS SDK: 1. */
  readonly successRefund: number;
}

export const AWS_RETRY_BUDGET: RetryBudgetOptions = Object.freeze({ capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 });

export type RetryCause = 'error' | 'timeout';

export class RetryBudget {
  private tokens: number;

  constructor(readonly options: RetryBudgetOptions) {
    for (const key of ['capacity', 'retryCost', 'timeoutCost', 'successRefund'] as const) {
      if (!(options[key] >= 0)) throw new RangeError(`retryBudget.${key} must be >= 0, got ${options[key]}`);
    }
    this.tokens = options.capacity;
  }

  get available(): number {
    return this.tokens;
  }

  /** Withdraws the cost of one retry if the budget holds it; otherwise withdraws nothing. */
  tryWithdraw(cause: RetryCause): boolean {
    const cost = cause === 'timeout' ? this.options.timeoutCost : this.options.retryCost;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  recordSuccess(): void {
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefund);
  }
}
