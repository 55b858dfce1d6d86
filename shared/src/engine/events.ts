/**
 * What the engine reports while it works: one event per attempt and one at the end of the
 * call. Plain, JSON-serialisable objects (no Errors, no Headers), so they can be logged or
 * posted to a webview as they are.
 */
import type { CircuitState } from './circuit-breaker.js';

export type AttemptOutcome =
  /** A 2xx response, read to the end. */
  | 'success'
  /** A non-2xx response. */
  | 'http-error'
  /** The per-attempt timeout passed (the engine's, or the transport's own). */
  | 'timeout'
  | 'network-error'
  /** A stream that stopped before `data: [DONE]`. */
  | 'stream-cut'
  | 'cancelled'
  /** The overall deadline passed during the attempt. */
  | 'deadline';

/** Why the engine stopped; `success` is the only good one. */
export type StopReason =
  | 'success'
  | 'permanent-status'
  | 'permanent-code'
  | 'unlisted-status'
  | 'retry-after-too-long'
  | 'attempts-exhausted'
  | 'deadline'
  | 'cancelled'
  | 'stream-interrupted'
  | 'circuit-open'
  | 'retry-budget-exhausted';

/** Where a retry delay came from. */
export type DelaySource =
  /** Drawn from the policy's schedule (schedule.ts). */
  | 'schedule'
  /** The schedule's draw, which hit the policy's maxDelayMs. */
  | 'capped'
  /** The server's Retry-After or retry-after-ms, longer than the schedule's draw. */
  | 'retry-after';

export type AttemptDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly delaySource: DelaySource; readonly note?: string }
  | { readonly action: 'stop'; readonly reason: StopReason; readonly message: string };

export interface TokenUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
}

export interface AttemptEvent {
  readonly type: 'attempt';
  readonly callId: number;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Clock time the request was sent. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Time spent waiting for the token bucket before sending. */
  readonly queuedMs: number;
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  /** The headers that decide a retry: retry-after, retry-after-ms, x-ratelimit-*. */
  readonly headers: Readonly<Record<string, string>>;
  /** OpenAI error.code / error.type, a transport error class, TimeoutError... */
  readonly errorClass?: string;
  readonly errorMessage?: string;
  /** Stream chunks delivered before the attempt ended. */
  readonly chunks?: number;
  readonly usage?: TokenUsage;
  readonly circuit?: CircuitState;
  readonly retryBudget?: number;
  readonly decision: AttemptDecision;
}

export interface CallEndEvent {
  readonly type: 'call-end';
  readonly callId: number;
  readonly ok: boolean;
  readonly reason: StopReason;
  readonly message: string;
  readonly attempts: number;
  readonly startedAt: number;
  readonly durationMs: number;
  /** Sum over every attempt that reported usage. */
  readonly usage?: TokenUsage;
}

export type EngineEvent = AttemptEvent | CallEndEvent;
