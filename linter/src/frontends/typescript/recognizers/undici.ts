/**
 * undici's `new RetryAgent(dispatcher, options)` and `new RetryHandler({ retryOptions }, ...)`.
 * Defaults: 5 retries, 500 ms doubling (timeoutFactor 2) up to maxTimeout 30 s, no jitter,
 * Retry-After honoured (capped at maxTimeout), statuses 500, 502, 503, 504, 429.
 */
import { known, makeSite, unknown, type RetrySite } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { literalStatusList } from '../status-tests.js';
import type { NewExpression } from '../syntax.js';

export function recognizeUndiciRetry(node: NewExpression, context: ExtractionContext): RetrySite | undefined {
  const ref = context.index.importRef(node.callee);
  let options: Options;
  if (refersTo(ref, ['undici'], 'RetryAgent')) options = context.options(node, 1);
  else if (refersTo(ref, ['undici'], 'RetryHandler')) options = context.options(node, 0).nested('retryOptions');
  else return undefined;
  const retries = options.number('maxRetries', 5);
  const minTimeout = options.number('minTimeout', 500);
  const maxTimeout = options.number('maxTimeout', 30_000);
  const factor = options.number('timeoutFactor', 2);
  const retryAfter = options.boolean('retryAfter', true);
  const statusCodes = options.value('statusCodes');
  const list = statusCodes ? literalStatusList(statusCodes, context) : undefined;
  const slot = options.slot('maxRetries', 'retries');
  const capSlot = options.slot('maxTimeout', 'ms');
  const defaults = [500, 502, 503, 504, 429].map((status) => ({ min: status, max: status, span: context.span(node) }));
  return makeSite(context.identity('client', 'undici', node), {
    isAsync: known(true),
    attempts: { max: retries ? known(retries.value + 1, retries.span) : unknown(), ...(slot ? { slot } : {}) },
    delay: {
      strategy: factor ? known(factor.value > 1 ? 'exponential' : 'constant') : unknown(),
      baseMs: minTimeout ? known(minTimeout.value) : unknown(),
      factor: factor ? known(factor.value) : unknown(),
      capMs: maxTimeout ? known(maxTimeout.value === Infinity ? 'none' : maxTimeout.value) : unknown(),
      jitter: known('none'),
      ...(capSlot ? { capSlot } : {}),
    },
    retryOn: {
      statuses: list ? known(list.items.map((item) => ({ min: item.value, max: item.value, span: item.span }))) : statusCodes ? unknown() : options.defaultsApply ? known(defaults) : unknown(),
      ...(list ? { statusList: list } : {}),
      catchAll: known(false),
    },
    retryAfter: {
      handlesRateLimit: known(false),
      honouredByLibrary: retryAfter ? known(retryAfter.value) : unknown(),
      read: retryAfter ? known(retryAfter.value) : unknown(),
      usedAsDelay: retryAfter ? known(retryAfter.value) : unknown(),
      forms: ['seconds', 'date'],
      capMs: maxTimeout ? known(maxTimeout.value) : unknown(),
    },
  });
}
