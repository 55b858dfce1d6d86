/**
 * Evidence that a loop retries a remote operation, not a parser, a solver or a syscall:
 * a recognized HTTP/SDK call, a wait between attempts, a status or Retry-After test, or a
 * caught exception type that only network and API clients raise.
 */
import type { Analysis } from './analysis.js';
import { callsIn, recognizeCall } from './retried-region.js';
import { childByField, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

/** Exception classes raised by HTTP and AI clients (last dotted segment). Not OSError/EINTR, not parse errors. */
const REMOTE_ERROR =
  /^(ConnectionError|ConnectError|ConnectTimeout|ReadTimeout|Timeout|TimeoutError|TimeoutException|HTTPError|HTTPStatusError|RequestException|RequestError|TransportError|NetworkError|RemoteProtocolError|ProtocolError|APIError|APIStatusError|APIConnectionError|APITimeoutError|RateLimitError|TooManyRequests|InternalServerError|ServiceUnavailable|ServiceUnavailableError|OverloadedError|ClientError|ClientConnectionError|ClientConnectorError|ClientResponseError|ClientOSError|ClientPayloadError|ServerDisconnectedError|ServerTimeoutError|ServerError|MaxRetryError|NewConnectionError|ConnectionClosedError|ConnectionResetError|ConnectionRefusedError|URLError|ThrottlingException|ResourceExhausted|DeadlineExceeded|Unavailable|GatewayTimeout|BadGateway)$/;
/** A helper that backs off between attempts. An unresolved `self.sleep(...)` may be an injected test double or a library's engine: not enough. */
const BACKOFF_CALLEE = /(^|[._])_?(backoff|back_off)\w*$/i;
const RETRY_AFTER = /retry-after/i;

export interface LoopEvidence {
  /** A recognized sleep runs in the loop or in a helper it calls. */
  readonly sleeps: boolean;
  /** An `if` in the loop tests a response status. */
  readonly testsStatus: boolean;
  /** The exception types of the handlers that lead to another attempt. */
  readonly retriedTypes: readonly PyNode[];
}

export function retriesRemoteOperation(analysis: Analysis, body: PyNode, callees: readonly PyNode[], evidence: LoopEvidence): boolean {
  if (evidence.sleeps || evidence.testsStatus) return true;
  if (evidence.retriedTypes.some((type) => isRemoteErrorType(analysis, type))) return true;
  for (const scope of [body, ...callees]) {
    for (const call of callsIn(scope)) {
      if (recognizeCall(analysis, call)) return true;
      const callee = childByField(call, 'function');
      if (callee && BACKOFF_CALLEE.test(analysis.file.textOf(callee))) return true;
    }
  }
  return readsRetryAfter(analysis, body);
}

/** `requests.ConnectionError`, `(APIError, httpx.TransportError)`, or a module tuple of them. */
function isRemoteErrorType(analysis: Analysis, type: PyNode, depth = 0): boolean {
  const inner = unwrap(type);
  if (inner.type === 'tuple' || inner.type === 'list') return namedChildren(inner).some((item) => isRemoteErrorType(analysis, item, depth + 1));
  if (inner.type !== 'identifier' && inner.type !== 'attribute') return false;
  const name = analysis.file.textOf(inner).split('.').pop() ?? '';
  if (REMOTE_ERROR.test(name)) return true;
  const followed = analysis.values.follow(inner);
  return depth < 3 && followed !== inner && isRemoteErrorType(analysis, followed, depth + 1);
}

function readsRetryAfter(analysis: Analysis, body: PyNode): boolean {
  let found = false;
  walk(body, (node) => {
    if (found) return false;
    if (node !== body && SCOPE_TYPES.has(node.type)) return false;
    if (node.type === 'string' && RETRY_AFTER.test(analysis.file.textOf(node))) found = true;
    return !found;
  });
  return found;
}
