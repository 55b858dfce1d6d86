/**
 * The simulated server: rate limits and outages at the door, a FIFO queue in front of a
 * fixed number of workers, latency, 5xx, and streams that break. It bills every attempt to
 * the token ledger and tells the simulation when an answer leaves it.
 */
import type { RandomSource } from '../schedule.js';
import { drawLatencyMs } from './draws.js';
import type { Outage, ServerModel } from './scenario.js';
import type { TokenLedger } from './token-ledger.js';
import { rateLimiterFor, type RateLimiter } from './rate-limiters.js';

export const OK_STATUS = 200;
const SERVICE_UNAVAILABLE = 503;

export interface ServerAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A stream that broke after its first chunk had arrived: no result. */
  readonly brokenStream?: boolean;
}

/** One attempt as both sides see it. */
export interface ServerAttempt {
  /** Set by the client when it stops waiting; the server still finishes what it started. */
  abandoned: boolean;
  /** Set by the server once it has answered. */
  answered: boolean;
}

export interface ServerEvents<A extends ServerAttempt> {
  /** The answer reaches the client at `time`. */
  answer(attempt: A, time: number, answer: ServerAnswer): void;
  /** The server finishes work at `time` (`finish` must be called then). */
  workDone(attempt: A, time: number): void;
}

interface Work {
  readonly latencyMs: number;
  readonly firstChunkMs: number;
  /** Share of the output streamed before a break, or undefined when the stream does not break. */
  readonly breakAtShare: number | undefined;
  readonly startedAt: number;
}

export class SimulatedServer<A extends ServerAttempt> {
  private readonly limiters: readonly RateLimiter[];
  private readonly queue: A[] = [];
  private queueHead = 0;
  private liveQueued = 0;
  private busy = 0;
  private readonly inFlight = new Map<A, Work>();

  constructor(
    private readonly model: ServerModel,
    private readonly random: RandomSource,
    private readonly ledger: TokenLedger,
    private readonly events: ServerEvents<A>,
  ) {
    this.limiters = model.rateLimits.map(rateLimiterFor);
  }

  /** An attempt arrives at `now`. */
  receive(attempt: A, now: number): void {
    const outage = this.outageAt(now);
    if (outage) return this.reject(attempt, now, { status: outage.status });
    for (const limiter of this.limiters) {
      const rejection = limiter.admit(now);
      if (rejection) return this.reject(attempt, now, rejection);
    }
    const capacity = this.model.capacity;
    if (!capacity || this.busy < capacity.concurrency) return this.start(attempt, now);
    if (this.liveQueued >= capacity.queueLimit) return this.reject(attempt, now, { status: SERVICE_UNAVAILABLE });
    this.queue.push(attempt);
    this.liveQueued++;
  }

  /** The client gave up on a queued attempt: it leaves the queue unserved. */
  abandonQueued(attempt: A): void {
    if (!this.inFlight.has(attempt) && !attempt.answered) this.liveQueued--;
  }

  /** Called at the time `workDone` named. */
  finish(attempt: A, now: number): void {
    const work = this.inFlight.get(attempt);
    // An outage may have ended the work already.
    if (!work) return;
    this.inFlight.delete(attempt);
    this.busy--;
    const answer = this.outcome(attempt, work, now);
    this.startQueued(now);
    if (!attempt.abandoned) this.events.answer(attempt, now, answer);
    attempt.answered = true;
  }

  /** When the first byte (a stream's first chunk, else the whole answer) leaves; undefined while queued. */
  firstByteAt(attempt: A): number | undefined {
    const work = this.inFlight.get(attempt);
    return work ? work.startedAt + work.firstChunkMs : undefined;
  }

  /** Every attempt in flight or queued fails at once with the outage's status. */
  startOutage(outage: Outage, now: number): void {
    for (const attempt of [...this.inFlight.keys()]) {
      this.inFlight.delete(attempt);
      this.busy--;
      this.ledger.billServerError();
      this.answerNow(attempt, now, { status: outage.status });
    }
    for (let index = this.queueHead; index < this.queue.length; index++) {
      const queued = this.queue[index];
      if (!queued.abandoned) this.answerNow(queued, now, { status: outage.status });
    }
    this.queue.length = 0;
    this.queueHead = 0;
    this.liveQueued = 0;
  }

  private outageAt(now: number): Outage | undefined {
    return this.model.outages.find((outage) => now >= outage.fromMs && now < outage.toMs);
  }

  private reject(attempt: A, now: number, answer: ServerAnswer): void {
    this.ledger.billRejected();
    attempt.answered = true;
    this.events.answer(attempt, now + this.model.rejectLatencyMs, answer);
  }

  private answerNow(attempt: A, now: number, answer: ServerAnswer): void {
    attempt.answered = true;
    if (!attempt.abandoned) this.events.answer(attempt, now, answer);
  }

  private start(attempt: A, now: number): void {
    const latencyMs = drawLatencyMs(this.model.latency, this.random);
    const streaming = this.model.streaming;
    const firstChunkMs = streaming ? Math.min(latencyMs, drawLatencyMs(streaming.firstChunk, this.random)) : latencyMs;
    const breakAtShare = streaming && this.random() < streaming.breakProbability ? this.random() : undefined;
    const work: Work = { latencyMs, firstChunkMs, breakAtShare, startedAt: now };
    this.inFlight.set(attempt, work);
    this.busy++;
    this.events.workDone(attempt, now + Math.min(latencyMs, this.breakTimeMs(work)));
  }

  private startQueued(now: number): void {
    const capacity = this.model.capacity;
    while (capacity && this.busy < capacity.concurrency && this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++];
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (next.abandoned) continue;
      this.liveQueued--;
      this.start(next, now);
    }
  }

  /** When a breaking stream breaks, relative to its start: between the first chunk and the end. */
  private breakTimeMs(work: Work): number {
    if (work.breakAtShare === undefined) return Infinity;
    return work.firstChunkMs + work.breakAtShare * (work.latencyMs - work.firstChunkMs);
  }

  private outcome(attempt: A, work: Work, now: number): ServerAnswer {
    if (work.breakAtShare !== undefined) {
      this.ledger.billBrokenStream(work.breakAtShare);
      return { status: OK_STATUS, brokenStream: true };
    }
    const burst = this.model.errorBursts.find((candidate) => now >= candidate.fromMs && now < candidate.toMs);
    if (burst && this.random() < burst.probability) {
      this.ledger.billServerError();
      return { status: burst.status };
    }
    if (this.model.errorRate > 0 && this.random() < this.model.errorRate) {
      this.ledger.billServerError();
      return { status: this.model.errorStatus };
    }
    this.ledger.billCompleted(!attempt.abandoned);
    return { status: OK_STATUS };
  }
}
