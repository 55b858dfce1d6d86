/** The built-in scenarios `retrylint lab simulate --scenario` knows by name. */
import type { Scenario, ServerModel, TokenCostModel } from './scenario.js';

/** A chat completion of 2,000 input and 500 output tokens at gpt-4o list prices (USD per million). */
const CHAT_TOKENS: TokenCostModel = {
  inputTokens: 2_000,
  outputTokens: 500,
  usdPerMillionInput: 2.5,
  usdPerMillionOutput: 10,
  billRejected: false,
  billErrors: false,
};

/** Model latency: median 250 ms, a long tail to 1.2 s at P99 (the article's no-retry P99). */
const MODEL_SERVER: ServerModel = {
  latency: { kind: 'lognormal', medianMs: 250, p99Ms: 1_200 },
  rejectLatencyMs: 20,
  rateLimits: [],
  errorRate: 0,
  errorStatus: 500,
  errorBursts: [],
  outages: [],
};

export const BUILT_IN_SCENARIOS: readonly Scenario[] = [
  {
    name: 'article-rate-limit',
    description:
      "The article's benchmark: 10,000 requests at 6 per second; the first 100 requests of each minute are answered 429 without Retry-After.",
    requests: 10_000,
    clients: 1,
    arrival: { kind: 'poisson', ratePerSecond: 6 },
    server: { ...MODEL_SERVER, rateLimits: [{ kind: 'window-head', windowMs: 60_000, rejectFirst: 100 }] },
    // The article counts tokens on rejected attempts as waste, so this scenario bills them.
    tokens: { ...CHAT_TOKENS, billRejected: true },
    peakWindowMs: 1_000,
  },
  {
    name: 'fixed-window',
    description: 'A quota of 300 requests per minute against 6 requests per second; over quota, 429 with Retry-After until the minute ends.',
    requests: 10_000,
    clients: 1,
    arrival: { kind: 'poisson', ratePerSecond: 6 },
    server: { ...MODEL_SERVER, rateLimits: [{ kind: 'fixed-window', windowMs: 60_000, limit: 300, sendRetryAfter: true }] },
    tokens: CHAT_TOKENS,
    peakWindowMs: 1_000,
  },
  {
    name: 'thundering-herd',
    description:
      '5,000 clients, one request each, 500 per second; answers take about 2 s; the server restarts at 4 s and is down for 2 s, so about 1,000 requests in flight fail at the same instant.',
    requests: 5_000,
    clients: 5_000,
    arrival: { kind: 'uniform', ratePerSecond: 500 },
    server: {
      ...MODEL_SERVER,
      latency: { kind: 'lognormal', medianMs: 2_000, p99Ms: 4_000 },
      capacity: { concurrency: 2_000, queueLimit: 500 },
      outages: [{ fromMs: 4_000, toMs: 6_000, status: 503 }],
    },
    tokens: CHAT_TOKENS,
    peakWindowMs: 100,
  },
  {
    name: 'flaky-5xx',
    description: '10,000 requests at 20 per second; 2% of answers are 500, and 5xx bursts (503 for 80% of answers) from 60 s to 90 s and 300 s to 320 s.',
    requests: 10_000,
    clients: 1,
    arrival: { kind: 'poisson', ratePerSecond: 20 },
    server: {
      ...MODEL_SERVER,
      errorRate: 0.02,
      errorBursts: [
        { fromMs: 60_000, toMs: 90_000, status: 503, probability: 0.8 },
        { fromMs: 300_000, toMs: 320_000, status: 503, probability: 0.8 },
      ],
    },
    tokens: { ...CHAT_TOKENS, billErrors: true },
    peakWindowMs: 1_000,
  },
  {
    name: 'overloaded',
    description:
      '10,000 requests at 45 per second against 40 workers of about 1 s each (40 per second); a queue of 200, 503 beyond it; attempts time out after 10 s.',
    requests: 10_000,
    clients: 1,
    arrival: { kind: 'poisson', ratePerSecond: 45 },
    server: {
      ...MODEL_SERVER,
      latency: { kind: 'lognormal', medianMs: 900, p99Ms: 2_500 },
      capacity: { concurrency: 40, queueLimit: 200 },
    },
    tokens: CHAT_TOKENS,
    attemptTimeoutMs: 10_000,
    peakWindowMs: 1_000,
  },
  {
    name: 'streaming',
    description: '5,000 streamed completions at 10 per second, first chunk after about 400 ms, 8 s to the end; 5% of streams break after the first chunk.',
    requests: 5_000,
    clients: 1,
    arrival: { kind: 'poisson', ratePerSecond: 10 },
    server: {
      ...MODEL_SERVER,
      latency: { kind: 'lognormal', medianMs: 8_000, p99Ms: 20_000 },
      streaming: { firstChunk: { kind: 'lognormal', medianMs: 400, p99Ms: 1_500 }, breakProbability: 0.05 },
    },
    tokens: CHAT_TOKENS,
    peakWindowMs: 1_000,
  },
];

export const BUILT_IN_SCENARIO_NAMES: readonly string[] = BUILT_IN_SCENARIOS.map((scenario) => scenario.name);

export function builtInScenario(name: string): Scenario | undefined {
  return BUILT_IN_SCENARIOS.find((scenario) => scenario.name === name);
}
