/**
 * async-retry: `retry(async (bail, attempt) => ..., { retries, factor, minTimeout,
 * maxTimeout, randomize, onRetry })`. Defaults: 10 retries, factor 2, 1 s, no cap,
 * randomize on (x1..x2). Calling `bail(err)` stops retrying.
 */
import { known, makeSite } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import type { FoundSite } from '../nesting.js';
import { retriedBody } from '../handed-over.js';
import { permitAround } from '../permits.js';
import { analyseRegion, finishCall } from '../region.js';
import { retryAfterFacts, retryOnFacts, sleepFacts } from '../site-facts.js';
import { stripCasts, type CallExpression, type Node } from '../syntax.js';
import { nodeRetryAttempts, nodeRetryDelay } from './wrapper-options.js';

const DEFAULTS = { retries: 10, randomize: true };

export function recognizeAsyncRetry(call: CallExpression, context: ExtractionContext): FoundSite | undefined {
  if (!refersTo(context.index.importRef(call.callee), ['async-retry'], 'default')) return undefined;
  const outer = context.index.functionOf(call.arguments[0]);
  const fn = outer ? retriedBody(outer, context) : undefined;
  const options = context.options(call, 1);
  const bail = outer?.params[0]?.type === 'Identifier' ? outer.params[0].name : undefined;
  const isBailCall = (node: Node): boolean => {
    const value = stripCasts(node.type === 'AwaitExpression' ? node.argument : node);
    return bail !== undefined && value.type === 'CallExpression' && value.callee.type === 'Identifier' && value.callee.name === bail;
  };
  const body = fn ? analyseRegion(fn.body, { throwRetries: () => true, isBailCall }, context) : undefined;
  const enclosing = context.index.enclosingFunction(call);
  const site = makeSite(context.identity('wrapper', 'async-retry', call, call.callee), {
    isAsync: known(true),
    attempts: nodeRetryAttempts(options, DEFAULTS),
    delay: { ...nodeRetryDelay(options, DEFAULTS), span: context.span(call) },
    ...(body
      ? {
          retryOn: retryOnFacts(body, { catchesErrors: true, catchAllSpan: context.span(call.callee) }),
          retryAfter: retryAfterFacts(body, context),
          calls: body.calls.map((recognized) => finishCall(recognized, body, context)),
          sleep: sleepFacts(body, fn, permitAround(call, enclosing, context), context, true),
        }
      : {}),
  });
  return { site, ...(fn ? { regions: [fn.body] } : {}) };
}
