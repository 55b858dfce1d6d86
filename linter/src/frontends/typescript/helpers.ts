/**
 * The function a helper call runs (`calculateDelay(attempt)`, `isRetryable(res.status)`), with
 * the context to read it in: a function of this file, or, in project mode, one declared in
 * another module (read there, with that module's constants).
 */
import type { ExtractionContext } from './context.js';
import { moduleLinks } from './cross-module.js';
import type { FunctionNode, Node } from './syntax.js';

export interface Helper {
  readonly fn: FunctionNode;
  readonly context: ExtractionContext;
}

export function helperOf(callee: Node, context: ExtractionContext): Helper | undefined {
  const local = context.index.functionOf(callee);
  if (local) return { fn: local, context };
  return moduleLinks()?.project?.calledFunction(context, callee);
}
