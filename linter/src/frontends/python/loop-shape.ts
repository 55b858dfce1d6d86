/**
 * The shape a hand-written retry loop must have before its body is examined: a counted or
 * unbounded loop (`range(n)`, `itertools.count()`, `while True`, `while attempt < n`, a
 * deadline), not iteration over a collection, and a counter that does not pick different
 * work on each pass (`items[i]`).
 */
import type { Analysis } from './analysis.js';
import { sleepKind } from './sleeps.js';
import { childByField, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

/** Names whose subscripts are delay tables (`delays[attempt]`), not work items. */
const DELAY_TABLE = /delay|wait|backoff|sleep|interval|pause|timeout|schedule/i;
const LOG_CALLEE = /^(print|warn|warnings\.warn|(\w+\.)*(log|logger|logging|_log|_logger|LOG|LOGGER)\.\w+)$/;
const DEADLINE = /time|monotonic|deadline|elapsed|until|expir/i;

export interface LoopShape {
  /** The attempt counter (`attempt` in `for attempt in range(5)`), when the loop has one. */
  readonly counters: ReadonlySet<string>;
}

/** The loop's shape when it can be a retry loop; undefined for collection iteration and unclear loops. */
export function retryLoopShape(analysis: Analysis, loop: PyNode): LoopShape | undefined {
  const body = childByField(loop, 'body');
  if (!body) return undefined;
  const shape = loop.type === 'for_statement' ? countedFor(analysis, loop) : countedWhile(analysis, loop, body);
  if (!shape) return undefined;
  for (const counter of shape.counters) if (picksWorkByIndex(analysis, body, counter)) return undefined;
  return shape;
}

function countedFor(analysis: Analysis, loop: PyNode): LoopShape | undefined {
  const left = childByField(loop, 'left');
  const right = childByField(loop, 'right');
  if (!left || !right) return undefined;
  if (!isCounterSource(analysis, analysis.values.follow(unwrap(right)))) return undefined;
  return { counters: new Set(left.type === 'identifier' ? [analysis.file.textOf(left)] : []) };
}

/** `range(n)` (not `range(len(items))`), `itertools.count()`, or a choice between them. */
function isCounterSource(analysis: Analysis, node: PyNode): boolean {
  const inner = unwrap(node);
  if (inner.type === 'conditional_expression') {
    const branches = namedChildren(inner);
    return branches.length === 3 && isCounterSource(analysis, branches[0]) && isCounterSource(analysis, branches[2]);
  }
  if (inner.type !== 'call') return false;
  const callee = childByField(inner, 'function');
  const name = analysis.file.qualify(callee) ?? (callee ? analysis.file.textOf(callee) : '');
  if (name === 'itertools.count') return true;
  if (name !== 'range' && name !== 'six.moves.range' && name !== 'builtins.range') return false;
  const args = namedChildren(childByField(inner, 'arguments') ?? inner);
  return !args.some((arg) => containsCall(analysis, arg, 'len'));
}

function containsCall(analysis: Analysis, node: PyNode, name: string): boolean {
  let found = false;
  walk(node, (current) => {
    if (found) return false;
    if (current.type === 'call') {
      const callee = childByField(current, 'function');
      if (callee && analysis.file.textOf(callee) === name) found = true;
    }
    return true;
  });
  return found;
}

/** `while True`, `while 1`, or a condition on a counter the body changes or on a deadline. */
function countedWhile(analysis: Analysis, loop: PyNode, body: PyNode): LoopShape | undefined {
  const condition = childByField(loop, 'condition');
  if (!condition) return undefined;
  const inner = unwrap(condition);
  if (inner.type === 'true' || (inner.type === 'integer' && analysis.file.textOf(inner) === '1')) return { counters: new Set() };
  const changed = countersChangedIn(analysis, body);
  const counters = new Set<string>();
  let deadline = false;
  walk(inner, (node) => {
    if (node.type === 'identifier' && changed.has(analysis.file.textOf(node))) counters.add(analysis.file.textOf(node));
    if (node.type === 'comparison_operator' && DEADLINE.test(analysis.file.textOf(node))) deadline = true;
    return true;
  });
  return counters.size > 0 || deadline ? { counters } : undefined;
}

/** Names stepped in the loop body (`n += 1`, `n = n - 1`), not in nested functions. */
function countersChangedIn(analysis: Analysis, body: PyNode): Set<string> {
  const names = new Set<string>();
  walk(body, (node) => {
    if (node !== body && SCOPE_TYPES.has(node.type)) return false;
    if (node.type !== 'augmented_assignment' && node.type !== 'assignment') return true;
    const left = childByField(node, 'left');
    const right = childByField(node, 'right');
    if (left?.type !== 'identifier') return true;
    const name = analysis.file.textOf(left);
    if (node.type === 'augmented_assignment' || (right?.type === 'binary_operator' && mentions(analysis, right, name))) names.add(name);
    return true;
  });
  return names;
}

/**
 * `items[i]`, `candidates[attempt % n]`: each pass works on something else. A delay table
 * (`delays[attempt]`), a sleep argument or a log line may use the counter freely.
 */
function picksWorkByIndex(analysis: Analysis, body: PyNode, counter: string): boolean {
  const { file } = analysis;
  let picks = false;
  walk(body, (node) => {
    if (picks) return false;
    if (node !== body && SCOPE_TYPES.has(node.type)) return false;
    if (node.type === 'call' && isSleepOrLogCall(analysis, node)) return false;
    if (node.type !== 'subscript') return true;
    const value = childByField(node, 'value');
    const indices = node.children.filter((child) => child.named && child !== value);
    const indexed = indices.some((index) => mentions(analysis, index, counter));
    if (indexed && !(value && DELAY_TABLE.test(file.textOf(value)))) picks = true;
    return !picks;
  });
  return picks;
}

export function isSleepOrLogCall(analysis: Analysis, call: PyNode): boolean {
  const callee = childByField(call, 'function');
  return sleepKind(analysis, call) !== undefined || (callee !== undefined && LOG_CALLEE.test(analysis.file.textOf(callee)));
}

function mentions(analysis: Analysis, node: PyNode, name: string): boolean {
  let found = false;
  walk(node, (current) => {
    if (found) return false;
    if (current.type === 'identifier' && analysis.file.textOf(current) === name) found = true;
    return true;
  });
  return found;
}
