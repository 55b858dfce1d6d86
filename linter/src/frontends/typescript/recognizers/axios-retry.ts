/**
 * axios-retry: `axiosRetry(axiosOrInstance, { retries, retryDelay, retryCondition })`.
 * Defaults: 3 retries, no delay at all, retry on network errors and 5xx of idempotent
 * requests. `exponentialDelay` is 2^n * 100 ms plus up to 20 % random, with no cap; the
 * delay functions honour Retry-After without a cap.
 */
import { known, makeSite, type DelayFacts, type RetryAfterFacts, type RetryOnFacts, type RetrySite } from '@retrylint/shared';
import { acceptsEverything, delayCallbackFacts } from '../delay-callback.js';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import { analyseRegion } from '../region.js';
import { retryAfterFacts as retryAfterRead } from '../site-facts.js';
import { stripCasts, type CallExpression, type Node } from '../syntax.js';
import { axiosInstance } from './axios.js';
import { mergeClassification } from './classification.js';
import { attemptsFromRetries, retryAfterHonouredByLibrary, retryAfterIgnoredFor } from './client-retry-facts.js';

const MODULE = ['axios-retry'];

function isAxiosRetryCall(call: CallExpression, context: ExtractionContext): boolean {
  return refersTo(context.index.importRef(call.callee), MODULE, 'default');
}

export function recognizeAxiosRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  if (!isAxiosRetryCall(call, context)) return undefined;
  const options = context.options(call, 1);
  const retries = options.number('retries', 3);
  const slot = options.slot('retries', 'retries');
  const condition = options.value('retryCondition');
  const predicate = context.index.functionOf(condition);
  let retryOn = {};
  if (predicate && acceptsEverything(predicate)) {
    retryOn = { catchAll: known(true), catchAllSpan: context.span(condition!) };
  } else if (condition && predicate) {
    retryOn = mergeClassification({ catchAll: known(false) }, [analyseRegion(predicate.body, { throwRetries: () => false, returnsDecision: true }, context)], false, false);
  } else if (!condition && options.defaultsApply) {
    retryOn = { catchAll: known(false), statuses: known([{ min: 500, max: 599, span: context.span(call) }]) };
  }
  return makeSite(context.identity('client', 'axios-retry', call, call.callee), {
    isAsync: known(true),
    attempts: attemptsFromRetries(retries, slot),
    delay: retryDelayFacts(options.value('retryDelay'), options.defaultsApply, context, call),
    retryOn,
    retryAfter: retryAfterFacts(options.value('retryDelay'), retryOn, context),
  });
}

/**
 * axios-retry merges Retry-After (uncapped) into its own delay functions only; a custom
 * `retryDelay` sleeps what it returns, so Retry-After counts only if it reads the header.
 */
function retryAfterFacts(delay: Node | undefined, retryOn: Partial<RetryOnFacts>, context: ExtractionContext): Partial<RetryAfterFacts> {
  const custom = delay ? context.index.functionOf(delay) : undefined;
  if (!custom) return delay && !libraryDelay(delay, context) ? {} : retryAfterHonouredByLibrary(known('none'));
  const region = analyseRegion(custom.body, { throwRetries: () => false, returnsDelay: true }, context);
  if (region.opaqueRetryAfterHelper) return {};
  // The callback reads the header itself: judged like a hand-written wait (forms, cap, use).
  if (region.headerReads.length > 0) return retryAfterRead(region, context);
  return retryAfterIgnoredFor(retryOn.statuses?.kind === 'known' ? retryOn.statuses.value : []);
}

function libraryDelay(delay: Node, context: ExtractionContext): boolean {
  const ref = context.index.importRef(stripCasts(delay));
  return ['exponentialDelay', 'linearDelay', 'noDelay'].some((name) => refersTo(ref, MODULE, name));
}

function retryDelayFacts(delay: Node | undefined, defaultsApply: boolean, context: ExtractionContext, call: CallExpression): Partial<DelayFacts> {
  if (!delay) return defaultsApply ? { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), span: context.span(call) } : {};
  const ref = context.index.importRef(stripCasts(delay));
  if (refersTo(ref, MODULE, 'exponentialDelay')) {
    return { strategy: known('exponential'), baseMs: known(200), factor: known(2), capMs: known('none'), jitter: known('additive'), span: context.span(delay) };
  }
  if (refersTo(ref, MODULE, 'linearDelay')) {
    return { strategy: known('linear'), baseMs: known(100), stepMs: known(100), capMs: known('none'), jitter: known('none'), span: context.span(delay) };
  }
  if (refersTo(ref, MODULE, 'noDelay')) return { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), span: context.span(delay) };
  // axios-retry passes the retry number, 1 before the first retry.
  const custom = context.index.functionOf(delay);
  if (custom) return { ...delayCallbackFacts(custom, 1, context), span: context.span(delay) };
  return { span: context.span(delay) };
}

/** Total attempts an axios instance makes by itself when axios-retry is attached to it in this file. */
export function axiosRetryAttempts(instance: { created?: CallExpression }, context: ExtractionContext): { attempts: number | undefined; call: CallExpression } | undefined {
  for (const call of context.index.calls) {
    if (!isAxiosRetryCall(call, context) || !call.arguments[0]) continue;
    const target = axiosInstance(call.arguments[0], context);
    if (!target || target.created !== instance.created) continue;
    const retries = context.options(call, 1).number('retries', 3);
    return { attempts: retries === undefined ? undefined : retries.value + 1, call };
  }
  return undefined;
}
