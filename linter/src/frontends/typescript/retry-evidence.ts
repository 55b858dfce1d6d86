/**
 * Whether a hand-written loop or recursion retries a remote operation. A loop that repeats a
 * local step after a failure (walking up a directory tree, re-running a generic callback) is
 * not what the rules judge: without evidence of a remote call it yields no site.
 */
import type { DelayFacts } from '@retrylint/shared';
import { callsRemoteAcrossModules } from './calls-across-modules.js';
import type { ExtractionContext } from './context.js';
import { moduleLinks } from './cross-module.js';
import { readDelay, type Counter } from './delay-expression.js';
import { delayFacts } from './site-facts.js';
import { recognizeCall } from './recognizers/calls.js';
import type { RegionFacts } from './region.js';
import { isNetworkErrorCode, isNetworkErrorName } from './network-errors.js';
import { isStatusExpression } from './status-tests.js';
import { memberPath, propertyName, stringValue, stripCasts, type FunctionNode, type Node } from './syntax.js';
import { walk, walkWithinFunction } from './walk.js';

/** `openai.chat.completions.create(...)` on a client this file cannot resolve still calls an AI API. */
const SDK_METHOD = /(^|\.)(chat\.completions|completions|messages|responses|embeddings|images|moderations|audio\.\w+)\.(create|stream|parse|generate|edit)$/;

/**
 * A sleep alone is no evidence: code also waits between polls of a UI element or a local
 * server. A delay that grows each attempt (exponential backoff) is the shape of a retry
 * against a shared remote service, whatever the retried callable is.
 */
const BACKOFF_STRATEGIES: ReadonlySet<string> = new Set(['exponential', 'fibonacci', 'decorrelated']);

export function retriesRemoteOperation(region: RegionFacts, context: ExtractionContext, counter: Counter | undefined): boolean {
  return (
    region.calls.length > 0 ||
    backsOff(region, context, counter) ||
    region.testsStatus ||
    region.headerReads.length > 0 ||
    region.testsNetworkError ||
    callsRemoteAnywhere(region, context)
  );
}

function backsOff(region: RegionFacts, context: ExtractionContext, counter: Counter | undefined): boolean {
  const grows = (delay: Partial<DelayFacts>): boolean => delay.strategy?.kind === 'known' && BACKOFF_STRATEGIES.has(delay.strategy.value);
  if (grows(delayFacts(region, counter, context))) return true;
  // The unit of a wait this file cannot see into is unknown, its shape is not.
  const unscaled = [...region.waits.filter((wait) => wait.scale === undefined).flatMap((wait) => (wait.argument ? [wait.argument] : [])), ...region.opaqueWaitArguments];
  return unscaled.some((argument) => grows(readDelay(argument, 1, context, counter, region.growing, region.root)));
}

/** A remote call inside a callback of the region (`pRetry(() => fetch(url))`), or an SDK-shaped call. */
function callsRemoteAnywhere(region: RegionFacts, context: ExtractionContext): boolean {
  let found = false;
  const project = moduleLinks()?.project;
  walk(region.root, (node) => {
    if (found || node.type !== 'CallExpression') return;
    const path = memberPath(node.callee)?.join('.');
    if ((path && SDK_METHOD.test(path)) || node.arguments.some(isRequestOptions) || recognizeCall(node, context)) found = true;
    else if (node.arguments.length > 0 && helperTestsRemoteFailure(context.index.functionOf(node.callee), region.root, context, 0)) found = true;
    else if (project && callsRemoteAcrossModules(node, context, project)) found = true;
  });
  return found;
}

/**
 * `if (!isRetryableError(err)) throw err` where the helper (or one it calls) tests an HTTP
 * status, a connection error code or a network error class: the failures are remote ones.
 */
function helperTestsRemoteFailure(helper: FunctionNode | undefined, root: Node, context: ExtractionContext, depth: number): boolean {
  if (!helper || depth > 1 || (helper.range[0] <= root.range[0] && root.range[1] <= helper.range[1])) return false;
  return context.memo(`tests-remote-failure:${helper.range[0]}:${depth}`, () => {
    let found = false;
    walkWithinFunction(helper.body, (node) => {
      if (found) return false;
      const text = stringValue(node);
      if (text !== undefined && (isNetworkErrorCode(text) || isNetworkErrorName(text))) found = true;
      else if (node.type === 'BinaryExpression' && node.left.type !== 'PrivateIdentifier' && (isStatusComparison(node.left, node.right, context) || isStatusComparison(node.right, node.left, context))) found = true;
      else if (node.type === 'BinaryExpression' && node.operator === 'instanceof' && isNetworkErrorName(memberPath(node.right)?.pop() ?? '')) found = true;
      else if (node.type === 'CallExpression' && node.arguments.length > 0 && helperTestsRemoteFailure(context.index.functionOf(node.callee), root, context, depth + 1)) found = true;
      return !found;
    });
    return found;
  });
}

function isStatusComparison(side: Node, other: Node, context: ExtractionContext): boolean {
  if (!isStatusExpression(side)) return false;
  const value = context.evaluate.number(other);
  return value !== undefined && value >= 100 && value <= 599;
}

/** `request({ method: 'POST', url, data })`: the options of an HTTP request, whatever the client. */
function isRequestOptions(argument: Node): boolean {
  const node = stripCasts(argument);
  if (node.type !== 'ObjectExpression') return false;
  const names = new Set(node.properties.map((property) => (property.type === 'Property' ? propertyName(property.key, property.computed) : undefined)));
  return names.has('method') && (names.has('url') || names.has('uri'));
}
