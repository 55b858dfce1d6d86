/**
 * The simulated client and the retry engine, given the same policy and the same server, make
 * the same decisions: the engine runs here for real, over a transport that plays the
 * simulated server's part and a clock that only moves when every call is waiting.
 */
import {
  RetryEngine,
  RetryGiveUpError,
  resolvePolicy,
  simPolicyFromPolicy,
  simulate,
  type EngineClock,
  type Policy,
  type Transport,
} from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { scenario, server } from './lab-builders.js';

interface Timer {
  readonly at: number;
  readonly resolve: () => void;
}

/** Virtual time for the engine: `run` fires the earliest sleep whenever nothing else can run. */
class VirtualClock implements EngineClock {
  private time = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.time + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < 10_000; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      const next = this.timers.reduce<Timer | undefined>((earliest, timer) => (!earliest || timer.at < earliest.at ? timer : earliest), undefined);
      if (!next) throw new Error('the engine waits for nothing');
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    throw new Error('the engine did not finish');
  }

  advanceTo(time: number): void {
    this.time = Math.max(this.time, time);
  }
}

const REJECT_MS = 20;
const ANSWER_MS = 100;

interface Outage {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The simulated server's part: 503 at the door during an outage, else 200 after 100 ms. */
function serverWithOutages(clock: VirtualClock, outages: readonly Outage[]): Transport {
  return {
    async send(request) {
      const down = outages.some((outage) => clock.now() >= outage.fromMs && clock.now() < outage.toMs);
      await clock.sleep(down ? REJECT_MS : ANSWER_MS, request.signal);
      return { status: down ? 503 : 200, headers: {}, body: (async function* () {})() };
    },
  };
}

const REASONS = {
  'attempts-exhausted': 'attempts-exhausted',
  'circuit-open': 'refused-by-guard',
  'retry-budget-exhausted': 'retry-budget-empty',
} as const;

/** Requests one at a time, `gapMs` apart, through one engine (one simulated client). */
async function engineRun(policy: Policy, requests: number, gapMs: number, outages: readonly Outage[]) {
  const clock = new VirtualClock();
  const engine = new RetryEngine({ policy, transport: serverWithOutages(clock, outages), clock, random: () => 0.5 });
  let attempts = 0;
  let succeeded = 0;
  const failures: Record<string, number> = {};
  for (let index = 0; index < requests; index++) {
    clock.advanceTo(index * gapMs);
    try {
      const result = await clock.run(engine.call({ url: 'http://127.0.0.1/v1', body: {} }));
      attempts += result.attempts.length;
      succeeded++;
    } catch (error) {
      if (!(error instanceof RetryGiveUpError)) throw error;
      attempts += error.attempts.length;
      const reason = REASONS[error.reason as keyof typeof REASONS] ?? error.reason;
      failures[reason] = (failures[reason] ?? 0) + 1;
    }
  }
  return { attempts, succeeded, failures };
}

function simulatedRun(policy: Policy, requests: number, gapMs: number, outages: readonly Outage[]) {
  const down = scenario({
    requests,
    arrival: { kind: 'uniform', ratePerSecond: 1000 / gapMs },
    server: server({ latency: { kind: 'fixed', ms: ANSWER_MS }, rejectLatencyMs: REJECT_MS, outages: outages.map((outage) => ({ ...outage, status: 503 })) }),
  });
  const [row] = simulate(down, [simPolicyFromPolicy('policy', policy)]).rows;
  const failures = Object.fromEntries(Object.entries(row.failures).filter(([, count]) => count > 0));
  return { attempts: row.attempts, succeeded: row.succeeded, failures };
}

describe('the simulated client decides as the retry engine does', () => {
  const constant = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000, jitter: 'none' } as const;

  it('with a circuit breaker: the same calls tried, refused and served around an outage', async () => {
    const policy = resolvePolicy('rate-limit-window', { ...constant, circuitBreaker: { failureThreshold: 4, openMs: 12_000, halfOpenProbes: 1 } });
    const outages = [{ fromMs: 0, toMs: 40_000 }];
    const engine = await engineRun(policy, 20, 5000, outages);
    expect(engine.failures['refused-by-guard']).toBeGreaterThan(0);
    expect(engine.succeeded).toBeGreaterThan(0);
    expect(simulatedRun(policy, 20, 5000, outages)).toEqual(engine);
  });

  it('with a retry budget: the same retries paid for, refused once it is empty, and refilled by successes', async () => {
    const policy = resolvePolicy('rate-limit-window', { ...constant, retryBudget: { capacity: 12, retryCost: 4, timeoutCost: 8, successRefund: 4 } });
    // Down, up long enough for the successes to refill the budget, then down again.
    const outages = [
      { fromMs: 0, toMs: 20_000 },
      { fromMs: 50_000, toMs: 80_000 },
    ];
    const engine = await engineRun(policy, 24, 5000, outages);
    expect(engine.failures['retry-budget-empty']).toBeGreaterThan(0);
    expect(simulatedRun(policy, 24, 5000, outages)).toEqual(engine);
  });

  it('with a token bucket and no guard at all', async () => {
    const paced = resolvePolicy('rate-limit-window', { ...constant, tokenBucket: { ratePerSecond: 0.5, burst: 1 } });
    const bare = resolvePolicy('rate-limit-window', constant);
    const outages = [{ fromMs: 0, toMs: 20_000 }];
    for (const policy of [paced, bare]) expect(simulatedRun(policy, 10, 8000, outages)).toEqual(await engineRun(policy, 10, 8000, outages));
  });
});
