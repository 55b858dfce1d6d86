/**
 * got: calls (`got(url, options)`, `got.post`, `got.stream`, instances from `got.extend`)
 * and its built-in retry when configured (`retry: { limit, statusCodes, methods,
 * backoffLimit }`). got's defaults: limit 2 (3 attempts), delay 1 s * 2^(n-1) plus up to
 * 100 ms noise, no backoff limit, Retry-After honoured (capped by `maxRetryAfter`, else by
 * `timeout.request`), no timeout at all.
 */
import { known, makeCall, makeSite, unknown, type Maybe, type RetrySite, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { moduleLinks } from '../cross-module.js';
import { instanceOrigin } from '../instances.js';
import { literalStatusList } from '../status-tests.js';
import { propertyName, stripCasts, type CallExpression, type Node } from '../syntax.js';
import { HTTP_METHODS, type RecognizedCall } from './call.js';
import { attemptsFromRetries, retryAfterHonouredByLibrary, statusCodeFacts } from './client-retry-facts.js';

const GOT_DEFAULT_LIMIT = 2;
const GOT_DEFAULT_STATUS_CODES = [408, 413, 429, 500, 502, 503, 504, 521, 522, 524];
/** Methods got retries when no `retry` option says otherwise. */
const GOT_DEFAULT_RETRY_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

/** A `got.extend(...)` call an instance was built from, in the module that makes it. */
interface GotLayer {
  readonly call: CallExpression;
  readonly context: ExtractionContext;
}

/**
 * The options chain of a got instance: the `got.extend(...)` calls it was built from, also in
 * another module that exports the instance (project mode).
 */
function gotInstance(expression: Node, context: ExtractionContext, depth = 0): { extends: GotLayer[] } | undefined {
  if (depth > 4) return undefined;
  const node = stripCasts(expression);
  const imported = node.type === 'Identifier' && moduleLinks()?.project ? context.index.lookup(node.name, node) : undefined;
  if (imported?.kind === 'import' && imported.binding.module !== 'got') {
    return context.throughImport(imported.binding, (exported) => gotInstance(exported.node, exported.context, depth + 1));
  }
  if (!context.index.importedModules.has('got')) return undefined;
  if (refersTo(context.index.importRef(node), ['got'], 'default') || refersTo(context.index.importRef(node), ['got'], 'got')) return { extends: [] };
  const origin = instanceOrigin(node, context);
  if (origin?.kind !== 'created' || origin.node.type !== 'CallExpression') return undefined;
  const callee = stripCasts(origin.node.callee);
  if (callee.type !== 'MemberExpression' || propertyName(callee.property, callee.computed) !== 'extend') return undefined;
  const base = gotInstance(callee.object, context, depth + 1);
  return base ? { extends: [...base.extends, { call: origin.node, context }] } : undefined;
}

export function isGotExtend(call: CallExpression, context: ExtractionContext): boolean {
  const callee = stripCasts(call.callee);
  return callee.type === 'MemberExpression' && propertyName(callee.property, callee.computed) === 'extend' && gotInstance(callee.object, context) !== undefined;
}

export function recognizeGot(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  let instance = gotInstance(callee, context);
  let method = 'GET';
  let streaming: Maybe<boolean> = known(false);
  if (!instance && callee.type === 'MemberExpression') {
    const name = propertyName(callee.property, callee.computed);
    if (!name || (!(HTTP_METHODS as readonly string[]).includes(name) && name !== 'stream')) return undefined;
    instance = gotInstance(callee.object, context);
    if (name === 'stream') streaming = known(true);
    else method = name.toUpperCase();
  }
  if (!instance) return undefined;
  const options = context.options(call, 1);
  const written = options.value('method');
  const methodValue = written ? unknown() : options.defaultsApply ? known(method) : unknown();
  const layers = [
    options,
    ...instance.extends
      .reverse()
      .map((layer) => (layer.context === context ? context.options(layer.call, 0) : layer.context.options(layer.call, 0).foreign(context.span(call)))),
  ];
  const slot = options.slot('timeout', 'ms');
  const headers = options.value('headers');
  return {
    node: call,
    facts: makeCall(
      { kind: 'http', library: 'got', span: context.span(call) },
      {
        method: methodValue,
        timeout: gotTimeout(layers, context),
        streaming,
        clientAttempts: gotDefaultAttempts(call, methodValue, streaming, layers),
        ...(slot && !options.has('timeout') ? { timeoutSlot: { ...slot, name: 'timeout', unit: 'ms' } } : {}),
      },
    ),
    ...(headers ? { headers } : {}),
    generic: true,
  };
}

/**
 * Attempts got makes by itself when no layer configures `retry` (a configured retry is its
 * own client site). No lever: switching it off takes a nested `retry: { limit: 0 }`.
 */
function gotDefaultAttempts(call: CallExpression, method: Maybe<string>, streaming: Maybe<boolean>, layers: readonly Options[]): Maybe<number> {
  if (layers.some((options) => !options.defaultsHold || options.writes('retry'))) return unknown();
  // `got({ url, method })`: the options come first and the method read above does not apply.
  const first = call.arguments[0];
  if (!first || stripCasts(first).type === 'ObjectExpression') return unknown();
  // A retried stream emits `retry` and needs the caller to build a new one.
  if (streaming.kind !== 'known' || streaming.value) return unknown();
  if (method.kind !== 'known') return unknown();
  return known(GOT_DEFAULT_RETRY_METHODS.has(method.value) ? GOT_DEFAULT_LIMIT + 1 : 1);
}

function gotTimeout(layers: readonly Options[], context: ExtractionContext): Maybe<TimeoutFacts> {
  for (const options of layers) {
    const value = options.value('timeout');
    if (value) {
      const direct = context.evaluate.number(value);
      if (direct !== undefined) return known({ kind: 'explicit', ms: direct });
      const request = context.optionsOf(value).value('request');
      const ms = request ? context.evaluate.number(request) : undefined;
      return ms === undefined ? unknown() : known({ kind: 'explicit', ms });
    }
    if (!options.defaultsApply) return unknown();
  }
  return known({ kind: 'missing' });
}

/** A got call or `got.extend` with an explicit `retry` option: the retry got performs. */
export function recognizeGotRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  const extend = isGotExtend(call, context);
  if (!extend && !recognizeGot(call, context)) return undefined;
  const options = context.options(call, extend ? 0 : 1);
  const retryValue = options.value('retry');
  if (!retryValue) return undefined;
  const asNumber = context.evaluate.number(retryValue);
  const retry = asNumber === undefined ? context.optionsOf(retryValue) : undefined;
  const limit = asNumber !== undefined ? { value: asNumber, span: context.span(retryValue) } : retry!.number('limit', GOT_DEFAULT_LIMIT);
  const backoffLimit = retry ? retry.number('backoffLimit', Infinity) : { value: Infinity };
  const statusCodes = retry?.value('statusCodes');
  const list = statusCodes ? literalStatusList(statusCodes, context) : undefined;
  const maxRetryAfter = retry?.number('maxRetryAfter', NaN);
  const limitSlot = retry?.slot('limit', 'retries');
  const capSlot = retry?.slot('backoffLimit', 'ms');
  const noise = retry ? retry.number('noise', 100) : { value: 100 };
  return makeSite(context.identity('client', 'got', call, retryValue), {
    isAsync: known(true),
    attempts: attemptsFromRetries(limit, limitSlot),
    delay: retry?.has('calculateDelay')
      ? {}
      : {
          strategy: known('exponential'),
          baseMs: known(1_000),
          factor: known(2),
          capMs: backoffLimit ? known(backoffLimit.value === Infinity ? 'none' : backoffLimit.value) : unknown(),
          jitter: noise ? known(noise.value > 0 ? 'additive' : 'none') : unknown(),
          ...(capSlot ? { capSlot } : {}),
        },
    retryOn: statusCodeFacts(list, !retry || retry.defaultsApply, GOT_DEFAULT_STATUS_CODES, context.span(retryValue)),
    retryAfter: retryAfterHonouredByLibrary(
      maxRetryAfter && !Number.isNaN(maxRetryAfter.value) ? known(maxRetryAfter.value) : unknown('capped by timeout.request when set'),
    ),
  });
}
