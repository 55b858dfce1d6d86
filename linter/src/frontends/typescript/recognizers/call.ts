/** What a call recognizer reports: the call's facts and what region analysis needs next. */
import type { CallFacts } from '@retrylint/shared';
import type { CallExpression, Node } from '../syntax.js';

export interface RecognizedCall {
  readonly node: CallExpression;
  /** streamConsumedInRetry and idempotencyKey are decided by the retried region. */
  readonly facts: CallFacts;
  /** The request headers expression, for the idempotency key. */
  readonly headers?: Node;
  /** A generic HTTP client (not an SDK that manages idempotency itself). */
  readonly generic: boolean;
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
