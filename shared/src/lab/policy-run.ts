/**
 * One policy through one scenario, in virtual time: requests arrive, each client sends
 * attempts, sleeps what schedule.ts draws (or what Retry-After asks), and asks its guards
 * before retrying and before sending. Only requests in flight are held in memory; results
 * are folded into fixed-size counters as requests finish.
 */
import { decideRetryAfter } from '../retry-after.js';
import { sampleDelayMs, seededRandom, type RandomSource } from '../schedule.js';
import { admitThrough, recordOutcome, retryAllowedBy, type ClientGuard, type ClientGuardFactory, type FailureCause } from './client-guard.js';
import { drawExponentialGapMs } from './draws.js';
import { EventQueue } from './event-queue.js';
import { LatencyHistogram } from './latency-histogram.js';
import { LoadSeries, PeakCounter } from './load-series.js';
import type { Scenario } from './scenario.js';
import { OK_STATUS, SimulatedServer, type ServerAnswer, type ServerAttempt } from './server.js';
import type { SimPolicy } from './sim-policy.js';
import { TokenLedger } from './token-ledger.js';

export type FailureReason =
  | 'not-retryable'
  | 'attempts-exhausted'
  | 'retry-after-too-long'
  | 'retry-budget-empty'
  | 'refused-by-guard'
  | 'stream-broken'
  | 'deadline';

export const FAILURE_REASONS: readonly FailureReason[] = [
  'not-retryable',
  'attempts-exhausted',
  'retry-after-too-long',
  'retry-budget-empty',
  'refused-by-guard',
  'stream-broken',
  'deadline',
];

interface Request {
  readonly arrivedAt: number;
  /** When the policy's deadline ends the request (Infinity: never). */
  readonly deadlineAt: number;
  readonly client: number;
  readonly guards: readonly ClientGuard[];
  attempts: number;
  previousSleepMs: number | undefined;
}

interface Attempt extends ServerAttempt {
  readonly request: Request;
}

type Event =
  | { readonly time: number; readonly type: 'arrival' }
  | { readonly time: number; readonly type: 'send'; readonly request: Request }
  | { readonly time: number; readonly type: 'answer'; readonly attempt: Attempt; readonly answer: ServerAnswer }
  | { readonly time: number; readonly type: 'work-done'; readonly attempt: Attempt }
  | { readonly time: number; readonly type: 'timeout'; readonly attempt: Attempt }
  | { readonly time: number; readonly type: 'outage'; readonly index: number };

/** What one run measured, before it is shaped into a table row. */
export interface PolicyRunResult {
  readonly requests: number;
  readonly succeeded: number;
  readonly failures: Readonly<Record<FailureReason, number>>;
  readonly attempts: number;
  readonly timeouts: number;
  readonly latency: LatencyHistogram;
  readonly load: LoadSeries;
  readonly peakAttempts: number;
  readonly peakArrivals: number;
  readonly tokens: TokenLedger;
  /** The longest sleep schedule.ts drew (before any Retry-After). */
  readonly longestBackoffMs: number;
  /** Streams retried after their first chunk: the caller sees the start of the answer twice. */
  readonly retriedBrokenStreams: number;
  readonly durationMs: number;
}

export interface PolicyRunOptions<P extends SimPolicy> {
  readonly seed: number;
  readonly guards: ClientGuardFactory<P>;
}

/** Independent streams, so that every policy sees the same arrivals. */
const SERVER_STREAM = 0x9e3779b9;
const CLIENT_STREAM = 0x85ebca6b;

const NO_GUARDS: readonly ClientGuard[] = [];

function expectedDurationMs(scenario: Scenario): number {
  const arrival = scenario.arrival;
  if (arrival.kind === 'burst') return Math.max(arrival.spreadMs, 10_000);
  return (scenario.requests / arrival.ratePerSecond) * 1000;
}

export function runPolicy<P extends SimPolicy>(scenario: Scenario, policy: P, options: PolicyRunOptions<P>): PolicyRunResult {
  return new PolicyRun(scenario, policy, options).run();
}

class PolicyRun<P extends SimPolicy> {
  private readonly events = new EventQueue<Event>();
  private readonly arrivalRandom: RandomSource;
  private readonly clientRandom: RandomSource;
  private readonly server: SimulatedServer<Attempt>;
  private readonly clientGuards: (readonly ClientGuard[] | undefined)[] = [];
  /**
   * Per client, the requests a guard told to wait, first come first served: only the first
   * asks again, so a backlog costs one event per token rather than one per waiter per token.
   */
  private readonly waiting: (Request[] | undefined)[] = [];
  private readonly timeoutMs: number;
  private now = 0;
  private arrived = 0;
  private succeeded = 0;
  private readonly failures: Record<FailureReason, number> = Object.fromEntries(FAILURE_REASONS.map((reason) => [reason, 0])) as Record<FailureReason, number>;
  private attempts = 0;
  private timeouts = 0;
  private longestBackoffMs = 0;
  private retriedBrokenStreams = 0;
  private readonly latency = new LatencyHistogram();
  private readonly load: LoadSeries;
  private readonly peakAttempts: PeakCounter;
  private readonly peakArrivals: PeakCounter;
  private readonly tokens: TokenLedger;

  constructor(
    private readonly scenario: Scenario,
    private readonly policy: P,
    private readonly options: PolicyRunOptions<P>,
  ) {
    this.arrivalRandom = seededRandom(options.seed);
    this.clientRandom = seededRandom(options.seed + CLIENT_STREAM);
    this.tokens = new TokenLedger(scenario.tokens);
    this.server = new SimulatedServer<Attempt>(scenario.server, seededRandom(options.seed + SERVER_STREAM), this.tokens, {
      answer: (attempt, time, answer) => this.events.push({ time, type: 'answer', attempt, answer }),
      workDone: (attempt, time) => this.events.push({ time, type: 'work-done', attempt }),
    });
    this.timeoutMs = Math.min(policy.timeoutMs, scenario.attemptTimeoutMs ?? Infinity);
    this.load = new LoadSeries(expectedDurationMs(scenario));
    this.peakAttempts = new PeakCounter(scenario.peakWindowMs);
    this.peakArrivals = new PeakCounter(scenario.peakWindowMs);
  }

  run(): PolicyRunResult {
    this.scenario.server.outages.forEach((outage, index) => this.events.push({ time: outage.fromMs, type: 'outage', index }));
    if (this.scenario.requests > 0) this.events.push({ time: 0, type: 'arrival' });
    for (let event = this.events.pop(); event; event = this.events.pop()) {
      this.now = event.time;
      this.handle(event);
    }
    return {
      requests: this.arrived,
      succeeded: this.succeeded,
      failures: this.failures,
      attempts: this.attempts,
      timeouts: this.timeouts,
      latency: this.latency,
      load: this.load,
      peakAttempts: this.peakAttempts.peak,
      peakArrivals: this.peakArrivals.peak,
      tokens: this.tokens,
      longestBackoffMs: this.longestBackoffMs,
      retriedBrokenStreams: this.retriedBrokenStreams,
      durationMs: this.now,
    };
  }

  private handle(event: Event): void {
    switch (event.type) {
      case 'arrival':
        return this.arrive();
      case 'send':
        return this.send(event.request);
      case 'answer':
        return this.receive(event.attempt, event.answer);
      case 'work-done':
        return this.server.finish(event.attempt, this.now);
      case 'timeout':
        return this.timeOut(event.attempt);
      case 'outage':
        return this.server.startOutage(this.scenario.server.outages[event.index], this.now);
    }
  }

  private arrive(): void {
    const index = this.arrived++;
    this.peakArrivals.record(this.now);
    const client = index % this.scenario.clients;
    const request: Request = { arrivedAt: this.now, deadlineAt: this.now + (this.policy.deadlineMs ?? Infinity), client, guards: this.guardsOf(client), attempts: 0, previousSleepMs: undefined };
    if (this.arrived < this.scenario.requests) this.events.push({ time: this.nextArrivalTime(), type: 'arrival' });
    this.send(request);
  }

  private nextArrivalTime(): number {
    const arrival = this.scenario.arrival;
    switch (arrival.kind) {
      case 'uniform':
        return (this.arrived * 1000) / arrival.ratePerSecond;
      case 'poisson':
        return this.now + drawExponentialGapMs(arrival.ratePerSecond, this.arrivalRandom);
      case 'burst':
        return (this.arrived * arrival.spreadMs) / this.scenario.requests;
    }
  }

  private guardsOf(client: number): readonly ClientGuard[] {
    let guards = this.clientGuards[client];
    if (!guards) {
      const built = this.options.guards(this.policy, () => this.now);
      guards = built.length === 0 ? NO_GUARDS : built;
      this.clientGuards[client] = guards;
    }
    return guards;
  }

  private send(request: Request): void {
    const queue = this.waiting[request.client];
    if (queue && queue.length > 0 && queue[0] !== request) {
      queue.push(request);
      return;
    }
    const verdict = admitThrough(request.guards);
    // As the engine does, give up at once when the token would come after the deadline.
    if (verdict.kind === 'wait' && this.now + verdict.ms >= request.deadlineAt) {
      this.wakeNextWaiter(request);
      return this.fail(request, 'deadline', Math.min(this.now, request.deadlineAt));
    }
    if (verdict.kind === 'wait') {
      if (!queue) this.waiting[request.client] = [request];
      else if (queue.length === 0) queue.push(request);
      this.events.push({ time: this.now + verdict.ms, type: 'send', request });
      return;
    }
    this.wakeNextWaiter(request);
    if (verdict.kind === 'refuse') return this.fail(request, 'refused-by-guard');
    const isRetry = request.attempts > 0;
    request.attempts++;
    this.attempts++;
    this.load.record(this.now, isRetry);
    this.peakAttempts.record(this.now);
    const attempt: Attempt = { request, abandoned: false, answered: false };
    this.server.receive(attempt, this.now);
    const timeoutAt = Math.min(this.now + this.timeoutMs, request.deadlineAt);
    if (this.mayTimeOut(attempt, timeoutAt)) this.events.push({ time: timeoutAt, type: 'timeout', attempt });
  }

  /** The request leaves the head of its client's waiting line: the next one asks now. */
  private wakeNextWaiter(request: Request): void {
    const queue = this.waiting[request.client];
    if (queue?.[0] !== request) return;
    queue.shift();
    if (queue.length > 0) this.events.push({ time: this.now, type: 'send', request: queue[0] });
  }

  /** Only attempts still queued, or whose first byte comes after the timeout, need a timeout event. */
  private mayTimeOut(attempt: Attempt, timeoutAt: number): boolean {
    if (timeoutAt === Infinity || attempt.answered) return false;
    const firstByteAt = this.server.firstByteAt(attempt);
    return firstByteAt === undefined || firstByteAt >= timeoutAt;
  }

  private receive(attempt: Attempt, answer: ServerAnswer): void {
    if (attempt.abandoned) return;
    const request = attempt.request;
    // A rejection sent back just before the deadline arrives after it: the engine has given up by then.
    if (this.now > request.deadlineAt) {
      recordOutcome(request.guards, { kind: 'deadline' });
      return this.fail(request, 'deadline', request.deadlineAt);
    }
    if (answer.status === OK_STATUS && !answer.brokenStream) {
      recordOutcome(request.guards, { kind: 'success' });
      return this.succeed(request);
    }
    recordOutcome(request.guards, answer.brokenStream ? { kind: 'stream-cut' } : { kind: 'http-error', status: answer.status });
    if (answer.brokenStream) {
      if (this.policy.retryBeforeFirstChunkOnly) return this.fail(request, 'stream-broken');
      return this.retry(request, 'error', answer);
    }
    if (!this.policy.retryableStatuses.includes(answer.status)) return this.fail(request, 'not-retryable');
    this.retry(request, 'error', answer);
  }

  private timeOut(attempt: Attempt): void {
    if (attempt.answered) return;
    // A stream whose first chunk has arrived is no longer waiting for a first byte.
    const firstByteAt = this.server.firstByteAt(attempt);
    if (firstByteAt !== undefined && firstByteAt <= this.now) return;
    attempt.abandoned = true;
    this.server.abandonQueued(attempt);
    const request = attempt.request;
    if (this.now >= request.deadlineAt) {
      recordOutcome(request.guards, { kind: 'deadline' });
      return this.fail(request, 'deadline');
    }
    this.timeouts++;
    recordOutcome(request.guards, { kind: 'timeout' });
    if (!this.policy.retryTimeouts) return this.fail(request, 'not-retryable');
    this.retry(request, 'timeout', undefined);
  }

  private retry(request: Request, cause: FailureCause, answer: ServerAnswer | undefined): void {
    if (request.attempts >= this.policy.maxAttempts) return this.fail(request, 'attempts-exhausted');
    const backoffMs = sampleDelayMs(this.policy.backoff, request.attempts, this.clientRandom, request.previousSleepMs);
    let sleepMs = backoffMs;
    if (this.policy.honourRetryAfter && answer?.headers) {
      const decision = decideRetryAfter(answer.headers, { maxRetryAfterMs: this.policy.maxRetryAfterMs, nowMs: this.now });
      if (decision.action === 'give-up') return this.fail(request, 'retry-after-too-long');
      if (decision.action === 'wait') sleepMs = Math.max(backoffMs, decision.ms);
    }
    // As in the engine, the budget pays only for a retry the policy would make, and the deadline is checked last.
    if (!retryAllowedBy(request.guards, cause)) return this.fail(request, 'retry-budget-empty');
    if (this.now + sleepMs >= request.deadlineAt) return this.fail(request, 'deadline');
    request.previousSleepMs = backoffMs;
    if (backoffMs > this.longestBackoffMs) this.longestBackoffMs = backoffMs;
    if (answer?.brokenStream) this.retriedBrokenStreams++;
    this.events.push({ time: this.now + sleepMs, type: 'send', request });
  }

  private succeed(request: Request): void {
    this.succeeded++;
    this.latency.record(this.now - request.arrivedAt);
  }

  private fail(request: Request, reason: FailureReason, endedAt = this.now): void {
    this.failures[reason]++;
    this.latency.record(endedAt - request.arrivedAt);
  }
}
