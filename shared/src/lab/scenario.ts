/**
 * A Retry Lab scenario: who sends requests, when, and how the server answers them. Every
 * duration is in virtual milliseconds; nothing here reads a clock.
 */

/** How long the server takes to answer an accepted attempt. */
export type LatencyDistribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Log-normal, given by its median and 99th percentile (the long tail of model latency). */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly p99Ms: number };

/** When the requests arrive (each request is one caller waiting for one result). */
export type ArrivalProcess =
  /** Evenly spaced. */
  | { readonly kind: 'uniform'; readonly ratePerSecond: number }
  /** Exponential gaps with this mean rate. */
  | { readonly kind: 'poisson'; readonly ratePerSecond: number }
  /** Every request within `spreadMs` of the start, evenly spaced (0: all at once). */
  | { readonly kind: 'burst'; readonly spreadMs: number };

/** A rate limit answers 429 at the door, optionally with a Retry-After header. */
export type RateLimit =
  /** The first `limit` attempts of each window are served, the rest get 429 until the window ends. */
  | { readonly kind: 'fixed-window'; readonly windowMs: number; readonly limit: number; readonly sendRetryAfter: boolean }
  /** The article's limiter: the first `rejectFirst` attempts of each window get 429 (no Retry-After), the rest are served. */
  | { readonly kind: 'window-head'; readonly windowMs: number; readonly rejectFirst: number }
  /** A bucket of `burst` tokens refilled at `ratePerSecond`: each attempt served takes one; an empty bucket answers 429. */
  | { readonly kind: 'token-bucket'; readonly ratePerSecond: number; readonly burst: number; readonly sendRetryAfter: boolean };

/** Attempts beyond `concurrency` wait in a FIFO queue; beyond `queueLimit` waiting, 503 at the door. */
export interface ServerCapacity {
  readonly concurrency: number;
  readonly queueLimit: number;
}

/** Attempts that finish inside the window fail with `status`, each with this probability. */
export interface ErrorBurst {
  readonly fromMs: number;
  readonly toMs: number;
  readonly status: number;
  readonly probability: number;
}

/**
 * The server is down from `fromMs` to `toMs`: every attempt in flight at `fromMs` fails at
 * that instant, and new attempts get `status` at the door. This is how many clients come
 * to fail at once.
 */
export interface Outage {
  readonly fromMs: number;
  readonly toMs: number;
  readonly status: number;
}

/** Streamed answers: a first chunk, then the rest; a stream may break between the two. */
export interface StreamingModel {
  readonly firstChunk: LatencyDistribution;
  /** Probability that an accepted stream breaks after its first chunk. */
  readonly breakProbability: number;
}

export interface ServerModel {
  readonly latency: LatencyDistribution;
  /** How fast a rejection at the door (429, 503) comes back. */
  readonly rejectLatencyMs: number;
  readonly rateLimits: readonly RateLimit[];
  readonly capacity?: ServerCapacity;
  /** Probability that any accepted attempt fails with `errorStatus`. */
  readonly errorRate: number;
  readonly errorStatus: number;
  readonly errorBursts: readonly ErrorBurst[];
  readonly outages: readonly Outage[];
  readonly streaming?: StreamingModel;
}

/**
 * What an attempt costs. An attempt the server processed is billed input and output tokens
 * whether the client used the answer or not (a timed-out attempt was still computed); a
 * broken stream is billed the output streamed before the break.
 */
export interface TokenCostModel {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usdPerMillionInput: number;
  readonly usdPerMillionOutput: number;
  /** Bill the input tokens of attempts rejected at the door (429/503). Real providers do not. */
  readonly billRejected: boolean;
  /** Bill the input tokens of attempts that end in a server error (5xx after processing). */
  readonly billErrors: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly requests: number;
  /** Requests are dealt to clients in turn; each client has its own guards (token bucket, breaker, budget). */
  readonly clients: number;
  readonly arrival: ArrivalProcess;
  readonly server: ServerModel;
  readonly tokens: TokenCostModel;
  /** When set, every policy's per-attempt timeout is at most this. */
  readonly attemptTimeoutMs?: number;
  /** Width of the windows in which peak load at the server is counted. */
  readonly peakWindowMs: number;
}
