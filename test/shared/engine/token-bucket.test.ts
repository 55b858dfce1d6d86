import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '@retrylint/shared';

function clock(start = 0) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('TokenBucket', () => {
  it('starts full: a burst goes out at once, the next request waits for a refill', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, time.now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true]);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilAvailable()).toBe(100);
    time.advance(99);
    expect(bucket.tryTake()).toBe(false);
    time.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 50, burst: 2 }, time.now);
    time.advance(60_000);
    expect(bucket.available).toBe(2);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.available).toBe(2);
    expect(bucket.msUntilAvailable(3)).toBe(Infinity);
  });

  it('takes several tokens all or none', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 4 }, time.now);
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.tryTake(2)).toBe(false);
    expect(bucket.available).toBe(1);
    expect(bucket.msUntilAvailable(2)).toBe(500);
  });

  it('rejects a rate that would never refill', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 }, () => 0)).toThrow(/ratePerSecond/);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 }, () => 0)).toThrow(/burst/);
  });

  it('property: over any span, no more than burst + rate x span requests get through', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 300 }),
        (ratePerSecond, burst, gaps) => {
          const time = clock(1_000);
          const bucket = new TokenBucket({ ratePerSecond, burst }, time.now);
          let taken = 0;
          for (const gap of gaps) {
            time.advance(gap);
            if (bucket.tryTake()) taken++;
          }
          const spanMs = time.now() - 1_000;
          expect(taken).toBeLessThanOrEqual(burst + Math.floor((ratePerSecond * spanMs) / 1000) + 1e-9);
        },
      ),
    );
  });

  it('property: after waiting msUntilAvailable, the token is there', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1000, noNaN: true }), fc.integer({ min: 1, max: 5 }), (ratePerSecond, burst) => {
        const time = clock();
        const bucket = new TokenBucket({ ratePerSecond, burst }, time.now);
        while (bucket.tryTake());
        time.advance(bucket.msUntilAvailable());
        expect(bucket.tryTake()).toBe(true);
      }),
    );
  });
});
