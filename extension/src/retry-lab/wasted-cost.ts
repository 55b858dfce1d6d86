/**
 * The cost of the attempts that produced nothing the caller kept: every attempt but the
 * successful one. Prices per million tokens for the models people try first; another model
 * shows tokens only (a made-up price would be worse than none).
 */
import type { AttemptEvent } from '@retrylint/shared';

/** USD per million input and output tokens (list prices, standard tier). */
const PRICES_PER_MILLION: Readonly<Record<string, { readonly input: number; readonly output: number }>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
};

export interface WastedAttempts {
  readonly attempts: number;
  readonly tokens: number;
  /** Undefined when the model has no known price. */
  readonly costUsd: number | undefined;
}

export function wastedAttempts(attempts: readonly AttemptEvent[], model: string): WastedAttempts {
  const wasted = attempts.filter((attempt) => attempt.outcome !== 'success');
  const price = PRICES_PER_MILLION[model];
  let tokens = 0;
  let cost = 0;
  for (const { usage } of wasted) {
    const input = usage?.promptTokens ?? 0;
    const output = usage?.completionTokens ?? 0;
    tokens += usage?.totalTokens ?? input + output;
    if (price) cost += (input * price.input + output * price.output) / 1_000_000;
  }
  return { attempts: wasted.length, tokens, costUsd: price ? cost : undefined };
}
