import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '@retrylint/shared';

function clock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures; a success in between resets the count', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000, halfOpenProbes: 1 }, time.now);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.msUntilHalfOpen()).toBe(1_000);
  });

  it('half-opens after the open time and closes when the probe succeeds', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 500, halfOpenProbes: 1 }, time.now);
    breaker.recordFailure();
    time.advance(499);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.msUntilHalfOpen()).toBe(1);
    time.advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.msUntilHalfOpen()).toBe(0);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire(), 'the probe is in flight').toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a failed probe opens it again for a full open time', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 300, halfOpenProbes: 1 }, time.now);
    breaker.recordFailure();
    breaker.recordFailure();
    time.advance(300);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.msUntilHalfOpen()).toBe(300);
  });

  it('with several probes, closes only when all of them succeed', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10, halfOpenProbes: 2 }, time.now);
    breaker.recordFailure();
    time.advance(10);
    expect([breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()]).toEqual([true, true, false]);
    breaker.recordSuccess();
    expect(breaker.state).toBe('half-open');
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('a probe that ends without a verdict hands its slot back', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10, halfOpenProbes: 1 }, time.now);
    breaker.recordFailure();
    time.advance(10);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordNeutral();
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('failures reported while open (calls that were already in flight) do not extend the open time', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 100, halfOpenProbes: 1 }, time.now);
    breaker.recordFailure();
    time.advance(60);
    breaker.recordFailure();
    expect(breaker.msUntilHalfOpen()).toBe(40);
  });
});
