import { isRetrying, valueOf, type CallFacts } from '../site.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'missingKey' | 'keyPerAttempt';

/** Methods that are not idempotent by definition (RFC 9110 section 9.2.2). */
const NON_IDEMPOTENT_METHODS = new Set(['POST', 'PATCH']);

export const requireIdempotencyKey = defineRule<MessageId>({
  meta: {
    id: 'require-idempotency-key',
    type: 'suggestion',
    description: 'Require an Idempotency-Key, created once outside the retry, on retried POST/PATCH requests.',
    docsUrl: docsUrl('require-idempotency-key'),
    defaultSeverity: 'off',
    strictSeverity: 'warn',
    messages: {
      missingKey:
        '{{method}} is retried without an Idempotency-Key: if a response is lost, the retry can apply the request twice.',
      keyPerAttempt:
        'The Idempotency-Key of this {{method}} is created inside the retried code: every attempt sends a new key, so the server cannot recognise a retry.',
    },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    if (!isRetrying(site)) return [];
    return site.calls.flatMap((call) => judgeCall(call));
  },
});

function judgeCall(call: CallFacts): Report<MessageId>[] {
  // Generic HTTP clients only: how an SDK's own requests are retried is the SDK's contract.
  if (call.kind !== 'http') return [];
  const method = valueOf(call.method)?.toUpperCase();
  if (method === undefined || !NON_IDEMPOTENT_METHODS.has(method)) return [];
  const key = valueOf(call.idempotencyKey);
  if (key === 'none') return [{ messageId: 'missingKey', data: { method }, span: call.span }];
  if (key === 'per-attempt') return [{ messageId: 'keyPerAttempt', data: { method }, span: call.span }];
  return [];
}
