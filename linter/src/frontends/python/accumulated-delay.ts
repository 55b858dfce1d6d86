/**
 * A delay carried across the passes of a retry loop: `delay = 1.0` before the loop, then
 * `time.sleep(delay)` next to `delay *= 2`, `delay = delay * 2`, `delay = min(delay * 2, cap)`
 * or `delay += step` in the same failure path.
 */
import type { Analysis } from './analysis.js';
import type { Accumulator } from './delay-expression.js';
import { childByField, isInside, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

export interface AccumulatedDelay {
  readonly accumulator: Accumulator;
  /** Updates made before the first sleep: 1 when the update comes first in the block. */
  readonly firstValue: number;
}

type Growth = Accumulator['growth'];

export function accumulatedDelay(analysis: Analysis, loop: PyNode, fn: PyNode | undefined, sleep: PyNode, argument: PyNode): AccumulatedDelay | undefined {
  if (!fn || (loop.type !== 'for_statement' && loop.type !== 'while_statement')) return undefined;
  const names = new Set<string>();
  walk(argument, (node) => {
    if (node.type === 'identifier') names.add(analysis.file.textOf(node));
    return true;
  });
  for (const name of names) {
    const found = accumulation(analysis, loop, fn, sleep, name);
    if (found) return found;
  }
  return undefined;
}

function accumulation(analysis: Analysis, loop: PyNode, fn: PyNode, sleep: PyNode, name: string): AccumulatedDelay | undefined {
  const writes = writesOf(analysis, fn, name);
  if (writes.length !== 2) return undefined;
  const [initial, update] = writes;
  if (initial.type !== 'assignment' || isInside(initial, loop) || initial.start > loop.start || !isInside(update, loop)) return undefined;
  const base = analysis.values.evaluateNumber(childByField(initial, 'right'));
  if (base === undefined || base <= 0) return undefined;
  const sleepStatement = statementOf(sleep);
  const updateStatement = statementOf(update);
  // The update and the sleep run together on the same failure path: side by side, or the update
  // in an `if` just before the sleep (`if should_retry: delay *= 2; if delay > LIMIT: ...`).
  if (!sleepStatement || !updateStatement) return undefined;
  const onPath = statementIn(updateStatement, sleepStatement.parent);
  if (!onPath || (onPath !== updateStatement && (onPath.type !== 'if_statement' || onPath.start > sleepStatement.start))) return undefined;
  const step = growthOf(analysis, update, name);
  if (!step) return undefined;
  // `if delay > LIMIT: stop`: the delay never sleeps past the limit, a cap (NaN when not constant).
  const cap = step.cap ?? limitTestedOn(analysis, loop, name);
  return {
    accumulator: { name, base, growth: step.growth, ...(cap !== undefined ? { cap } : {}) },
    firstValue: update.start < sleep.start ? 1 : 0,
  };
}

interface WriteIndex {
  /** Plain `name = …` / `name op= …` statements by name, in source order. */
  readonly writes: Map<string, PyNode[]>;
  /** Names also bound some other way (a tuple target, a for target, `:=`). */
  readonly otherwiseBound: Set<string>;
}

/** One walk per function for all its names: a function with many loops must not be walked once per loop. */
const writeIndexes = new WeakMap<PyNode, WriteIndex>();

function writeIndexOf(analysis: Analysis, fn: PyNode): WriteIndex {
  const cached = writeIndexes.get(fn);
  if (cached) return cached;
  const index: WriteIndex = { writes: new Map(), otherwiseBound: new Set() };
  walk(fn, (node) => {
    if (node !== fn && SCOPE_TYPES.has(node.type)) return false;
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = childByField(node, 'left');
      if (left?.type === 'identifier') {
        const name = analysis.file.textOf(left);
        const list = index.writes.get(name);
        if (list) list.push(node);
        else index.writes.set(name, [node]);
      } else if (left) {
        for (const word of analysis.file.textOf(left).split(/\W+/)) index.otherwiseBound.add(word);
      }
    }
    if (node.type === 'for_statement' || node.type === 'named_expression') {
      index.otherwiseBound.add(analysis.file.textOf(childByField(node, node.type === 'for_statement' ? 'left' : 'name') ?? node));
    }
    return true;
  });
  writeIndexes.set(fn, index);
  return index;
}

/** Assignments and augmented assignments to `name` in the function, in source order. */
function writesOf(analysis: Analysis, fn: PyNode, name: string): PyNode[] {
  const index = writeIndexOf(analysis, fn);
  if (index.otherwiseBound.has(name)) return [];
  return [...(index.writes.get(name) ?? [])].sort((a, b) => a.start - b.start);
}

/**
 * `name > bound` / `bound < name` (and `>=` / `<=`), read as the grown name, its bound and the
 * operator facing the bound; undefined for any other comparison.
 */
function pastTest(analysis: Analysis, test: PyNode): { name: string; bound: PyNode; operator: '>' | '>=' } | undefined {
  const { file } = analysis;
  if (test.type !== 'comparison_operator') return undefined;
  const operands = test.children.filter((child) => child.named).map(unwrap);
  const operators = test.children.filter((child) => !child.named).map((child) => file.textOf(child));
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  const mirrored: Record<string, string> = { '<': '>', '<=': '>=' };
  const [grown, bound, operator] =
    operands[0].type === 'identifier' ? [operands[0], operands[1], operators[0]] : [operands[1], operands[0], mirrored[operators[0]] ?? ''];
  if (grown.type !== 'identifier' || (operator !== '>' && operator !== '>=')) return undefined;
  return { name: file.textOf(grown), bound, operator };
}

/** The bound of an `if name > bound` / `bound < name` test in the loop; NaN when it does not evaluate. */
function limitTestedOn(analysis: Analysis, loop: PyNode, name: string): number | undefined {
  let limit: number | undefined;
  walk(loop, (node) => {
    if (limit !== undefined) return false;
    if (node.parent?.type !== 'if_statement') return true;
    const test = pastTest(analysis, node);
    if (test?.name === name) limit = analysis.values.evaluateNumber(test.bound) ?? Number.NaN;
    return true;
  });
  return limit;
}

/** The statement of `block` that holds `statement` (itself, or an enclosing one). */
function statementIn(statement: PyNode, block: PyNode | null): PyNode | undefined {
  let current: PyNode | null = statement;
  while (current && current.parent !== block) current = current.parent;
  return current ?? undefined;
}

function statementOf(node: PyNode): PyNode | undefined {
  let current: PyNode | undefined = node;
  while (current && current.parent?.type !== 'block') current = current.parent ?? undefined;
  return current;
}

/** `x *= 2`, `x += 1.5`, `x = x * 2`, `x = 2 * x`, `x = x + 1`, `x = min(x * 2, 30)`. */
function growthOf(analysis: Analysis, update: PyNode, name: string): { growth: Growth; cap?: number } | undefined {
  const { file, values } = analysis;
  const right = childByField(update, 'right');
  if (!right) return undefined;
  if (update.type === 'augmented_assignment') {
    const operator = file.textOf(childByField(update, 'operator') ?? update).trim();
    const amount = values.evaluateNumber(right);
    if (amount === undefined) return undefined;
    if (operator === '*=' && amount > 1) return { growth: { kind: 'exponential', factor: amount } };
    if (operator === '+=' && amount > 0) return { growth: { kind: 'linear', step: amount } };
    return undefined;
  }
  const value = unwrap(right);
  if (value.type === 'call' && file.textOf(childByField(value, 'function') ?? value) === 'min') {
    const args = namedChildren(childByField(value, 'arguments') ?? value);
    if (args.length !== 2) return undefined;
    const growingIndex = args.findIndex((arg) => mentions(analysis, arg, name));
    if (growingIndex < 0) return undefined;
    const growth = stepOf(analysis, unwrap(args[growingIndex]), name);
    if (!growth) return undefined;
    const cap = mentions(analysis, args[1 - growingIndex], name) ? undefined : (values.evaluateNumber(args[1 - growingIndex]) ?? Number.NaN);
    return cap === undefined ? undefined : { growth, cap };
  }
  const growth = stepOf(analysis, value, name);
  return growth ? { growth } : undefined;
}

function stepOf(analysis: Analysis, node: PyNode, name: string): Growth | undefined {
  const { file, values } = analysis;
  if (node.type !== 'binary_operator') return undefined;
  const left = unwrap(childByField(node, 'left') as PyNode);
  const right = unwrap(childByField(node, 'right') as PyNode);
  const operator = file.textOf(childByField(node, 'operator') as PyNode);
  const isName = (operand: PyNode) => operand.type === 'identifier' && file.textOf(operand) === name;
  const other = isName(left) ? right : isName(right) ? left : undefined;
  const amount = other && !mentions(analysis, other, name) ? values.evaluateNumber(other) : undefined;
  if (amount === undefined) return undefined;
  if (operator === '*' && amount > 1) return { kind: 'exponential', factor: amount };
  if (operator === '+' && amount > 0) return { kind: 'linear', step: amount };
  return undefined;
}

function mentions(analysis: Analysis, node: PyNode, name: string): boolean {
  let found = false;
  walk(node, (current) => {
    if (current.type === 'identifier' && analysis.file.textOf(current) === name) found = true;
    return !found;
  });
  return found;
}

const MAX_PASSES = 1000;

/**
 * `delay *= 2` and then `if delay > RETRY_TIMEOUT: break`: the loop stops once the growing value
 * passes the limit. Returns the passes it makes (0.125 doubling past 60 is 9), or undefined
 * when the start, the growth or the limit cannot be read.
 */
export function passesUntilPast(analysis: Analysis, loop: PyNode, fn: PyNode | undefined, test: PyNode): number | undefined {
  const { values } = analysis;
  const past = fn ? pastTest(analysis, test) : undefined;
  if (!fn || !past) return undefined;
  const { name, bound, operator } = past;
  const limit = values.evaluateNumber(bound);
  const writes = writesOf(analysis, fn, name);
  if (limit === undefined || writes.length !== 2) return undefined;
  const [initial, update] = writes;
  if (initial.type !== 'assignment' || isInside(initial, loop) || initial.start > loop.start || !isInside(update, loop)) return undefined;
  const base = values.evaluateNumber(childByField(initial, 'right'));
  const step = growthOf(analysis, update, name);
  if (base === undefined || base <= 0 || !step || Number.isNaN(step.cap ?? 0)) return undefined;
  const grow = (value: number): number => {
    const next = step.growth.kind === 'exponential' ? value * step.growth.factor : value + step.growth.step;
    return step.cap === undefined ? next : Math.min(next, step.cap);
  };
  const isPast = (value: number): boolean => (operator === '>' ? value > limit : value >= limit);
  const updateFirst = update.start < test.start;
  let value = base;
  for (let passes = 1; passes <= MAX_PASSES; passes++) {
    if (updateFirst) value = grow(value);
    if (isPast(value)) return passes;
    if (!updateFirst) value = grow(value);
  }
  return undefined;
}
