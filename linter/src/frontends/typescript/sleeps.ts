/**
 * Recognizes waits: `await sleep(ms)`, `await new Promise(r => setTimeout(r, ms))`,
 * `await setTimeout(ms)` from timers/promises, local sleep helpers (with their unit), and
 * blocking waits (`Atomics.wait`, busy loops) that freeze the event loop.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ExtractionContext } from './context.js';
import { refersTo } from './file-index.js';
import { isFunction, memberPath, stripCasts, type CallExpression, type FunctionNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

export interface Wait {
  /** The awaited expression or the blocking call. */
  readonly node: Node;
  /** The duration expression, when the wait has one. */
  readonly argument?: Node;
  /** Multiply the argument by this to get ms; undefined when the helper's unit is unclear. */
  readonly scale: number | undefined;
  readonly blocking: boolean;
  /** The callee, for the blocking-sleep fix. */
  readonly callee?: Node;
}

const SLEEP_NAMES = /^(sleep|delay|wait|pause|sleepMs|waitMs|delayMs|backoffSleep)$/;

/** A wait at `node` (an `await` expression or a blocking call), if it is one. */
export function waitAt(node: Node, context: ExtractionContext): Wait | undefined {
  if (node.type === 'AwaitExpression') return promisedWait(node.argument, node, context);
  if (node.type === 'CallExpression') {
    if (isAtomicsWait(node, context)) {
      const argument = node.arguments[3];
      return { node, ...(argument ? { argument } : {}), scale: 1, blocking: true, callee: node.callee };
    }
    const helper = context.index.functionOf(node.callee);
    if (helper && !helper.async && context.memo(`blocking:${helper.range[0]}`, () => blocksThread(helper, context))) {
      const argument = node.arguments[0];
      return { node, ...(argument ? { argument } : {}), scale: 1, blocking: true, callee: node.callee };
    }
  }
  return undefined;
}

/** A promise that settles after a delay (`sleep(ms)`, `new Promise(r => setTimeout(r, ms))`), awaited or chained with `.then`. */
export function promisedWait(expression: Node, node: Node, context: ExtractionContext): Wait | undefined {
  const inner = stripCasts(expression);
  if (inner.type === 'NewExpression') {
    const ms = promiseTimerDelay(inner, context);
    return ms === undefined ? undefined : { node, argument: ms, scale: 1, blocking: false };
  }
  if (inner.type !== 'CallExpression') return undefined;
  return asyncSleepCall(inner, node, context);
}

function asyncSleepCall(call: CallExpression, awaited: Node, context: ExtractionContext): Wait | undefined {
  const argument = call.arguments[0];
  const withArgument = argument ? { argument } : {};
  if (refersTo(context.index.importRef(call.callee), ['timers/promises'], 'setTimeout')) {
    return { node: awaited, ...withArgument, scale: 1, blocking: false };
  }
  const path = memberPath(call.callee);
  if (path?.join('.') === 'scheduler.wait') return { node: awaited, ...withArgument, scale: 1, blocking: false };
  const helper = context.index.functionOf(call.callee);
  if (helper) {
    const scale = context.memo(`sleep-scale:${helper.range[0]}`, () => sleepHelperScale(helper, context));
    if (scale === null) return undefined;
    return { node: awaited, ...withArgument, scale, blocking: false };
  }
  const name = path?.[path.length - 1];
  if (name && SLEEP_NAMES.test(name)) {
    const ref = context.index.importRef(call.callee);
    // An imported helper named like a sleep (`delay`, `sleep` from a utils module): ms by JS convention.
    return { node: awaited, ...withArgument, scale: ref || !context.index.lookup(path![0], call) ? 1 : undefined, blocking: false };
  }
  return undefined;
}

/** `new Promise(r => setTimeout(r, ms))`: the ms expression. */
function promiseTimerDelay(node: TSESTree.NewExpression, context: ExtractionContext): Node | undefined {
  if (node.callee.type !== 'Identifier' || node.callee.name !== 'Promise') return undefined;
  const executor = node.arguments[0];
  if (!executor || !isFunction(executor)) return undefined;
  let delay: Node | undefined;
  walkWithinFunction(executor.body, (inner) => {
    if (delay) return false;
    if (inner.type === 'CallExpression' && isTimerCall(inner, context)) delay = inner.arguments[1];
    return true;
  });
  return delay;
}

function isTimerCall(call: CallExpression, context: ExtractionContext): boolean {
  const path = memberPath(call.callee);
  if (!path) return false;
  const joined = path.join('.');
  if (joined === 'setTimeout') return !context.index.lookup('setTimeout', call) || refersTo(context.index.importRef(call.callee), ['timers'], 'setTimeout');
  return joined === 'globalThis.setTimeout' || joined === 'window.setTimeout';
}

/**
 * A local async helper that waits: returns how its first parameter maps to ms (1 for ms,
 * 1000 for seconds), undefined when the mapping is unclear, null when it is not a sleep.
 */
function sleepHelperScale(helper: FunctionNode, context: ExtractionContext): number | undefined | null {
  const param = helper.params[0];
  const name = param?.type === 'Identifier' ? param.name : param?.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
  let delay: Node | undefined;
  let found = false;
  walkWithinFunction(helper.body, (node) => {
    if (found) return false;
    if (node.type === 'NewExpression') {
      const ms = promiseTimerDelay(node, context);
      if (ms) {
        delay = ms;
        found = true;
      }
    }
    if (node.type === 'CallExpression' && refersTo(context.index.importRef(node.callee), ['timers/promises'], 'setTimeout')) {
      delay = node.arguments[0];
      found = true;
    }
    return true;
  });
  if (!found) return null;
  if (!delay || !name) return undefined;
  const expression = stripCasts(delay);
  if (expression.type === 'Identifier' && expression.name === name) return 1;
  if (expression.type === 'BinaryExpression' && expression.operator === '*') {
    const [left, right] = [stripCasts(expression.left as Node), stripCasts(expression.right)];
    const other = left.type === 'Identifier' && left.name === name ? right : right.type === 'Identifier' && right.name === name ? left : undefined;
    const factor = other ? context.evaluate.number(other) : undefined;
    return factor;
  }
  return undefined;
}

function isAtomicsWait(call: CallExpression, context: ExtractionContext): boolean {
  const path = memberPath(call.callee);
  return path?.join('.') === 'Atomics.wait' && !context.index.lookup('Atomics', call);
}

/** A synchronous helper that blocks the thread: Atomics.wait or a busy loop on the clock. */
function blocksThread(helper: FunctionNode, context: ExtractionContext): boolean {
  let blocking = false;
  walkWithinFunction(helper.body, (node) => {
    if (blocking) return false;
    if (node.type === 'CallExpression' && isAtomicsWait(node, context)) blocking = true;
    if ((node.type === 'WhileStatement' || node.type === 'DoWhileStatement') && isEmptyBody(node.body) && mentionsClock(node.test)) blocking = true;
    return true;
  });
  return blocking;
}

function isEmptyBody(body: Node): boolean {
  return body.type === 'EmptyStatement' || (body.type === 'BlockStatement' && body.body.length === 0);
}

function mentionsClock(test: Node): boolean {
  let found = false;
  walkWithinFunction(test, (node) => {
    if (node.type === 'CallExpression') {
      const path = memberPath(node.callee)?.join('.');
      if (path === 'Date.now' || path === 'performance.now') found = true;
    }
    return !found;
  });
  return found;
}
