/** requests: module functions and Session methods. No timeout means waiting forever. */
import { known, makeCall, unknown, type CallFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { calleeMethod, HTTP_VERBS, httpMethod, maybeTimeout, secondsTimeout, streamKeyword, type CallRecognizer } from './call-facts.js';
import { clientOrigin } from './client-origin.js';
import { SESSION_CONSTRUCTORS } from './entry-names.js';
import { sessionAttempts } from './session-adapters.js';
import { childByField, type PyNode } from './syntax-tree.js';


export const isRequestsSession = (name: string): boolean => SESSION_CONSTRUCTORS.has(name);

export const requestsCalls: CallRecognizer = {
  library: 'requests',
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined {
    const callee = childByField(call, 'function');
    const qualified = analysis.file.qualify(callee);
    let verb: string | undefined;
    let session: ReturnType<typeof clientOrigin>;
    if (qualified?.startsWith('requests.') && qualified.split('.').length === 2) {
      verb = qualified.slice('requests.'.length);
    } else {
      const method = calleeMethod(analysis, call);
      if (!method?.object) return undefined;
      session = clientOrigin(analysis, method.object, isRequestsSession);
      if (!session) return undefined;
      verb = method.name;
    }
    if (!verb || (!HTTP_VERBS.has(verb) && verb !== 'request')) return undefined;
    const args = new CallArguments(analysis.file, call);
    const timeoutNode = args.keyword('timeout');
    const timeout = timeoutNode
      ? maybeTimeout(secondsTimeout(analysis.values.evaluate(timeoutNode)), 'timeout not constant')
      : args.mayHide('timeout')
        ? unknown('**kwargs')
        : known({ kind: 'missing' as const });
    const timeoutSlot = args.slot('timeout', 'seconds');
    const method = httpMethod(analysis, verb, args);
    return makeCall(
      { kind: 'http', library: 'requests', span: analysis.file.span(call) },
      {
        method,
        timeout,
        ...(timeoutSlot ? { timeoutSlot } : {}),
        streaming: streamKeyword(analysis, args),
        // requests' default adapter makes one attempt; a session may have a retrying one mounted.
        clientAttempts: session ? sessionAttempts(analysis, session.construction, method) : known(1),
      },
    );
  },
};
