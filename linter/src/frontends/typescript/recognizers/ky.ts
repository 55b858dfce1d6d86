/**
 * ky: calls (`ky(url, options)`, `ky.post`, instances from `ky.create` / `ky.extend`) and its
 * built-in retry when configured. ky's defaults: limit 2 (3 attempts), delay
 * 0.3 s * 2^(n-1), no backoffLimit, no jitter unless `jitter: true`, Retry-After honoured
 * with no cap unless `maxRetryAfter`, timeout 10 s.
 */
import { known, makeCall, makeSite, unknown, valueOf, type Maybe, type RetrySite, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { instanceOrigin } from '../instances.js';
import { literalStatusList } from '../status-tests.js';
import { propertyName, stripCasts, type CallExpression, type Node } from '../syntax.js';
import { HTTP_METHODS, type RecognizedCall } from './call.js';
import { attemptsFromRetries, retryAfterHonouredByLibrary, statusCodeFacts } from './client-retry-facts.js';

const KY_DEFAULT_LIMIT = 2;
const KY_DEFAULT_STATUS_CODES = [408, 413, 429, 500, 502, 503, 504];
const KY_DEFAULT_TIMEOUT_MS = 10_000;
/** Methods ky retries when no `retry` option says otherwise. */
const KY_DEFAULT_RETRY_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

function kyInstance(expression: Node, context: ExtractionContext, depth = 0): { creates: CallExpression[] } | undefined {
  if (depth > 4 || !context.index.importedModules.has('ky')) return undefined;
  const node = stripCasts(expression);
  if (refersTo(context.index.importRef(node), ['ky'], 'default')) return { creates: [] };
  const origin = instanceOrigin(node, context);
  if (origin?.kind !== 'created' || origin.node.type !== 'CallExpression') return undefined;
  const callee = stripCasts(origin.node.callee);
  const name = callee.type === 'MemberExpression' ? propertyName(callee.property, callee.computed) : undefined;
  if (callee.type !== 'MemberExpression' || (name !== 'create' && name !== 'extend')) return undefined;
  const base = kyInstance(callee.object, context, depth + 1);
  return base ? { creates: [...base.creates, origin.node] } : undefined;
}

function isKyCreate(call: CallExpression, context: ExtractionContext): boolean {
  const callee = stripCasts(call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const name = propertyName(callee.property, callee.computed);
  return (name === 'create' || name === 'extend') && kyInstance(callee.object, context) !== undefined;
}

export function recognizeKy(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  let instance = kyInstance(callee, context);
  let method = 'GET';
  if (!instance && callee.type === 'MemberExpression') {
    const name = propertyName(callee.property, callee.computed);
    if (!name || !(HTTP_METHODS as readonly string[]).includes(name)) return undefined;
    instance = kyInstance(callee.object, context);
    method = name.toUpperCase();
  }
  if (!instance) return undefined;
  const options = context.options(call, 1);
  const layers = [options, ...instance.creates.reverse().map((create) => context.options(create, 0))];
  const headers = options.value('headers');
  const slot = options.slot('timeout', 'ms');
  const methodValue = options.has('method') ? unknown() : options.defaultsApply ? known(method) : unknown();
  const clientAttempts = kyDefaultAttempts(call, methodValue, layers);
  const ownAttempts = valueOf(clientAttempts);
  const retriesSlot = ownAttempts !== undefined && ownAttempts > 1 ? options.slot('retry', 'retries') : undefined;
  return {
    node: call,
    facts: makeCall(
      { kind: 'http', library: 'ky', span: context.span(call) },
      {
        method: methodValue,
        timeout: kyTimeout(layers, context),
        streaming: known(false),
        clientAttempts,
        ...(retriesSlot ? { clientRetriesSlot: retriesSlot } : {}),
        ...(slot && !options.has('timeout') ? { timeoutSlot: slot } : {}),
      },
    ),
    ...(headers ? { headers } : {}),
    generic: true,
  };
}

/** Attempts ky makes by itself when no layer configures `retry` (a configured retry is its own client site). */
function kyDefaultAttempts(call: CallExpression, method: Maybe<string>, layers: readonly Options[]): Maybe<number> {
  if (layers.some((options) => !options.defaultsApply || options.has('retry'))) return unknown();
  // A `Request` input carries its own method, which ky uses when no `method` option is set.
  const first = call.arguments[0];
  if (!first || stripCasts(first).type === 'NewExpression') return unknown();
  if (method.kind !== 'known') return unknown();
  return known(KY_DEFAULT_RETRY_METHODS.has(method.value) ? KY_DEFAULT_LIMIT + 1 : 1);
}

function kyTimeout(layers: readonly Options[], context: ExtractionContext): Maybe<TimeoutFacts> {
  for (const options of layers) {
    const value = options.value('timeout');
    if (value) {
      if (context.evaluate.boolean(value) === false) return known({ kind: 'disabled' });
      const ms = context.evaluate.number(value);
      return ms === undefined ? unknown() : known({ kind: 'explicit', ms });
    }
    if (!options.defaultsApply) return unknown();
  }
  return known({ kind: 'library-default', ms: KY_DEFAULT_TIMEOUT_MS });
}

export function recognizeKyRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  const create = isKyCreate(call, context);
  if (!create && !recognizeKy(call, context)) return undefined;
  const options = context.options(call, create ? 0 : 1);
  const retryValue = options.value('retry');
  if (!retryValue) return undefined;
  const asNumber = context.evaluate.number(retryValue);
  const retry = asNumber === undefined ? context.optionsOf(retryValue) : undefined;
  const limit = asNumber !== undefined ? { value: asNumber, span: context.span(retryValue) } : retry!.number('limit', KY_DEFAULT_LIMIT);
  const backoffLimit = retry ? retry.number('backoffLimit', Infinity) : { value: Infinity };
  const maxRetryAfter = retry ? retry.number('maxRetryAfter', Infinity) : { value: Infinity };
  const jitter = retry?.value('jitter');
  const jitterOn = retry ? (jitter ? context.evaluate.boolean(jitter) : retry.defaultsApply ? false : undefined) : false;
  const statusCodes = retry?.value('statusCodes');
  const list = statusCodes ? literalStatusList(statusCodes, context) : undefined;
  const limitSlot = retry?.slot('limit', 'retries');
  const capSlot = retry?.slot('backoffLimit', 'ms');
  const retryAfterSlot = retry?.slot('maxRetryAfter', 'ms');
  const jitterSlot = retry?.slot('jitter', 'boolean');
  return makeSite(context.identity('client', 'ky', call, retryValue), {
    isAsync: known(true),
    attempts: attemptsFromRetries(limit, limitSlot),
    delay: retry?.has('delay')
      ? {}
      : {
          strategy: known('exponential'),
          baseMs: known(300),
          factor: known(2),
          capMs: backoffLimit ? known(backoffLimit.value === Infinity ? 'none' : backoffLimit.value) : unknown(),
          jitter: jitterOn === undefined ? unknown() : known(jitterOn ? 'full' : 'none'),
          ...(capSlot ? { capSlot } : {}),
          ...(jitterSlot && !jitter ? { jitterLever: { kind: 'option' as const, slot: jitterSlot } } : {}),
        },
    retryOn: statusCodeFacts(list, !retry || retry.defaultsApply, KY_DEFAULT_STATUS_CODES, context.span(retryValue)),
    retryAfter: retryAfterHonouredByLibrary(
      maxRetryAfter ? known(maxRetryAfter.value === Infinity ? 'none' : maxRetryAfter.value) : unknown(),
      retryAfterSlot,
    ),
  });
}
