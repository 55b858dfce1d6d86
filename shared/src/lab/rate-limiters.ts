/** The server's rate limits: each admits an attempt or answers 429, with Retry-After when configured. */
import { TokenBucket } from '../engine/token-bucket.js';
import type { RateLimit } from './scenario.js';
import type { ServerAnswer } from './server.js';

const TOO_MANY_REQUESTS = 429;

export interface RateLimiter {
  /** undefined: admitted (and counted); otherwise the rejection. */
  admit(now: number): ServerAnswer | undefined;
}

function tooManyRequests(sendRetryAfter: boolean, waitMs: number): ServerAnswer {
  if (!sendRetryAfter) return { status: TOO_MANY_REQUESTS };
  // delay-seconds is a whole number: round up so a client that obeys is not early.
  return { status: TOO_MANY_REQUESTS, headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) } };
}

/** Counts attempts per window aligned at 0. */
class WindowCounter {
  private window = -1;
  count = 0;

  constructor(readonly windowMs: number) {}

  at(now: number): this {
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    return this;
  }

  msUntilNextWindow(now: number): number {
    return (Math.floor(now / this.windowMs) + 1) * this.windowMs - now;
  }
}

function fixedWindow(limit: Extract<RateLimit, { kind: 'fixed-window' }>): RateLimiter {
  const counter = new WindowCounter(limit.windowMs);
  return {
    admit(now) {
      if (counter.at(now).count >= limit.limit) return tooManyRequests(limit.sendRetryAfter, counter.msUntilNextWindow(now));
      counter.count++;
      return undefined;
    },
  };
}

function windowHead(limit: Extract<RateLimit, { kind: 'window-head' }>): RateLimiter {
  const counter = new WindowCounter(limit.windowMs);
  return {
    admit(now) {
      const rejected = counter.at(now).count < limit.rejectFirst;
      counter.count++;
      // When the head of the window will be used up is unknown, so no Retry-After is sent.
      return rejected ? { status: TOO_MANY_REQUESTS } : undefined;
    },
  };
}

/** The engine's token bucket, on the server's side of the wire. */
function tokenBucket(limit: Extract<RateLimit, { kind: 'token-bucket' }>): RateLimiter {
  let at = 0;
  const bucket = new TokenBucket({ ratePerSecond: limit.ratePerSecond, burst: limit.burst }, () => at);
  return {
    admit(now) {
      at = now;
      return bucket.tryTake() ? undefined : tooManyRequests(limit.sendRetryAfter, bucket.msUntilAvailable());
    },
  };
}

export function rateLimiterFor(limit: RateLimit): RateLimiter {
  switch (limit.kind) {
    case 'fixed-window':
      return fixedWindow(limit);
    case 'window-head':
      return windowHead(limit);
    case 'token-bucket':
      return tokenBucket(limit);
  }
}
