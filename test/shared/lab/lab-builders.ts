/** Small scenarios and policies for checking the simulator by hand. */
import type { BackoffParams, Scenario, ServerModel, SimPolicy } from '@retrylint/shared';

export function server(overrides: Partial<ServerModel> = {}): ServerModel {
  return {
    latency: { kind: 'fixed', ms: 100 },
    rejectLatencyMs: 20,
    rateLimits: [],
    errorRate: 0,
    errorStatus: 500,
    errorBursts: [],
    outages: [],
    ...overrides,
  };
}

export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'hand',
    description: 'checked by hand',
    requests: 3,
    clients: 1,
    arrival: { kind: 'uniform', ratePerSecond: 1 },
    server: server(),
    tokens: { inputTokens: 10, outputTokens: 5, usdPerMillionInput: 1, usdPerMillionOutput: 2, billRejected: true, billErrors: false },
    peakWindowMs: 1000,
    ...overrides,
  };
}

export function policy(name: string, backoff: BackoffParams, overrides: Partial<SimPolicy> = {}): SimPolicy {
  return {
    name,
    backoff,
    maxAttempts: 3,
    retryableStatuses: [429, 500, 502, 503, 504],
    retryTimeouts: true,
    honourRetryAfter: false,
    maxRetryAfterMs: 120_000,
    timeoutMs: 60_000,
    retryBeforeFirstChunkOnly: false,
    ...overrides,
  };
}

export const CONSTANT_1S: BackoffParams = { strategy: 'constant', baseMs: 1000, jitter: 'none' };
