import type { AttemptEvent, StopReason, TokenUsage } from './events.js';

/** A call that ended without success: why, and every attempt it made. */
export class RetryGiveUpError extends Error {
  constructor(
    readonly reason: Exclude<StopReason, 'success'>,
    message: string,
    readonly attempts: readonly AttemptEvent[],
    /** The last response's status and body text, when there was one. */
    readonly last: { readonly status?: number; readonly body?: string; readonly chunks: readonly string[] },
    readonly usage?: TokenUsage,
  ) {
    super(message);
    this.name = 'RetryGiveUpError';
  }
}
