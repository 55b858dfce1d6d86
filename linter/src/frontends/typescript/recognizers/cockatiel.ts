/**
 * cockatiel: `retry(handleAll | handleWhen(...) | handleType(...), { maxAttempts, backoff })`
 * and the `policy.execute(fn)` calls that run through it. `maxAttempts` counts retries and
 * defaults to unlimited; without `backoff` it retries immediately (ConstantBackoff(0)).
 * ExponentialBackoff defaults: 128 ms initial, 30 s max, exponent 2, decorrelated jitter.
 */
import { known, makeSite, unknown, type DelayFacts, type JitterKind, type RetryOnFacts } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import { instanceOrigin } from '../instances.js';
import type { FoundSite } from '../nesting.js';
import { analyseRegion, finishCall, type RegionFacts } from '../region.js';
import { retryAfterFacts } from '../site-facts.js';
import { memberPath, propertyName, stripCasts, type CallExpression, type Node } from '../syntax.js';
import { mergeClassification } from './classification.js';

const MODULE = ['cockatiel'];

export function recognizeCockatiel(call: CallExpression, context: ExtractionContext): FoundSite | undefined {
  if (!refersTo(context.index.importRef(call.callee), MODULE, 'retry')) return undefined;
  const handler = call.arguments[0];
  const options = context.options(call, 1);
  const maxAttempts = options.number('maxAttempts', Infinity);
  const slot = options.slot('maxAttempts', 'retries');
  const executions = executeCallbacks(call, context);
  const regions = executions.map((fn) => analyseRegion(fn.body, { throwRetries: () => true }, context));
  const site = makeSite(context.identity('wrapper', 'cockatiel', call, call.callee), {
    isAsync: known(true),
    attempts: {
      max: maxAttempts ? known(maxAttempts.value === Infinity ? 'unbounded' : maxAttempts.value + 1, maxAttempts.span ?? context.span(call)) : unknown(),
      ...(slot ? { slot } : {}),
    },
    delay: backoffFacts(options.value('backoff'), options.defaultsApply, context),
    retryOn: handlerFacts(handler, context),
    ...(regions.length > 0
      ? {
          retryAfter: retryAfterFacts(regions[0], context),
          calls: regions.flatMap((region) => region.calls.map((recognized) => finishCall(recognized, region, context))),
        }
      : {}),
  });
  return { site, regions: executions.map((fn) => fn.body) };
}

/** The functions passed to `policy.execute(...)` for this policy in the file. */
function executeCallbacks(policyCall: CallExpression, context: ExtractionContext) {
  const callbacks = [];
  for (const call of context.index.calls) {
    const callee = stripCasts(call.callee);
    if (callee.type !== 'MemberExpression' || propertyName(callee.property, callee.computed) !== 'execute') continue;
    const origin = instanceOrigin(callee.object, context);
    if (origin?.kind !== 'created' || origin.node !== policyCall) continue;
    const fn = context.index.functionOf(call.arguments[0]);
    if (fn) callbacks.push(fn);
  }
  return callbacks;
}

function handlerFacts(handler: Node | undefined, context: ExtractionContext): Partial<RetryOnFacts> {
  if (!handler) return {};
  const node = stripCasts(handler);
  const ref = context.index.importRef(node.type === 'CallExpression' ? node.callee : node);
  if (refersTo(ref, MODULE, 'handleAll')) {
    return { catchAll: known(true), catchAllSpan: context.span(handler), statuses: known([]), errorTypes: known([]) };
  }
  if (node.type !== 'CallExpression') return { catchAll: unknown() };
  if (refersTo(ref, MODULE, 'handleType')) {
    const types = node.arguments.map((argument) => memberPath(argument)?.join('.')).filter((name): name is string => !!name);
    return { catchAll: known(false), errorTypes: known(types) };
  }
  if (refersTo(ref, MODULE, 'handleWhen') || refersTo(ref, MODULE, 'handleWhenResult')) {
    const predicate = context.index.functionOf(node.arguments[0]);
    if (!predicate) return { catchAll: unknown('predicate not visible') };
    const region: RegionFacts = analyseRegion(predicate.body, { throwRetries: () => false, returnsDecision: true }, context);
    return mergeClassification({ catchAll: known(false) }, [region], false, false);
  }
  return { catchAll: unknown() };
}

function backoffFacts(backoff: Node | undefined, defaultsApply: boolean, context: ExtractionContext): Partial<DelayFacts> {
  if (!backoff) {
    return defaultsApply ? { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none') } : {};
  }
  const node = stripCasts(backoff);
  if (node.type !== 'NewExpression') return { span: context.span(backoff) };
  const ref = context.index.importRef(node.callee);
  if (refersTo(ref, MODULE, 'ConstantBackoff')) {
    const ms = context.evaluate.number(node.arguments[0]);
    return ms === undefined
      ? { span: context.span(node) }
      : { strategy: known(ms <= 0 ? 'none' : 'constant'), baseMs: known(ms), capMs: known(ms), jitter: known('none'), span: context.span(node) };
  }
  if (refersTo(ref, MODULE, 'ExponentialBackoff')) {
    const options = context.options(node, 0);
    const initial = options.number('initialDelay', 128);
    const max = options.number('maxDelay', 30_000);
    const exponent = options.number('exponent', 2);
    const generator = options.value('generator');
    let jitter: JitterKind | undefined = 'decorrelated';
    if (generator) {
      const generatorRef = context.index.importRef(generator);
      jitter = refersTo(generatorRef, MODULE, 'noJitterGenerator') ? 'none' : refersTo(generatorRef, MODULE, 'decorrelatedJitterGenerator') ? 'decorrelated' : undefined;
    } else if (!options.defaultsApply) {
      jitter = undefined;
    }
    const capSlot = options.slot('maxDelay', 'ms');
    return {
      strategy: known('exponential'),
      baseMs: initial ? known(initial.value) : unknown(),
      factor: exponent ? known(exponent.value) : unknown(),
      capMs: max ? known(max.value === Infinity ? 'none' : max.value) : unknown(),
      jitter: jitter ? known(jitter) : unknown(),
      span: context.span(node),
      ...(capSlot ? { capSlot } : {}),
    };
  }
  return { span: context.span(node) };
}
