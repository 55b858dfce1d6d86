/**
 * A circuit breaker shared by the calls to one upstream: after `failureThreshold`
 * consecutive failures it opens and refuses calls for `openMs`; then it lets
 * `halfOpenProbes` probe calls through. It closes once that many probes succeed, and opens
 * again at the first probe that fails. Time comes from `now` (ms); the breaker never sleeps.
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before probing, in ms. */
  readonly openMs: number;
  /** Probe calls let through while half-open; all must succeed to close. */
  readonly halfOpenProbes: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probesAdmitted = 0;
  private probesSucceeded = 0;

  constructor(
    readonly options: CircuitBreakerOptions,
    private readonly now: () => number,
  ) {
    if (!(options.failureThreshold >= 1)) throw new RangeError(`circuitBreaker.failureThreshold must be >= 1, got ${options.failureThreshold}`);
    if (!(options.openMs >= 0)) throw new RangeError(`circuitBreaker.openMs must be >= 0, got ${options.openMs}`);
    if (!(options.halfOpenProbes >= 1)) throw new RangeError(`circuitBreaker.halfOpenProbes must be >= 1, got ${options.halfOpenProbes}`);
  }

  /** The state now; an open circuit whose open time has passed reads as half-open. */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.openMs) {
      this.current = 'half-open';
      this.probesAdmitted = 0;
      this.probesSucceeded = 0;
    }
    return this.current;
  }

  /** Whether a call may go out now: false while open, or half-open with every probe admitted. */
  tryAcquire(): boolean {
    switch (this.state) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.probesAdmitted >= this.options.halfOpenProbes) return false;
        this.probesAdmitted++;
        return true;
    }
  }

  recordSuccess(): void {
    const state = this.state;
    this.consecutiveFailures = 0;
    if (state !== 'half-open') return;
    this.probesSucceeded++;
    if (this.probesSucceeded >= this.options.halfOpenProbes) this.current = 'closed';
  }

  recordFailure(): void {
    const state = this.state;
    if (state === 'half-open') {
      this.open();
      return;
    }
    if (state === 'open') return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.options.failureThreshold) this.open();
  }

  /**
   * A call that was admitted but ended with neither verdict (cancelled, or a failure that says
   * nothing about the upstream's health, such as a 400): its probe slot is handed back.
   */
  recordNeutral(): void {
    if (this.state === 'half-open' && this.probesAdmitted > this.probesSucceeded) this.probesAdmitted--;
  }

  /** 0 unless open; then the ms left before probes are let through. */
  msUntilHalfOpen(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.openMs - this.now());
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.consecutiveFailures = 0;
    this.probesAdmitted = 0;
    this.probesSucceeded = 0;
  }
}
