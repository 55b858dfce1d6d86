/**
 * A client-side token bucket: `burst` tokens at most, refilled at `ratePerSecond`. Time comes
 * from `now` (ms), so the live engine passes a clock and the simulator its virtual time; the
 * bucket itself never sleeps.
 */
export interface TokenBucketOptions {
  /** Tokens added per second (sustained requests per second). */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may start at once after a quiet spell. */
  readonly burst: number;
}

/** Refills are fractional: a token short by rounding error only is there. */
const ROUNDING_SLACK = 1e-9;

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly options: TokenBucketOptions,
    private readonly now: () => number,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`tokenBucket.ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`tokenBucket.burst must be >= 1, got ${options.burst}`);
    this.tokens = options.burst;
    this.refilledAt = now();
  }

  /** Tokens in the bucket now (fractional between refills). */
  get available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `count` tokens if they are all there; otherwise takes none. */
  tryTake(count = 1): boolean {
    this.refill();
    if (this.tokens + ROUNDING_SLACK < count) return false;
    this.tokens = Math.max(0, this.tokens - count);
    return true;
  }

  /** How long until `count` tokens are there: 0 when they are, Infinity when `count` exceeds `burst`. */
  msUntilAvailable(count = 1): number {
    if (count > this.options.burst) return Infinity;
    this.refill();
    const missing = count - this.tokens;
    if (missing <= ROUNDING_SLACK) return 0;
    return Math.ceil((missing / this.options.ratePerSecond) * 1000);
  }

  private refill(): void {
    const at = this.now();
    const elapsedMs = at - this.refilledAt;
    // A clock that steps back (a reset virtual clock) adds nothing and moves the mark.
    if (elapsedMs > 0) this.tokens = Math.min(this.options.burst, this.tokens + (elapsedMs / 1000) * this.options.ratePerSecond);
    this.refilledAt = at;
  }
}
