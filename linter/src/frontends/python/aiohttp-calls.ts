/** aiohttp: ClientSession methods and `aiohttp.request`. Default total timeout 300 s. */
import { known, makeCall, unknown, type CallFacts, type TimeoutFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { calleeMethod, HTTP_VERBS, httpMethod, maybeTimeout, secondsTimeout, type CallRecognizer } from './call-facts.js';
import { clientOrigin } from './client-origin.js';
import { childByField, unwrap, type PyNode } from './syntax-tree.js';

const DEFAULT_TOTAL_MS = 300_000;

export const isAiohttpSession = (name: string): boolean => name === 'aiohttp.ClientSession';

/** `aiohttp.ClientTimeout(total=..., sock_read=...)`, or a number of seconds. */
export function aiohttpTimeout(analysis: Analysis, node: PyNode): TimeoutFacts | undefined {
  const inner = unwrap(analysis.values.follow(node));
  if (inner.type === 'call' && analysis.file.qualify(childByField(inner, 'function')) === 'aiohttp.ClientTimeout') {
    const args = new CallArguments(analysis.file, inner);
    if (args.hasSplat) return undefined;
    const total = args.get('total', 0);
    const parts = [total, args.keyword('connect'), args.keyword('sock_read'), args.keyword('sock_connect')];
    const values = parts.map((part) => (part ? analysis.values.evaluate(part) : null));
    if (values.some((value) => value === undefined)) return undefined;
    const totalValue = values[0];
    if (typeof totalValue === 'number') return { kind: 'explicit', ms: totalValue * 1000 };
    // Without a total only sock_read bounds a stalled response.
    const sockRead = values[2];
    if (typeof sockRead === 'number') return { kind: 'explicit', ms: sockRead * 1000 };
    return { kind: 'disabled' };
  }
  return secondsTimeout(analysis.values.evaluate(inner));
}

export const aiohttpCalls: CallRecognizer = {
  library: 'aiohttp',
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined {
    const qualified = analysis.file.qualify(childByField(call, 'function'));
    let verb: string | undefined;
    let sessionTimeout: TimeoutFacts | 'unknown' | undefined;
    if (qualified === 'aiohttp.request') {
      verb = 'request';
    } else {
      const method = calleeMethod(analysis, call);
      if (!method?.object) return undefined;
      const session = clientOrigin(analysis, method.object, isAiohttpSession);
      if (!session) return undefined;
      verb = method.name;
      const constructorArgs = new CallArguments(analysis.file, session.construction);
      const configured = constructorArgs.keyword('timeout');
      if (configured) sessionTimeout = aiohttpTimeout(analysis, configured) ?? 'unknown';
      else if (constructorArgs.mayHide('timeout')) sessionTimeout = 'unknown';
    }
    if (!HTTP_VERBS.has(verb) && verb !== 'request') return undefined;
    const args = new CallArguments(analysis.file, call);
    const timeoutNode = args.keyword('timeout');
    let timeout;
    if (timeoutNode) timeout = maybeTimeout(aiohttpTimeout(analysis, timeoutNode), 'timeout not constant');
    else if (args.mayHide('timeout') || sessionTimeout === 'unknown') timeout = unknown('timeout hidden');
    else timeout = known(sessionTimeout ?? ({ kind: 'library-default', ms: DEFAULT_TOTAL_MS } as const));
    const timeoutSlot = args.slot('timeout', 'client-timeout');
    return makeCall(
      { kind: 'http', library: 'aiohttp', span: analysis.file.span(call) },
      {
        method: httpMethod(analysis, verb, args),
        timeout,
        ...(timeoutSlot ? { timeoutSlot } : {}),
        streaming: known(false),
        clientAttempts: known(1),
      },
    );
  },
};
