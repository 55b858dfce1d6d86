/**
 * Attempt counters kept outside the retrying function: `this.attempts++` in a helper method,
 * `failures += 1` in a module-level function. A retry that tests such a counter before it
 * calls itself is bounded by it, whatever the limit is.
 */
import type { ExtractionContext } from './context.js';
import { memberPath, type CallExpression, type FunctionNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

/** Names (`this.attempts`, `failures`) that the file increments or decrements somewhere. */
function steppedNames(context: ExtractionContext): ReadonlySet<string> {
  return context.memo('stepped-names', () => {
    const names = new Set<string>();
    const add = (target: Node) => {
      const path = memberPath(target);
      if (path) names.add(path.join('.'));
    };
    for (const fn of context.index.functions) {
      walkWithinFunction(fn.body, (node) => {
        if (node.type === 'UpdateExpression') add(node.argument);
        if (node.type === 'AssignmentExpression' && (node.operator === '+=' || node.operator === '-=')) add(node.left);
        return true;
      });
    }
    return names;
  });
}

/** An `if` on the way to a self call (around it, or before it with an exit) tests a counter stepped elsewhere in the file. */
export function testsCounterKeptElsewhere(fn: FunctionNode, selfCalls: readonly CallExpression[], context: ExtractionContext): boolean {
  const stepped = steppedNames(context);
  if (stepped.size === 0) return false;
  let found = false;
  walkWithinFunction(fn.body, (node) => {
    if (found) return false;
    if (node.type !== 'IfStatement' || !selfCalls.some((call) => call.range[0] > node.test.range[1])) return true;
    walkWithinFunction(node.test, (inner) => {
      const path = inner.type === 'Identifier' || inner.type === 'MemberExpression' ? memberPath(inner) : undefined;
      if (path && stepped.has(path.join('.'))) found = true;
      return !found;
    });
    return !found;
  });
  return found;
}
