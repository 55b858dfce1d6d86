/**
 * A library's delay callback (`retryDelay: (attempt) => 2 ** attempt * 1000`): its returned
 * expression read like any hand-written delay, with the attempt number as the counter.
 */
import type { DelayFacts } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { readDelay, singleReturn } from './delay-expression.js';
import type { FunctionNode } from './syntax.js';

/** `firstValue`: the attempt number the library passes before the first retry. */
export function delayCallbackFacts(fn: FunctionNode, firstValue: number, context: ExtractionContext): Partial<DelayFacts> {
  const returned = singleReturn(fn);
  if (!returned) return { span: context.span(fn) };
  const param = fn.params[0];
  const name = param?.type === 'Identifier' ? param.name : param?.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
  const counter = name ? { name, firstValue } : undefined;
  return readDelay(returned, 1, context, counter, new Map(), fn);
}

/** `() => true`, `function () { return true; }`: a predicate that accepts everything. */
export function acceptsEverything(fn: FunctionNode): boolean {
  const returned = singleReturn(fn);
  return returned?.type === 'Literal' && returned.value === true;
}
