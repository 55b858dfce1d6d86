/** httpx: module functions (5 s default timeout) and Client / AsyncClient methods. */
import { known, makeCall, unknown, type CallFacts, type TimeoutFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { calleeMethod, HTTP_VERBS, httpMethod, maybeTimeout, secondsTimeout, streamKeyword, type CallRecognizer } from './call-facts.js';
import { clientOrigin } from './client-origin.js';
import { childByField, unwrap, type PyNode } from './syntax-tree.js';

const CLIENT_CONSTRUCTORS = new Set(['httpx.Client', 'httpx.AsyncClient']);
const DEFAULT_TIMEOUT_MS = 5000;

export const isHttpxClient = (name: string): boolean => CLIENT_CONSTRUCTORS.has(name);

/** A timeout value as httpx reads it: seconds, None, or `httpx.Timeout(...)`. */
export function httpxTimeout(analysis: Analysis, node: PyNode): TimeoutFacts | undefined {
  const target = analysis.values.follow(node);
  const inner = unwrap(target);
  if (inner.type === 'call' && analysis.file.qualify(childByField(inner, 'function')) === 'httpx.Timeout') {
    const args = new CallArguments(analysis.file, inner);
    if (args.hasSplat) return undefined;
    const base = args.get('timeout', 0);
    const parts = [base, ...['connect', 'read', 'write', 'pool'].map((name) => args.keyword(name) ?? base)];
    const values = parts.filter((part): part is PyNode => part !== undefined).map((part) => analysis.values.evaluate(part));
    if (values.some((value) => value === undefined)) return undefined;
    const numbers = values.filter((value): value is number => typeof value === 'number');
    if (values.length > 0 && numbers.length === 0) return { kind: 'disabled' };
    // read=None with other parts set still lets one read wait forever.
    if (args.keyword('read') && analysis.values.evaluate(args.keyword('read')) === null) return { kind: 'disabled' };
    return numbers.length > 0 ? { kind: 'explicit', ms: Math.max(...numbers) * 1000 } : undefined;
  }
  return secondsTimeout(analysis.values.evaluate(target));
}

export const httpxCalls: CallRecognizer = {
  library: 'httpx',
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined {
    const qualified = analysis.file.qualify(childByField(call, 'function'));
    let verb: string | undefined;
    let clientTimeout: ReturnType<typeof httpxTimeout> | 'unknown' | undefined;
    let isClientCall = false;
    if (qualified?.startsWith('httpx.') && qualified.split('.').length === 2) {
      verb = qualified.slice('httpx.'.length);
    } else {
      const method = calleeMethod(analysis, call);
      if (!method?.object) return undefined;
      const client = clientOrigin(analysis, method.object, isHttpxClient);
      if (!client) return undefined;
      isClientCall = true;
      verb = method.name;
      const constructorArgs = new CallArguments(analysis.file, client.construction);
      const configured = constructorArgs.keyword('timeout');
      if (configured) clientTimeout = httpxTimeout(analysis, configured) ?? 'unknown';
      else if (constructorArgs.mayHide('timeout')) clientTimeout = 'unknown';
    }
    if (!verb || (!HTTP_VERBS.has(verb) && verb !== 'request' && verb !== 'stream')) return undefined;
    const args = new CallArguments(analysis.file, call);
    const timeoutNode = args.keyword('timeout');
    let timeout;
    if (timeoutNode) timeout = maybeTimeout(httpxTimeout(analysis, timeoutNode), 'timeout not constant');
    else if (args.mayHide('timeout') || clientTimeout === 'unknown') timeout = unknown('timeout hidden');
    else timeout = known(clientTimeout ?? ({ kind: 'library-default', ms: DEFAULT_TIMEOUT_MS } as const));
    const timeoutSlot = args.slot('timeout', 'seconds');
    return makeCall(
      { kind: 'http', library: 'httpx', span: analysis.file.span(call) },
      {
        method: httpMethod(analysis, verb, args),
        timeout,
        ...(timeoutSlot ? { timeoutSlot } : {}),
        streaming: verb === 'stream' ? known(true) : known(false),
        // httpx retries only failed connects, and only with a transport configured for it.
        clientAttempts: isClientCall ? unknown('transport retries') : known(1),
      },
    );
  },
};
