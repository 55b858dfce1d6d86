/**
 * fetch-retry: `fetchRetry(fetch, { retries, retryDelay, retryOn })` wraps fetch. Defaults:
 * 3 retries, a fixed 1 s delay, `retryOn: []` (network errors only, never a status). A
 * `retryOn` list names the statuses retried; a function decides. fetch-retry never reads
 * Retry-After: a fixed delay with 429 or 503 in `retryOn` ignores it.
 */
import { known, makeSite, type DelayFacts, type RetryAfterFacts, type RetryOnFacts, type RetrySite } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { delayCallbackFacts } from '../delay-callback.js';
import { refersTo } from '../file-index.js';
import { analyseRegion } from '../region.js';
import { literalStatusList } from '../status-tests.js';
import type { CallExpression } from '../syntax.js';
import { mergeClassification } from './classification.js';
import { attemptsFromRetries, retryAfterIgnoredFor, statusCodeFacts } from './client-retry-facts.js';

const MODULE = ['fetch-retry'];
const DEFAULT_RETRIES = 3;
const DEFAULT_DELAY_MS = 1_000;

export function recognizeFetchRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  if (!context.index.importedModules.has('fetch-retry')) return undefined;
  if (!refersTo(context.index.importRef(call.callee), MODULE, 'default')) return undefined;
  const options = context.options(call, 1);
  const retryOn = retryOnFacts(options, context, call);
  return makeSite(context.identity('client', 'fetch-retry', call, call.callee), {
    isAsync: known(true),
    attempts: attemptsFromRetries(options.number('retries', DEFAULT_RETRIES), options.slot('retries', 'retries'), 'retries not visible'),
    delay: delayFacts(options, context, call),
    retryOn,
    retryAfter: retryAfterFacts(options, retryOn, context),
  });
}

function delayFacts(options: Options, context: ExtractionContext, call: CallExpression): Partial<DelayFacts> {
  const written = options.value('retryDelay');
  const span = context.span(written ?? call);
  const callback = written ? context.index.functionOf(written) : undefined;
  // fetch-retry passes the attempt number, 0 before the first retry.
  if (callback) return { ...delayCallbackFacts(callback, 0, context), span };
  const ms = options.number('retryDelay', DEFAULT_DELAY_MS);
  if (!ms) return { span };
  return { strategy: known(ms.value <= 0 ? 'none' : 'constant'), baseMs: known(ms.value), capMs: known(ms.value), jitter: known('none'), span };
}

function retryOnFacts(options: Options, context: ExtractionContext, call: CallExpression): Partial<RetryOnFacts> {
  const written = options.value('retryOn');
  const predicate = written ? context.index.functionOf(written) : undefined;
  if (predicate) {
    const region = analyseRegion(predicate.body, { throwRetries: () => false, returnsDecision: true }, context);
    return mergeClassification({ catchAll: known(false) }, [region], false, false);
  }
  const list = written ? literalStatusList(written, context) : undefined;
  if (written && !list) return {};
  return statusCodeFacts(list, options.defaultsApply, [], context.span(call));
}

function retryAfterFacts(options: Options, retryOn: Partial<RetryOnFacts>, context: ExtractionContext): Partial<RetryAfterFacts> {
  const delay = options.value('retryDelay');
  const callback = delay ? context.index.functionOf(delay) : undefined;
  if (callback) {
    const region = analyseRegion(callback.body, { throwRetries: () => false }, context);
    if (region.headerReads.length > 0 || region.opaqueRetryAfterHelper) return {};
  } else if (delay && options.number('retryDelay', DEFAULT_DELAY_MS) === undefined) {
    return {};
  }
  const statuses = retryOn.statuses?.kind === 'known' ? retryOn.statuses.value : undefined;
  if (!statuses) return {};
  return retryAfterIgnoredFor(statuses);
}
