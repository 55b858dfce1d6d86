/**
 * Evidence that a loop retries a remote operation, not a parser, a solver or a syscall:
 * a recognized HTTP/SDK call, a wait between attempts, a status or Retry-After test, or a
 * caught exception type that only network and API clients raise.
 */
import type { Analysis } from './analysis.js';
import { REMOTE_ERROR_NAMES } from './entry-names.js';
import { callsIn, localCallees, recognizeCall } from './retried-region.js';
import { childByField, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

/** Exception classes raised by HTTP and AI clients (last dotted segment). */
const REMOTE_ERROR = new RegExp(`^(?:${REMOTE_ERROR_NAMES.join('|')})$`);
/**
 * Exception classes of local operations (files, processes, decoding) and of the program itself
 * (a failed assertion in a test's wait). A loop that retries only these (a file write on
 * PermissionError, a command on CalledProcessError) has no server to spare and no herd to
 * spread, whatever it sleeps.
 */
const LOCAL_ERROR =
  /^(Empty|Full|QueueEmpty|QueueFull|StopIteration|StopAsyncIteration|AssertionError|KeyError|IndexError|LookupError|AttributeError|TypeError|OSError|IOError|EnvironmentError|PermissionError|FileNotFoundError|FileExistsError|IsADirectoryError|NotADirectoryError|BlockingIOError|InterruptedError|ChildProcessError|CalledProcessError|TimeoutExpired|SubprocessError|JSONDecodeError|UnicodeDecodeError|UnicodeError)$/;
/** A helper that backs off between attempts. An unresolved `self.sleep(...)` may be an injected test double or a library's engine: not enough. */
export const BACKOFF_CALLEE = /(^|[._])_?(backoff|back_off)\w*$/i;
const RETRY_AFTER = /retry-after/i;

export interface LoopEvidence {
  /** A recognized sleep runs in the loop or in a helper it calls. */
  readonly sleeps: boolean;
  /** An `if` in the loop tests a response status. */
  readonly testsStatus: boolean;
  /** The exception types of the handlers that lead to another attempt. */
  readonly retriedTypes: readonly PyNode[];
  /** A bare `except:` leads to another attempt. */
  readonly retriesAnything: boolean;
  /** The `try` bodies whose failures lead to another attempt. */
  readonly retriedBodies: readonly PyNode[];
}

export function retriesRemoteOperation(analysis: Analysis, body: PyNode, callees: readonly PyNode[], evidence: LoopEvidence): boolean {
  const scopes = [body, ...callees];
  const makesRemoteCall = (scope: PyNode): boolean => callsIn(scope).some((call) => recognizeCall(analysis, call) !== undefined);
  // Only local failures are retried: remote only if what they guard makes the remote call (OSError covers requests' ConnectionError).
  if (!evidence.testsStatus && !evidence.retriesAnything && evidence.retriedTypes.length > 0 && evidence.retriedTypes.every((type) => isLocalErrorType(analysis, type))) {
    return evidence.retriedBodies.some((tryBody) => [tryBody, ...localCallees(analysis, tryBody)].some(makesRemoteCall));
  }
  if (scopes.some(makesRemoteCall)) return true;
  if (evidence.sleeps || evidence.testsStatus) return true;
  if (evidence.retriedTypes.some((type) => isRemoteErrorType(analysis, type))) return true;
  for (const scope of scopes) {
    for (const call of callsIn(scope)) {
      const callee = childByField(call, 'function');
      if (callee && BACKOFF_CALLEE.test(analysis.file.textOf(callee))) return true;
    }
  }
  return readsRetryAfter(analysis, body);
}

/** `PermissionError`, `(FileNotFoundError, json.JSONDecodeError)`, `subprocess.CalledProcessError`. */
function isLocalErrorType(analysis: Analysis, type: PyNode): boolean {
  const inner = unwrap(type);
  if (inner.type === 'tuple' || inner.type === 'list') {
    const items = namedChildren(inner);
    return items.length > 0 && items.every((item) => isLocalErrorType(analysis, item));
  }
  if (inner.type !== 'identifier' && inner.type !== 'attribute') return false;
  return LOCAL_ERROR.test(analysis.file.textOf(inner).split('.').pop() ?? '');
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
