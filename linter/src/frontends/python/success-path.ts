/**
 * Whether a pass that raised nothing leaves the loop. A retry loop stops once the operation
 * succeeds; an event loop (a REPL, a record-transcribe-answer cycle), a poll (until a job
 * reaches a state) or a work loop goes on after a pass that succeeded, so it is not a retry
 * even when its handlers swallow errors and sleep.
 */
import type { Analysis } from './analysis.js';
import { ifExitsOnEveryBranch } from './retry-path.js';
import { statusTest } from './status-tests.js';
import { childByField, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

const EXIT_TYPES: ReadonlySet<string> = new Set(['return_statement', 'break_statement']);
const LOOP_TYPES: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);
/** A clock read or a deadline name in a comparison: `time.monotonic() >= deadline`, `elapsed > limit`. */
const DEADLINE = /\b(time|monotonic|perf_counter)\(\)|deadline|elapsed|expir/i;
/** `RunStatus.COMPLETED`, `State.done`: a member of a CapWords enum, not an HTTP status. */
const ENUM_MEMBER = /^(?!HTTPStatus\.)[A-Z][A-Za-z0-9]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A successful pass leaves: some `return`/`break` outside the except handlers sits only under
 * tests of the pass's outcome. A loop that waits for a state or a command word (`if state ==
 * "MERGED": break`, `if job.status == Status.RUNNING: continue`) is a poll or an event loop.
 */
export function successLeavesLoop(analysis: Analysis, body: PyNode): boolean {
  const bound = namesBoundIn(analysis, body);
  let leaves = false;
  let waitsForState = false;
  walk(body, (node) => {
    if (waitsForState) return false;
    if (node !== body && (SCOPE_TYPES.has(node.type) || LOOP_TYPES.has(node.type) || node.type === 'except_clause')) return false;
    if ((node.type === 'if_statement' || node.type === 'elif_clause') && branchesOnState(analysis, node, bound)) waitsForState = true;
    if (EXIT_TYPES.has(node.type) && guardsOf(node, body).every((guard) => isSuccessTest(analysis, guard, bound))) leaves = true;
    return !waitsForState;
  });
  return leaves && !waitsForState;
}

/**
 * A handler that falls through to an unconditional `return`, `break` or `raise` after its
 * `try` (in the same pass) does not lead to another attempt.
 */
export function fallsIntoExit(tryStatement: PyNode, body: PyNode): boolean {
  for (let statement: PyNode = tryStatement; statement !== body && statement.parent; statement = statement.parent) {
    const block = statement.parent;
    if (block.type !== 'block') continue;
    for (const later of namedChildren(block).filter((sibling) => sibling.start > statement.start)) {
      if (EXIT_TYPES.has(later.type) || later.type === 'raise_statement') return true;
      if (later.type === 'continue_statement') return false;
    }
    if (block === body) return false;
  }
  return false;
}

/**
 * `if phase == "Ready": break`, `if status in ("queued", "running"): continue`, on a state the
 * pass read. A state the pass did not read (`if ws.state != State.OPEN: return`) is a guard.
 */
function branchesOnState(analysis: Analysis, branch: PyNode, bound: ReadonlySet<string>): boolean {
  const condition = childByField(branch, 'condition');
  const block = childByField(branch, 'consequence');
  if (!condition || !block || !comparesWithWord(analysis, condition) || !mentionsBound(analysis, condition, bound)) return false;
  // `if "text/html" in kind: return a` / `else: return b` picks an answer; a wait goes on otherwise.
  if (branch.type === 'if_statement' && ifExitsOnEveryBranch(branch)) return false;
  const last = namedChildren(block).pop();
  return last !== undefined && (EXIT_TYPES.has(last.type) || last.type === 'continue_statement');
}

/**
 * The conditions an exit sits under, up to the loop body: an `if`'s own condition, and for an
 * `elif` or `else` the conditions before it too (the branch is taken when those fail).
 */
function guardsOf(exit: PyNode, body: PyNode): PyNode[] {
  const guards: PyNode[] = [];
  for (let current: PyNode | null = exit; current && current !== body; current = current.parent) {
    const owner = current.parent;
    if (current.type !== 'block' || !owner) continue;
    if (owner.type === 'if_statement' || owner.type === 'elif_clause' || owner.type === 'else_clause') {
      const statement = owner.type === 'if_statement' ? owner : owner.parent;
      if (!statement) continue;
      for (const branch of [statement, ...namedChildren(statement).filter((child) => child.type === 'elif_clause')]) {
        const condition = childByField(branch, 'condition');
        if (condition) guards.push(condition);
        if (branch === owner || (branch === statement && owner.type === 'if_statement')) break;
      }
    }
  }
  return guards;
}

/**
 * A condition that tells success from failure of this pass: a status test, or any test of a
 * value the pass produced, except a comparison with a state or command word (`state ==
 * "MERGED"`, `text in ["exit", "quit"]`, `"SUCCEEDED" in state`), which is what a poll or an
 * event loop waits for, and a deadline, which is giving up. A condition on nothing the pass
 * produced (`if not interactive:`) is a mode, not an outcome.
 */
function isSuccessTest(analysis: Analysis, condition: PyNode, bound: ReadonlySet<string>): boolean {
  if (statusTest(analysis, condition)) return true;
  if (comparesWithWord(analysis, condition) || comparesWithClock(analysis, condition)) return false;
  return mentionsBound(analysis, condition, bound, true);
}

function mentionsBound(analysis: Analysis, condition: PyNode, bound: ReadonlySet<string>, orCalls = false): boolean {
  let found = false;
  walk(condition, (node) => {
    if ((orCalls && node.type === 'call') || (node.type === 'identifier' && bound.has(analysis.file.textOf(node)))) found = true;
    return !found;
  });
  return found;
}

function comparesWithClock(analysis: Analysis, condition: PyNode): boolean {
  let found = false;
  walk(condition, (node) => {
    if (node.type === 'comparison_operator' && DEADLINE.test(analysis.file.textOf(node))) found = true;
    return !found;
  });
  return found;
}

function comparesWithWord(analysis: Analysis, condition: PyNode): boolean {
  let found = false;
  walk(condition, (node) => {
    if (found) return false;
    if (node.type !== 'comparison_operator') return true;
    const operands = namedChildren(node).map(unwrap);
    const operators = node.children.filter((child) => !child.named).map((child) => analysis.file.textOf(child).replace(/\s+/g, ' '));
    if (operands.length !== 2 || operators.length !== 1) return true;
    const [left, right] = operands;
    const operator = operators[0];
    if (operator === '==' || operator === '!=') found = isWord(analysis, left) || isWord(analysis, right);
    else if (operator === 'in' || operator === 'not in') found = isWordList(analysis, right) || (operator === 'in' && isStateName(analysis, left));
    return !found;
  });
  return found;
}

function isWord(analysis: Analysis, node: PyNode): boolean {
  const value = analysis.values.evaluate(node);
  if (typeof value === 'string') return value.length > 0;
  const inner = unwrap(node);
  return inner.type === 'attribute' && ENUM_MEMBER.test(analysis.file.textOf(inner));
}

/** `"SUCCEEDED" in state`: a state constant looked for in a longer text, not a substring such as `"text/html"`. */
function isStateName(analysis: Analysis, node: PyNode): boolean {
  const value = analysis.values.evaluate(node);
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]*$/.test(value);
}

function isWordList(analysis: Analysis, node: PyNode): boolean {
  const value = analysis.values.evaluate(node);
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => typeof item === 'string' && item.length > 0);
  const target = unwrap(analysis.values.follow(node));
  const items = target.type === 'tuple' || target.type === 'list' || target.type === 'set' ? namedChildren(target) : [];
  return items.length > 0 && items.every((item) => isWord(analysis, item));
}

/** Names a pass binds: assignment targets, walrus names, `with ... as` targets, inner loop targets. */
function namesBoundIn(analysis: Analysis, body: PyNode): Set<string> {
  const names = new Set<string>();
  walk(body, (node) => {
    if (node !== body && SCOPE_TYPES.has(node.type)) return false;
    const target = bindingTarget(node);
    if (target) {
      walk(target, (part) => {
        if (part.type === 'identifier') names.add(analysis.file.textOf(part));
        return part.type !== 'attribute' && part.type !== 'subscript';
      });
    }
    return true;
  });
  return names;
}

function bindingTarget(node: PyNode): PyNode | undefined {
  switch (node.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
      return childByField(node, 'left');
    case 'named_expression':
      return childByField(node, 'name');
    case 'as_pattern_target':
      return node;
    default:
      return undefined;
  }
}
