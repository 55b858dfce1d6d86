/**
 * The runtime twin of the rules: performs one logical call under a policy, over an injected
 * transport and clock. Attempts and delays come from schedule.ts, Retry-After from
 * retry-after.ts, what is permanent from permanent-failures.ts, so the engine does what the
 * linter asks code to do.
 */
import { DEFAULT_PERMANENT_ERROR_CODES } from '../permanent-failures.js';
import type { Policy } from '../policy/options.js';
import type { RandomSource } from '../schedule.js';
import { systemClock, type EngineClock } from './clock.js';
import type { AttemptDecision, AttemptEvent, AttemptOutcome, CallEndEvent, EngineEvent, StopReason, TokenUsage } from './events.js';
import { RetryGiveUpError } from './give-up-error.js';
import { guardsFromPolicy, type EngineGuards } from './guards.js';
import { addUsage, decidingHeaders, errorCodesOf, errorMessageOf, parseJson, usageOf } from './response-facts.js';
import { decideAfterFailure, type RetryDecision } from './retry-decision.js';
import { SSE_DONE, SseParser } from './sse.js';
import { TransportError, type Transport, type TransportResponse } from './transport.js';

export interface RetryEngineOptions {
  readonly policy: Policy;
  readonly transport: Transport;
  readonly clock?: EngineClock;
  /** Uniform in [0, 1), for jitter; Math.random by default (seededRandom in tests). */
  readonly random?: RandomSource;
  /** Per attempt; for streams, the longest wait for the next chunk. Default: the policy's maxTimeoutMs. */
  readonly attemptTimeoutMs?: number;
  /** For the whole call, waits included. Default: the policy's maxTotalMs. */
  readonly deadlineMs?: number;
  /** Error codes never retried (the no-retry-permanent-errors option). */
  readonly permanentErrorCodes?: readonly string[];
  /** Every event of every call. */
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface EngineRequest {
  readonly url: string;
  /** Default: POST with a body, GET without. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Read the response as server-sent events. Default: the JSON body has `stream: true`. */
  readonly stream?: boolean;
  /** Each stream event's data as it arrives (not `[DONE]`). */
  readonly onChunk?: (data: string, index: number) => void;
  readonly signal?: AbortSignal;
  /** This call's events. */
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface EngineResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body text; for a stream, the data events joined with newlines. */
  readonly text: string;
  /** The parsed body of a JSON response. */
  readonly json?: unknown;
  /** The data of each stream event, in order. */
  readonly chunks: readonly string[];
  /** Tokens over every attempt that reported them. */
  readonly usage?: TokenUsage;
  readonly attempts: readonly AttemptEvent[];
}

/** Error bodies are read this far for their code and message. */
const ERROR_BODY_LIMIT = 64 * 1024;

class CallbackError extends Error {}

interface AttemptReport {
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  readonly headers: TransportResponse['headers'];
  readonly text: string;
  readonly json?: unknown;
  readonly chunks: string[];
  readonly usage?: TokenUsage;
  readonly errorClass?: string;
  readonly errorMessage?: string;
  readonly errorCodes: readonly string[];
}

/** A timer on the engine's clock that can be cancelled or restarted. */
class ClockTimer {
  private cancel?: AbortController;

  constructor(
    private readonly clock: EngineClock,
    private readonly ms: number,
    private readonly onFire: () => void,
  ) {
    this.restart();
  }

  restart(): void {
    this.stop();
    if (this.ms === Infinity) return;
    const cancel = new AbortController();
    this.cancel = cancel;
    this.clock.sleep(this.ms, cancel.signal).then(
      () => {
        if (!cancel.signal.aborted) this.onFire();
      },
      () => undefined,
    );
  }

  stop(): void {
    this.cancel?.abort();
    this.cancel = undefined;
  }
}

function methodOf(request: EngineRequest): string {
  return request.method ?? (request.body === undefined ? 'GET' : 'POST');
}

function isStreamRequest(request: EngineRequest): boolean {
  if (request.stream !== undefined) return request.stream;
  const body = request.body;
  return typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
}

function plainHeaders(headers: TransportResponse['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return result;
}

function errorClassOf(error: unknown): string {
  if (error instanceof TransportError) return error.errorClass;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : typeof error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Upstream trouble that counts against the circuit: not a 4xx, which says nothing of its health. */
function isUpstreamFailure(report: AttemptReport): boolean {
  if (report.outcome === 'timeout' || report.outcome === 'network-error' || report.outcome === 'stream-cut') return true;
  return report.outcome === 'http-error' && report.status !== undefined && report.status >= 500;
}

export class RetryEngine {
  readonly policy: Policy;
  /** Shared by every call of this engine. */
  readonly guards: EngineGuards;
  private readonly clock: EngineClock;
  private readonly random: RandomSource;
  private readonly attemptTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly permanentErrorCodes: readonly string[];
  private nextCallId = 1;

  constructor(private readonly options: RetryEngineOptions) {
    this.policy = options.policy;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? options.policy.maxTimeoutMs;
    this.deadlineMs = options.deadlineMs ?? options.policy.maxTotalMs;
    this.permanentErrorCodes = options.permanentErrorCodes ?? DEFAULT_PERMANENT_ERROR_CODES;
    for (const [name, value] of [['attemptTimeoutMs', this.attemptTimeoutMs], ['deadlineMs', this.deadlineMs]] as const) {
      if (!(value > 0)) throw new RangeError(`${name} must be > 0, got ${value}`);
    }
    this.guards = guardsFromPolicy(options.policy, () => this.clock.now());
  }

  /** One logical call: resolves with the successful response, or rejects with a RetryGiveUpError. */
  async call(request: EngineRequest): Promise<EngineResult> {
    const callId = this.nextCallId++;
    const emit = (event: EngineEvent) => {
      this.options.onEvent?.(event);
      request.onEvent?.(event);
    };
    const startedAt = this.clock.now();
    const deadline = new AbortController();
    const deadlineTimer = new ClockTimer(this.clock, this.deadlineMs, () => deadline.abort(new Error('deadline')));
    const callSignal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const attempts: AttemptEvent[] = [];
    let usage: TokenUsage | undefined;
    let previousDelayMs: number | undefined;
    let last: AttemptReport | undefined;

    const finish = (reason: StopReason, message: string): CallEndEvent => {
      deadlineTimer.stop();
      const event: CallEndEvent = {
        type: 'call-end',
        callId,
        ok: reason === 'success',
        reason,
        message,
        attempts: attempts.length,
        startedAt,
        durationMs: this.clock.now() - startedAt,
        ...(usage ? { usage } : {}),
      };
      emit(event);
      return event;
    };
    const giveUp = (reason: Exclude<StopReason, 'success'>, message: string): never => {
      finish(reason, message);
      throw new RetryGiveUpError(reason, message, attempts, { status: last?.status, body: last?.text, chunks: last?.chunks ?? [] }, usage);
    };
    const stoppedBySignal = (): 'cancelled' | 'deadline' | undefined => {
      if (request.signal?.aborted) return 'cancelled';
      if (deadline.signal.aborted) return 'deadline';
      return undefined;
    };

    // The deadline timer must not outlive the call, whatever ends it (an onEvent that throws too).
    try {
      for (let attempt = 1; ; attempt++) {
        const queued = await this.waitForToken(callSignal, startedAt);
        if (queued.stopped) {
          const reason = stoppedBySignal() ?? 'deadline';
          giveUp(reason, reason === 'cancelled' ? 'cancelled while waiting for the token bucket' : queued.message);
        }
        const breaker = this.guards.circuitBreaker;
        if (breaker && !breaker.tryAcquire()) {
          giveUp('circuit-open', `the circuit is ${breaker.state} after repeated failures; next probe in ${breaker.msUntilHalfOpen()} ms`);
        }

        const attemptStartedAt = this.clock.now();
        const report = await this.attempt(request, callSignal, stoppedBySignal);
        last = report;
        usage = addUsage(usage, report.usage);
        if (report.outcome === 'success') breaker?.recordSuccess();
        else if (isUpstreamFailure(report)) breaker?.recordFailure();
        else breaker?.recordNeutral();

        let decision: RetryDecision;
        if (report.outcome === 'success') {
          this.guards.retryBudget?.recordSuccess();
          decision = { action: 'stop', reason: 'success', message: `HTTP ${report.status}` };
        } else {
          decision = decideAfterFailure(
            { outcome: report.outcome, attempt, status: report.status, errorCodes: report.errorCodes, headers: report.headers, chunks: report.chunks.length },
            {
              policy: this.policy,
              permanentErrorCodes: this.permanentErrorCodes,
              nowMs: this.clock.now(),
              random: this.random,
              previousDelayMs,
            },
          );
          decision = this.applySharedLimits(decision, startedAt);
        }

        const event = this.attemptEvent(callId, attempt, attemptStartedAt, queued.ms, report, decision);
        attempts.push(event);
        emit(event);

        if (decision.action === 'stop') {
          if (decision.reason !== 'success') giveUp(decision.reason, decision.message);
          finish('success', decision.message);
          return {
            status: report.status ?? 0,
            headers: plainHeaders(report.headers),
            text: report.text,
            ...(report.json !== undefined ? { json: report.json } : {}),
            chunks: report.chunks,
            ...(usage ? { usage } : {}),
            attempts,
          };
        }
        try {
          await this.clock.sleep(decision.delayMs, callSignal);
        } catch {
          const reason = stoppedBySignal() ?? 'cancelled';
          giveUp(reason, reason === 'cancelled' ? 'cancelled during the backoff; a cancel is never retried' : 'the overall deadline passed during the backoff');
        }
        previousDelayMs = decision.delayMs;
      }
    } finally {
      deadlineTimer.stop();
    }
  }

  /** The retry budget and the deadline can turn a retry into a stop. */
  private applySharedLimits(decision: RetryDecision, startedAt: number): RetryDecision {
    if (decision.action === 'stop') return decision;
    // The deadline first: a retry that will not happen must not withdraw from the shared budget.
    const left = startedAt + this.deadlineMs - this.clock.now();
    if (decision.delayMs >= left) {
      return {
        action: 'stop',
        reason: 'deadline',
        message: `the next attempt would start after the deadline (${decision.delayMs} ms wait, ${Math.max(0, left)} ms left)`,
      };
    }
    const budget = this.guards.retryBudget;
    if (budget && !budget.tryWithdraw(decision.cause)) {
      return {
        action: 'stop',
        reason: 'retry-budget-exhausted',
        message: `the retry budget is exhausted (${budget.available} of ${budget.options.capacity} tokens left); failing fast`,
      };
    }
    return decision;
  }

  /** Waits for a token when the policy has a bucket; stops at the deadline or on cancel. */
  private async waitForToken(signal: AbortSignal, startedAt: number): Promise<{ ms: number; stopped: boolean; message: string }> {
    const bucket = this.guards.tokenBucket;
    const queuedFrom = this.clock.now();
    if (!bucket) return { ms: 0, stopped: false, message: '' };
    while (!bucket.tryTake()) {
      const wait = bucket.msUntilAvailable();
      if (this.clock.now() + wait >= startedAt + this.deadlineMs) {
        return { ms: this.clock.now() - queuedFrom, stopped: true, message: `the token bucket has no token before the deadline (${wait} ms away)` };
      }
      try {
        await this.clock.sleep(Math.max(1, wait), signal);
      } catch {
        return { ms: this.clock.now() - queuedFrom, stopped: true, message: 'the overall deadline passed while waiting for the token bucket' };
      }
    }
    return { ms: this.clock.now() - queuedFrom, stopped: false, message: '' };
  }

  private async attempt(
    request: EngineRequest,
    callSignal: AbortSignal,
    stoppedBySignal: () => 'cancelled' | 'deadline' | undefined,
  ): Promise<AttemptReport> {
    const timeout = new AbortController();
    const timer = new ClockTimer(this.clock, this.attemptTimeoutMs, () => timeout.abort(new Error('attempt timeout')));
    const signal = AbortSignal.any([callSignal, timeout.signal]);
    const stream = isStreamRequest(request);
    const chunks: string[] = [];
    let status: number | undefined;
    let headers: TransportResponse['headers'] = {};
    try {
      const body = request.body === undefined || typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      const requestHeaders: Record<string, string> = { ...(request.headers ?? {}) };
      if (body !== undefined && typeof request.body !== 'string' && !Object.keys(requestHeaders).some((name) => name.toLowerCase() === 'content-type')) {
        requestHeaders['content-type'] = 'application/json';
      }
      const response = await this.options.transport.send({
        method: methodOf(request),
        url: request.url,
        headers: requestHeaders,
        ...(body !== undefined ? { body } : {}),
        signal,
        timeoutMs: this.attemptTimeoutMs,
      });
      status = response.status;
      headers = response.headers;
      const ok = status >= 200 && status < 300;
      if (!ok) {
        const text = await readText(response.body, ERROR_BODY_LIMIT);
        const json = parseJson(text);
        const codes = errorCodesOf(json);
        return {
          outcome: 'http-error',
          status,
          headers,
          text,
          ...(json !== undefined ? { json } : {}),
          chunks,
          usage: usageOf(json),
          errorClass: codes[0] ?? `HTTP ${status}`,
          errorMessage: errorMessageOf(json),
          errorCodes: codes,
        };
      }
      if (!stream) {
        const text = await readText(response.body, Infinity);
        const json = parseJson(text);
        return { outcome: 'success', status, headers, text, ...(json !== undefined ? { json } : {}), chunks, usage: usageOf(json), errorCodes: [] };
      }
      return await this.readStream(request, response, chunks, () => timer.restart());
    } catch (error) {
      const stopped = stoppedBySignal();
      const outcome: AttemptOutcome =
        error instanceof CallbackError
          ? 'cancelled'
          : (stopped ?? (timeout.signal.aborted || (error instanceof TransportError && error.kind === 'timeout') ? 'timeout' : chunks.length > 0 ? 'stream-cut' : 'network-error'));
      return {
        outcome,
        status,
        headers,
        text: chunks.join('\n'),
        chunks,
        errorClass: outcome === 'timeout' && !(error instanceof TransportError) ? 'TimeoutError' : outcome === 'cancelled' && stopped ? 'AbortError' : errorClassOf(error),
        errorMessage: outcome === 'timeout' && !(error instanceof TransportError) ? `no response within ${this.attemptTimeoutMs} ms` : messageOf(error),
        errorCodes: [],
      };
    } finally {
      timer.stop();
    }
  }

  private async readStream(request: EngineRequest, response: TransportResponse, chunks: string[], onProgress: () => void): Promise<AttemptReport> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    let usage: TokenUsage | undefined;
    const base = { status: response.status, headers: response.headers, errorCodes: [] as string[] };
    for await (const bytes of response.body) {
      onProgress();
      for (const data of parser.push(decoder.decode(bytes, { stream: true }))) {
        if (data === SSE_DONE) return { ...base, outcome: 'success', text: chunks.join('\n'), chunks, ...(usage ? { usage } : {}) };
        chunks.push(data);
        usage = usageOf(parseJson(data)) ?? usage;
        try {
          request.onChunk?.(data, chunks.length - 1);
        } catch (error) {
          throw new CallbackError(`onChunk threw: ${messageOf(error)}`, { cause: error });
        }
      }
    }
    return {
      ...base,
      outcome: 'stream-cut',
      text: chunks.join('\n'),
      chunks,
      ...(usage ? { usage } : {}),
      errorClass: 'StreamCut',
      errorMessage: `the stream ended after ${chunks.length} chunk(s) without data: [DONE]`,
    };
  }

  private attemptEvent(
    callId: number,
    attempt: number,
    startedAt: number,
    queuedMs: number,
    report: AttemptReport,
    decision: RetryDecision,
  ): AttemptEvent {
    const breaker = this.guards.circuitBreaker;
    const budget = this.guards.retryBudget;
    const decided: AttemptDecision =
      decision.action === 'stop'
        ? { action: 'stop', reason: decision.reason, message: decision.message }
        : { action: 'retry', delayMs: decision.delayMs, delaySource: decision.delaySource, ...(decision.note ? { note: decision.note } : {}) };
    return {
      type: 'attempt',
      callId,
      attempt,
      startedAt,
      durationMs: this.clock.now() - startedAt,
      queuedMs,
      outcome: report.outcome,
      ...(report.status !== undefined ? { status: report.status } : {}),
      headers: decidingHeaders(report.headers),
      ...(report.errorClass !== undefined ? { errorClass: report.errorClass } : {}),
      ...(report.errorMessage !== undefined ? { errorMessage: report.errorMessage } : {}),
      ...(report.chunks.length > 0 ? { chunks: report.chunks.length } : {}),
      ...(report.usage ? { usage: report.usage } : {}),
      ...(breaker ? { circuit: breaker.state } : {}),
      ...(budget ? { retryBudget: budget.available } : {}),
      decision: decided,
    };
  }
}

/** The body as text, read up to `limit` bytes (the rest is not read). */
async function readText(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for await (const bytes of body) {
    const room = limit - read;
    text += decoder.decode(bytes.byteLength > room ? bytes.subarray(0, room) : bytes, { stream: true });
    read += bytes.byteLength;
    if (read >= limit) break;
  }
  return text + decoder.decode();
}
