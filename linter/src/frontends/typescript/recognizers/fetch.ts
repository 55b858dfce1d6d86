/** `fetch(url, init)`: the platform fetch and the packages that mirror it. */
import { known, makeCall, unknown, type Maybe, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { refersTo } from '../file-index.js';
import { memberPath, stringValue, stripCasts, type CallExpression, type Node } from '../syntax.js';
import { NODE_FETCH_TIMEOUT_MS, runtimeOf } from '../runtime.js';
import type { RecognizedCall } from './call.js';

const FETCH_MODULES = ['undici', 'node-fetch', 'cross-fetch', 'isomorphic-fetch'];

function isFetch(call: CallExpression, context: ExtractionContext): boolean {
  const callee = stripCasts(call.callee);
  const path = memberPath(callee);
  if (path && path.length === 1 && path[0] === 'fetch') {
    const declaration = context.index.lookup('fetch', callee);
    if (!declaration) return true;
    return declaration.kind === 'import' && (refersTo(context.index.importRef(callee), FETCH_MODULES, 'fetch') || refersTo(context.index.importRef(callee), FETCH_MODULES, 'default'));
  }
  if (path && path.length === 2 && (path[0] === 'globalThis' || path[0] === 'window') && path[1] === 'fetch') return true;
  return false;
}

/** `AbortSignal.timeout(ms)`, also inside `AbortSignal.any([...])`. */
export function signalTimeout(expression: Node, context: ExtractionContext): Maybe<TimeoutFacts> {
  const node = stripCasts(expression);
  if (node.type === 'CallExpression') {
    const path = memberPath(node.callee);
    if (path?.join('.') === 'AbortSignal.timeout') {
      const ms = context.evaluate.number(node.arguments[0]);
      return ms === undefined ? unknown('computed timeout') : known({ kind: 'explicit', ms }, context.span(node));
    }
    if (path?.join('.') === 'AbortSignal.any') {
      const list = node.arguments[0];
      if (list?.type === 'ArrayExpression') {
        for (const element of list.elements) {
          if (!element || element.type === 'SpreadElement') continue;
          const inner = signalTimeout(element, context);
          if (inner.kind === 'known') return inner;
        }
      }
    }
  }
  const init = context.index.constantInit(node);
  if (init) return signalTimeout(init, context);
  return unknown('signal from elsewhere');
}

/** No signal: Node's own limits apply in Node code, none in a browser, either where it could be both. */
function missingSignal(context: ExtractionContext): TimeoutFacts {
  switch (runtimeOf(context)) {
    case 'node':
      return { kind: 'library-default', ms: NODE_FETCH_TIMEOUT_MS };
    case 'browser':
      return { kind: 'missing' };
    default:
      return { kind: 'missing', runtimeLimitMs: NODE_FETCH_TIMEOUT_MS };
  }
}

export function recognizeFetch(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  if (!isFetch(call, context)) return undefined;
  const first = call.arguments[0];
  if (first && stripCasts(first).type === 'NewExpression') {
    return { node: call, facts: makeCall({ kind: 'http', library: 'fetch', span: context.span(call) }), generic: true };
  }
  const init = context.options(call, 1);
  let timeout: Maybe<TimeoutFacts> = unknown();
  const signal = init.value('signal');
  if (signal) timeout = signalTimeout(signal, context);
  else if (init.defaultsApply) timeout = known(missingSignal(context), context.span(call));
  const methodNode = init.value('method');
  const method = methodNode ? stringValue(methodNode) : init.defaultsApply ? 'GET' : undefined;
  const accept = init.nested('headers').value('Accept') ?? init.nested('headers').value('accept');
  const streaming = accept && stringValue(accept) === 'text/event-stream' ? known(true) : unknown();
  const slot = init.slot('signal', 'abort-signal-timeout');
  const headers = init.value('headers');
  return {
    node: call,
    facts: makeCall(
      { kind: 'http', library: 'fetch', span: context.span(call) },
      {
        method: method ? known(method.toUpperCase()) : unknown(),
        timeout,
        streaming,
        clientAttempts: known(1),
        ...(slot && !signal ? { timeoutSlot: slot } : {}),
      },
    ),
    ...(headers ? { headers } : {}),
    generic: true,
  };
}
