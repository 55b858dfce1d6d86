/**
 * Permits held across a retry: a semaphore, lock or pool slot acquired before the loop in
 * the same function and released after it (`const release = await sem.acquire()`,
 * `await mutex.runExclusive(async () => { loop })`, `await limiter.schedule(...)`).
 */
import type { ExtractionContext } from './context.js';
import { isFunction, memberPath, propertyName, stripCasts, type FunctionNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

const ACQUIRE = new Set(['acquire', 'lock', 'acquireLock', 'wait', 'take']);
const EXCLUSIVE = new Set(['runExclusive', 'use', 'withLock', 'run']);

/** The call that holds a permit across `site`, if any. */
export function permitAround(site: Node, fn: FunctionNode | undefined, context: ExtractionContext): Node | undefined {
  if (!fn) return undefined;
  // Inside `sem.runExclusive(async () => { ...site... })`.
  const parent = context.index.parents.get(fn);
  if (parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression') {
    const method = propertyName(parent.callee.property, parent.callee.computed);
    const receiver = memberPath(parent.callee.object)?.join('.') ?? '';
    if (method && EXCLUSIVE.has(method) && /sem|mutex|lock|permit|limiter|pool/i.test(receiver)) return parent;
  }
  return acquiresIn(fn).find((call) => call.range[0] < site.range[0] && !within(site, call));
}

/** Per function, its permit-acquiring calls in source order: one walk per function, not one per site in it. */
const acquiresByFunction = new WeakMap<FunctionNode, Node[]>();

function acquiresIn(fn: FunctionNode): Node[] {
  const cached = acquiresByFunction.get(fn);
  if (cached) return cached;
  const calls: Node[] = [];
  walkWithinFunction(fn.body, (node) => {
    if (isFunction(node) && node !== fn) return false;
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
      const method = propertyName(node.callee.property, node.callee.computed);
      const receiver = memberPath(stripCasts(node.callee.object))?.join('.') ?? '';
      const permitLike = method === 'acquire' || /sem|mutex|lock|permit|limiter|pool|slot/i.test(receiver);
      if (method && ACQUIRE.has(method) && permitLike) calls.push(node);
    }
    return true;
  });
  acquiresByFunction.set(fn, calls);
  return calls;
}

function within(inner: Node, outer: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
