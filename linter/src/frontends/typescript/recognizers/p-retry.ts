/**
 * p-retry: `pRetry(fn, { retries, factor, minTimeout, maxTimeout, randomize, shouldRetry,
 * onFailedAttempt, signal })`. Defaults: 10 retries, factor 2, 1 s, no cap, no jitter. Any
 * error is retried unless the function throws p-retry's `AbortError` or `shouldRetry` says no.
 */
import { known, makeSite } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import { retriedBody } from '../handed-over.js';
import { permitAround } from '../permits.js';
import { analyseRegion, finishCall, type RegionFacts } from '../region.js';
import { retryAfterFacts, retryOnFacts, sleepFacts } from '../site-facts.js';
import { stripCasts, type CallExpression, type Node } from '../syntax.js';
import type { FoundSite } from '../nesting.js';
import { mergeClassification } from './classification.js';
import { nodeRetryAttempts, nodeRetryDelay } from './wrapper-options.js';

const MODULES = ['p-retry'];

export function recognizePRetry(call: CallExpression, context: ExtractionContext): FoundSite | undefined {
  const ref = context.index.importRef(call.callee);
  if (!refersTo(ref, MODULES, 'default') && !refersTo(ref, MODULES, 'pRetry')) return undefined;
  const named = context.index.functionOf(call.arguments[0]);
  const fn = named ? retriedBody(named, context) : undefined;
  const options = context.options(call, 1);
  const isAbortingError = (node: Node): boolean => {
    const value = stripCasts(node);
    return value.type === 'NewExpression' && refersTo(context.index.importRef(value.callee), MODULES, 'AbortError');
  };
  const body = fn ? analyseRegion(fn.body, { throwRetries: () => true, isAbortingError }, context) : undefined;
  const predicates: RegionFacts[] = [];
  const shouldRetry = context.index.functionOf(options.value('shouldRetry'));
  if (shouldRetry) predicates.push(analyseRegion(shouldRetry.body, { throwRetries: () => false, returnsDecision: true }, context));
  const onFailedAttempt = context.index.functionOf(options.value('onFailedAttempt'));
  if (onFailedAttempt) predicates.push(analyseRegion(onFailedAttempt.body, { throwRetries: () => false, isAbortingError }, context));
  const opaquePredicate = (options.has('shouldRetry') && !shouldRetry) || (options.has('onFailedAttempt') && !onFailedAttempt) || !options.defaultsApply;
  const enclosing = context.index.enclosingFunction(call);
  const site = makeSite(context.identity('wrapper', 'p-retry', call, call.callee), {
    isAsync: known(true),
    attempts: nodeRetryAttempts(options, { retries: 10, randomize: false }),
    delay: { ...nodeRetryDelay(options, { retries: 10, randomize: false }), span: context.span(call) },
    ...(body
      ? {
          retryOn: mergeClassification(
            retryOnFacts(body, { catchesErrors: true, catchAllSpan: context.span(call.callee) }),
            predicates,
            opaquePredicate,
            options.has('signal'),
          ),
          retryAfter: retryAfterFacts(body, context),
          calls: body.calls.map((recognized) => finishCall(recognized, body, context)),
          sleep: sleepFacts(body, fn, permitAround(call, enclosing, context), context, true),
        }
      : {}),
  });
  return { site, ...(fn ? { regions: [fn.body] } : {}) };
}
