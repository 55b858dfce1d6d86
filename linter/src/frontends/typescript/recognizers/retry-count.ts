/** A `maxRetries`-style option read as total attempts (the first try plus the retries). */
import type { Span } from '@retrylint/shared';
import type { Options } from '../context.js';

export interface AttemptCount {
  readonly value: number;
  /** Where the code sets it; absent when the library default applies. */
  readonly span?: Span;
}

export function attemptsFromRetries(options: Options, name: string, defaultRetries: number): AttemptCount | undefined {
  const retries = options.number(name, defaultRetries);
  return retries ? { value: retries.value + 1, ...(retries.span ? { span: retries.span } : {}) } : undefined;
}
