/**
 * Loops that go through work items rather than repeat one operation: the counter picks an
 * element (`candidates[i]`), or each round takes the next item off a queue (`queue.shift()`).
 * A failure there moves on to the next item; it does not retry.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ExtractionContext } from './context.js';
import type { Wait } from './sleeps.js';
import { isFunction, isLoop, memberPath, stripCasts, type LoopNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

const TAKES_NEXT_ITEM = new Set(['shift', 'pop', 'dequeue', 'next']);

export function iteratesOverWork(loop: LoopNode, waits: readonly Wait[], context: ExtractionContext): boolean {
  const counters = counterNames(loop);
  const handlers = catchHandlers(loop);
  const inHandler = (node: Node): boolean => handlers.some((handler) => contains(handler, node));
  const inWait = (node: Node): boolean => waits.some((wait) => wait.argument !== undefined && contains(wait.argument, node));
  // `if (DELAYS[attempt] > 0) await sleep(DELAYS[attempt])`: the table the waits index is a schedule wherever it is read.
  const schedules = scheduleTables(waits, counters);
  const isSchedule = (node: Node): boolean => node.type === 'MemberExpression' && schedules.has(memberPath(node.object)?.join('.') ?? '');
  let found = false;
  const visit = (node: Node): boolean => {
    if (found || isFunction(node) || (node !== loop.body && isLoop(node))) return false;
    if (inHandler(node)) return false;
    if (node.type === 'MemberExpression' && node.computed && mentionsAny(node.property, counters) && !inWait(node) && !isSchedule(node)) found = true;
    if (node.type === 'CallExpression' && takesNextItem(node, waits, context)) found = true;
    return !found;
  };
  walkWithinFunction(loop.body, visit);
  if (!found && (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement')) walkWithinFunction(loop.test, visit);
  return found;
}

/** The tables a wait's duration is picked from by the counter (`DELAYS` in `sleep(DELAYS[attempt])`). */
function scheduleTables(waits: readonly Wait[], counters: ReadonlySet<string>): Set<string> {
  const tables = new Set<string>();
  for (const wait of waits) {
    if (!wait.argument || isFunction(stripCasts(wait.argument))) continue;
    walkWithinFunction(wait.argument, (node) => {
      if (node.type === 'MemberExpression' && node.computed && mentionsAny(node.property, counters)) {
        const path = memberPath(node.object)?.join('.');
        if (path) tables.add(path);
      }
      return true;
    });
  }
  return tables;
}

/** The for-init variables, and the names in the loop test that the loop updates. */
function counterNames(loop: LoopNode): Set<string> {
  const names = new Set<string>();
  if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
    for (const declarator of loop.init.declarations) if (declarator.id.type === 'Identifier') names.add(declarator.id.name);
  }
  const updated = new Set<string>();
  walkWithinFunction(loop, (node) => {
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') updated.add(node.argument.name);
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.operator !== '=') updated.add(node.left.name);
    return !isFunction(node);
  });
  if ((loop.type === 'ForStatement' || loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement') && loop.test) {
    walkWithinFunction(loop.test, (node) => {
      if (node.type === 'Identifier' && updated.has(node.name)) names.add(node.name);
      return true;
    });
  }
  return names;
}

/**
 * `const item = queue.shift()`: the result is kept as this round's work. A value that only
 * feeds the wait (`const delay = delays.shift()`) is a delay schedule instead.
 */
function takesNextItem(call: TSESTree.CallExpression, waits: readonly Wait[], context: ExtractionContext): boolean {
  const path = memberPath(call.callee);
  if (!path || path.length < 2 || !TAKES_NEXT_ITEM.has(path[path.length - 1] ?? '')) return false;
  let parent = context.index.parents.get(call);
  while (parent && (parent.type === 'AwaitExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSAsExpression')) parent = context.index.parents.get(parent);
  if (parent?.type === 'WhileStatement') return true;
  const target = parent?.type === 'VariableDeclarator' ? parent.id : parent?.type === 'AssignmentExpression' ? parent.left : undefined;
  if (!target) return false;
  const names = new Set<string>();
  walkWithinFunction(target, (node) => {
    if (node.type === 'Identifier') names.add(node.name);
    return true;
  });
  const feedsWait = (wait: Wait): boolean => wait.argument !== undefined && !isFunction(stripCasts(wait.argument)) && mentionsAny(wait.argument, names);
  return !waits.some(feedsWait);
}

function catchHandlers(loop: LoopNode): TSESTree.CatchClause[] {
  const handlers: TSESTree.CatchClause[] = [];
  walkWithinFunction(loop.body, (node) => {
    if (node.type === 'CatchClause') handlers.push(node);
    return !isFunction(node);
  });
  return handlers;
}

function contains(outer: Node, node: Node): boolean {
  return outer.range[0] <= node.range[0] && node.range[1] <= outer.range[1];
}

function mentionsAny(expression: Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walkWithinFunction(stripCasts(expression), (node) => {
    if (node.type === 'Identifier' && names.has(node.name)) found = true;
    return !found;
  });
  return found;
}
