/**
 * The function a helper call runs (`calculateDelay(attempt)`, `isRetryable(res.status)`), with
 * the context to read it in: a function of this file, or, in project mode, one declared in
 * another module (read there, with that module's constants).
 */
import type { ExtractionContext } from './context.js';
import { moduleLinks, type FunctionInModule } from './cross-module.js';
import type { Node } from './syntax.js';

export function helperOf(callee: Node, context: ExtractionContext): FunctionInModule | undefined {
  const local = context.index.functionOf(callee);
  if (local) return { fn: local, context };
  return moduleLinks()?.project?.calledFunction(context, callee);
}
