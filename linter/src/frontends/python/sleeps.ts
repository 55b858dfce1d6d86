/** Sleep calls and what holds a permit around them. */
import { known, type SleepFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { SLEEPS } from './entry-names.js';
import { ancestors, childByField, enclosingFunction, namedChildren, unwrap, type PyNode } from './syntax-tree.js';

const BLOCKING_SLEEPS = new Set(['time.sleep']);
const PERMIT_TYPES = new Set([
  'asyncio.Semaphore',
  'asyncio.BoundedSemaphore',
  'asyncio.Lock',
  'threading.Semaphore',
  'threading.BoundedSemaphore',
  'threading.Lock',
  'threading.RLock',
  'anyio.Semaphore',
  'anyio.Lock',
  'anyio.CapacityLimiter',
  'trio.Semaphore',
  'trio.Lock',
  'trio.CapacityLimiter',
]);
const PERMIT_NAMES = /(^|[._])(sem|semaphore|lock|mutex)$/i;

export function sleepKind(analysis: Analysis, call: PyNode): 'blocking' | 'async' | undefined {
  const name = analysis.file.qualify(childByField(call, 'function'));
  if (!name || !SLEEPS.has(name)) return undefined;
  return BLOCKING_SLEEPS.has(name) ? 'blocking' : 'async';
}

export function sleepArgument(call: PyNode): PyNode | undefined {
  const args = childByField(call, 'arguments');
  return args ? namedChildren(args).find((arg) => arg.type !== 'keyword_argument') ?? keywordValue(args) : undefined;
}

/**
 * Whether one of `calls` (already limited to the retried code's own path) is a blocking sleep
 * in async code, with the call's parts for the `await asyncio.sleep(...)` fix.
 */
export function blockingSleepFacts(analysis: Analysis, calls: readonly PyNode[], isAsync: boolean): Pick<SleepFacts, 'blockingInAsync' | 'blockingCall' | 'blockingCalls'> {
  const blocking = isAsync ? calls.filter((call) => sleepKind(analysis, call) === 'blocking') : [];
  if (blocking.length === 0) return { blockingInAsync: known(false) };
  const { file } = analysis;
  const blockingCalls = blocking.map((call) => {
    const callee = childByField(call, 'function') as PyNode;
    const argument = sleepArgument(call);
    return { span: file.span(call), callee: file.span(callee), ...(argument ? { argument: file.span(argument) } : {}) };
  });
  return { blockingInAsync: known(true), blockingCall: blockingCalls[0], blockingCalls };
}

function keywordValue(args: PyNode): PyNode | undefined {
  const keyword = namedChildren(args).find((arg) => arg.type === 'keyword_argument');
  return keyword ? childByField(keyword, 'value') : undefined;
}

/** The `with sem:` / `async with lock:` item around `node` in the same function, if any. */
export function heldPermit(analysis: Analysis, node: PyNode): PyNode | undefined {
  const fn = enclosingFunction(node);
  for (const ancestor of ancestors(node)) {
    if (ancestor === fn) break;
    if (ancestor.type !== 'with_statement') continue;
    const clause = ancestor.children.find((child) => child.type === 'with_clause');
    for (const item of clause ? namedChildren(clause) : []) {
      const value = childByField(item, 'value');
      const expression = value?.type === 'as_pattern' ? namedChildren(value)[0] : value;
      if (expression && isPermit(analysis, expression)) return item;
    }
  }
  return undefined;
}

function isPermit(analysis: Analysis, expression: PyNode): boolean {
  const inner = unwrap(expression);
  const origin = unwrap(analysis.values.follow(inner));
  if (origin.type === 'call') {
    const name = analysis.file.qualify(childByField(origin, 'function'));
    if (name) return PERMIT_TYPES.has(name);
  }
  return (inner.type === 'identifier' || inner.type === 'attribute') && PERMIT_NAMES.test(analysis.file.textOf(inner));
}
