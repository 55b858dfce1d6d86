/**
 * Whether a use of a name is guarded so that it cannot be None there: `if timeout is not None:`,
 * `if timeout:`, `x if timeout else y`, the `else` of `if timeout is None:`, or an earlier
 * `if timeout is None: return ...` in the same block. A parameter whose default is None then
 * holds what the caller passed, which the frontend does not know.
 */
import type { FileContext } from './file-context.js';
import { childByField, namedChildren, unwrap, type PyNode } from './syntax-tree.js';

type Outcome = 'not-none' | 'none' | undefined;

export function isNarrowedToValue(file: FileContext, use: PyNode, scope: PyNode | undefined): boolean {
  const name = file.textOf(use);
  for (let current: PyNode = use; current.parent && current !== scope; current = current.parent) {
    const owner = current.parent;
    if (owner.type === 'conditional_expression') {
      const [whenTrue, condition, whenFalse] = namedChildren(owner);
      if (condition && current === whenTrue && implies(file, condition, name, true) === 'not-none') return true;
      if (condition && current === whenFalse && implies(file, condition, name, false) === 'not-none') return true;
    }
    if (owner.type === 'boolean_operator' && current === childByField(owner, 'right')) {
      const left = childByField(owner, 'left');
      const operator = file.textOf(childByField(owner, 'operator') ?? owner);
      if (left && implies(file, left, name, operator === 'and') === 'not-none') return true;
    }
    if (current.type !== 'block') continue;
    if (owner.type === 'if_statement' || owner.type === 'elif_clause') {
      const condition = childByField(owner, 'condition');
      if (condition && current === childByField(owner, 'consequence') && implies(file, condition, name, true) === 'not-none') return true;
    }
    if (owner.type === 'else_clause' && owner.parent) {
      const branches = [owner.parent, ...namedChildren(owner.parent).filter((child) => child.type === 'elif_clause')];
      const conditions = branches.map((branch) => childByField(branch, 'condition'));
      if (conditions.some((condition) => condition && implies(file, condition, name, false) === 'not-none')) return true;
    }
    if (exitsEarlierWhenNone(file, current, use, name)) return true;
  }
  return false;
}

/** `if name is None: return ...` (or `raise`, `continue`, `break`) before the use in this block. */
function exitsEarlierWhenNone(file: FileContext, block: PyNode, use: PyNode, name: string): boolean {
  for (const statement of namedChildren(block)) {
    if (statement.end > use.start) break;
    if (statement.type !== 'if_statement' || namedChildren(statement).some((child) => child.type === 'elif_clause' || child.type === 'else_clause')) continue;
    const condition = childByField(statement, 'condition');
    const consequence = childByField(statement, 'consequence');
    const last = consequence ? namedChildren(consequence).pop() : undefined;
    const exits = last !== undefined && /^(return_statement|raise_statement|continue_statement|break_statement)$/.test(last.type);
    if (condition && exits && implies(file, condition, name, false) === 'not-none') return true;
  }
  return false;
}

/** What `condition` being `holds` (true or false) says about `name`. */
function implies(file: FileContext, condition: PyNode, name: string, holds: boolean): Outcome {
  const inner = unwrap(condition);
  if (inner.type === 'identifier') return file.textOf(inner) === name && holds ? 'not-none' : undefined;
  if (inner.type === 'not_operator') {
    const argument = childByField(inner, 'argument');
    return argument ? implies(file, argument, name, !holds) : undefined;
  }
  if (inner.type === 'boolean_operator') {
    const operator = file.textOf(childByField(inner, 'operator') ?? inner);
    const parts = [childByField(inner, 'left'), childByField(inner, 'right')].filter((part): part is PyNode => part !== undefined);
    // `a and b` true: both hold; `a or b` false: both fail. Either way each part tells.
    if ((operator === 'and' && holds) || (operator === 'or' && !holds)) {
      return parts.some((part) => implies(file, part, name, holds) === 'not-none') ? 'not-none' : undefined;
    }
    return undefined;
  }
  if (inner.type === 'call') {
    const callee = childByField(inner, 'function');
    const first = namedChildren(childByField(inner, 'arguments') ?? inner)[0];
    const isInstance = callee && file.textOf(callee) === 'isinstance' && first && file.textOf(unwrap(first)) === name;
    return isInstance && holds ? 'not-none' : undefined;
  }
  if (inner.type !== 'comparison_operator') return undefined;
  const operands = namedChildren(inner).map(unwrap);
  const operators = inner.children.filter((child) => !child.named).map((child) => file.textOf(child).replace(/\s+/g, ' '));
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  const [left, right] = operands;
  const other = file.textOf(left) === name ? right : file.textOf(right) === name ? left : undefined;
  if (!other) return undefined;
  const operator = operators[0];
  if (other.type !== 'none') {
    // `name > 0`, `name == 5`: only a value compares true.
    return holds && /^(<|<=|>|>=|==)$/.test(operator) ? 'not-none' : undefined;
  }
  const saysNone = operator === 'is' || operator === '==';
  const saysValue = operator === 'is not' || operator === '!=';
  if (!saysNone && !saysValue) return undefined;
  return saysNone !== holds ? 'not-none' : 'none';
}
