/**
 * modelfusion: `retryWithExponentialBackoff({ maxTries, initialDelayInMs, backoffFactor })`
 * builds the retry function an API configuration uses (`new OpenAIApiConfiguration({ retry })`).
 * Defaults: 3 tries, 2 s, factor 2, no cap, no jitter; it retries the errors the provider marks
 * retryable. Attempts and the uncapped delay are judged here; jitter cannot be switched on and
 * the Retry-After handling is the provider's, so both are left unknown.
 */
import { known, makeSite, type RetrySite } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import type { CallExpression } from '../syntax.js';

const DEFAULT_TRIES = 3;
const DEFAULT_INITIAL_DELAY_MS = 2_000;
const DEFAULT_FACTOR = 2;

export function recognizeModelfusionRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  if (!refersTo(context.index.importRef(call.callee), ['modelfusion'], 'retryWithExponentialBackoff')) return undefined;
  const options = context.options(call, 0);
  const tries = options.number('maxTries', DEFAULT_TRIES);
  const base = options.number('initialDelayInMs', DEFAULT_INITIAL_DELAY_MS);
  const factor = options.number('backoffFactor', DEFAULT_FACTOR);
  const triesSlot = options.slot('maxTries', 'attempts');
  return makeSite(context.identity('wrapper', 'modelfusion', call, call.callee), {
    isAsync: known(true),
    attempts: {
      max: tries ? known(tries.value, tries.span) : known(DEFAULT_TRIES),
      ...(tries && tries.span === undefined ? { libraryDefault: true } : {}),
      ...(triesSlot ? { slot: triesSlot } : {}),
    },
    delay: {
      strategy: known('exponential'),
      ...(base ? { baseMs: known(base.value, base.span) } : {}),
      ...(factor ? { factor: known(factor.value, factor.span) } : {}),
      capMs: known('none'),
      span: context.span(call),
    },
  });
}
