/** httpx: module functions (5 s default timeout) and Client / AsyncClient methods. */
import { known, makeCall, unknown, type CallFacts, type Maybe, type TimeoutFacts } from '@retrylint/shared';
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

type ClientTimeout = TimeoutFacts | 'unknown' | undefined;

/** A request's `timeout=`, else the client's, else httpx's 5 s default. */
function requestTimeout(analysis: Analysis, args: CallArguments, clientTimeout: ClientTimeout): Maybe<TimeoutFacts> {
  const timeoutNode = args.keyword('timeout');
  if (timeoutNode) return maybeTimeout(httpxTimeout(analysis, timeoutNode), 'timeout not constant');
  if (args.mayHide('timeout') || clientTimeout === 'unknown') return unknown('timeout hidden');
  return known(clientTimeout ?? { kind: 'library-default', ms: DEFAULT_TIMEOUT_MS });
}

export const httpxCalls: CallRecognizer = {
  library: 'httpx',
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined {
    const qualified = analysis.file.qualify(childByField(call, 'function'));
    let verb: string | undefined;
    let clientTimeout: ClientTimeout;
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
    if (verb === 'send' && isClientCall) return sentRequest(analysis, call, clientTimeout);
    if (!verb || (!HTTP_VERBS.has(verb) && verb !== 'request' && verb !== 'stream')) return undefined;
    const args = new CallArguments(analysis.file, call);
    const timeout = requestTimeout(analysis, args, clientTimeout);
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

/**
 * `client.send(request)`: the request carries the timeout `client.build_request(timeout=...)`
 * gave it, the client's own when it gave none. A request built some other way is not judged.
 */
function sentRequest(analysis: Analysis, call: PyNode, clientTimeout: ClientTimeout): CallFacts | undefined {
  const args = new CallArguments(analysis.file, call);
  const request = args.get('request', 0);
  const built = request ? unwrap(analysis.values.follow(request)) : undefined;
  const builder = built?.type === 'call' ? calleeMethod(analysis, built) : undefined;
  if (!built || builder?.name !== 'build_request') return undefined;
  const buildArgs = new CallArguments(analysis.file, built);
  const timeout = requestTimeout(analysis, buildArgs, clientTimeout);
  const verb = analysis.values.evaluate(buildArgs.get('method', 0));
  return makeCall(
    { kind: 'http', library: 'httpx', span: analysis.file.span(call) },
    {
      method: typeof verb === 'string' ? known(verb.toUpperCase()) : unknown('method not constant'),
      timeout,
      streaming: streamKeyword(analysis, args),
      clientAttempts: unknown('transport retries'),
    },
  );
}
