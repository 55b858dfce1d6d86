/**
 * A retried function that only hands an inline function on (`() => queue.add(async () => ...)`,
 * `() => limiter.schedule(() => ...)`, a compiled `__awaiter(this, ..., function* () { ... })`)
 * runs that function on every attempt: its body is what the retry re-runs.
 */
import type { ExtractionContext } from './context.js';
import { recognizeCall } from './recognizers/calls.js';
import { isFunction, stripCasts, type FunctionNode, type Node } from './syntax.js';

const MAX_HOPS = 3;

export function retriedBody(fn: FunctionNode, context: ExtractionContext): FunctionNode {
  let current = fn;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const inner = handedOn(current, context);
    if (!inner) break;
    current = inner;
  }
  return current;
}

function handedOn(fn: FunctionNode, context: ExtractionContext): FunctionNode | undefined {
  const returned = onlyResult(fn);
  if (!returned) return undefined;
  let call = stripCasts(returned);
  if (call.type === 'AwaitExpression') call = stripCasts(call.argument);
  // An imported function may be a retry of its own (`pRetry(() => pRetry(...))`): not unwrapped.
  if (call.type !== 'CallExpression' || recognizeCall(call, context) || context.index.importRef(call.callee)) return undefined;
  const inline: FunctionNode[] = [];
  for (const argument of call.arguments) if (isFunction(argument)) inline.push(argument);
  return inline.length === 1 ? inline[0] : undefined;
}

/** The expression an arrow returns, or the argument of a body that is one `return`. */
function onlyResult(fn: FunctionNode): Node | undefined {
  if (fn.body.type !== 'BlockStatement') return fn.body;
  const [only] = fn.body.body;
  return fn.body.body.length === 1 && only?.type === 'ReturnStatement' && only.argument ? only.argument : undefined;
}
