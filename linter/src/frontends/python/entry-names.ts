/**
 * The names and words the Python recognizers start from, in one module without dependencies:
 * the recognizers read them, and so does the CLI's prefilter (`cli/python-prefilter.ts`),
 * which must keep every file a recognizer could find a site in.
 */

/** Words without which a file cannot hold anything the rules judge (the file is not parsed). */
export const VOCABULARY = /retr|backoff|tenac|sleep|attempt|tries|request|http|urllib|openai|anthropic|timeout|session|client|stream|Semaphore|Lock/i;

/** Exception classes raised by HTTP and AI clients (last dotted segment). Not OSError/EINTR, not parse errors. */
export const REMOTE_ERROR_NAMES: readonly string[] = [
  'ConnectionError', 'ConnectError', 'ConnectTimeout', 'ReadTimeout', 'Timeout', 'TimeoutError', 'TimeoutException',
  'HTTPError', 'HTTPStatusError', 'RequestException', 'RequestError', 'TransportError', 'NetworkError',
  'RemoteProtocolError', 'ProtocolError', 'APIError', 'APIStatusError', 'APIConnectionError', 'APITimeoutError',
  'RateLimitError', 'TooManyRequests', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableError',
  'OverloadedError', 'ClientError', 'ClientConnectionError', 'ClientConnectorError', 'ClientResponseError',
  'ClientOSError', 'ClientPayloadError', 'ServerDisconnectedError', 'ServerTimeoutError', 'ServerError',
  'MaxRetryError', 'NewConnectionError', 'ConnectionClosedError', 'ConnectionResetError', 'ConnectionRefusedError',
  'URLError', 'ThrottlingException', 'ResourceExhausted', 'DeadlineExceeded', 'Unavailable', 'GatewayTimeout',
  'BadGateway',
];

/** A helper whose answer decides whether to go round again (`self._should_retry(resp)`, `is_transient(e)`). */
export const DECIDING_HELPER = /retr|transient|should/i;

export const SLEEPS: ReadonlySet<string> = new Set(['time.sleep', 'asyncio.sleep', 'trio.sleep', 'anyio.sleep', 'gevent.sleep', 'eventlet.sleep']);

/** Attributes (`resp.status_code`; `.code` only on HTTP-looking objects) and names that hold a status. */
export const STATUS_ATTRIBUTE_NAMES: readonly string[] = ['status', 'status_code', 'http_status', 'code'];
export const STATUS_VARIABLE_NAMES: readonly string[] = ['status', 'status_code', 'http_status', 'resp_status', 'response_status'];

/** urllib3's retry configuration and requests' adapter that takes one. */
export const RETRY_CLASSES: ReadonlySet<string> = new Set([
  'urllib3.Retry',
  'urllib3.util.Retry',
  'urllib3.util.retry.Retry',
  'requests.adapters.Retry',
  'requests.packages.urllib3.util.retry.Retry',
  'requests.packages.urllib3.Retry',
]);
export const ADAPTERS: ReadonlySet<string> = new Set(['requests.adapters.HTTPAdapter', 'requests.HTTPAdapter']);

export const SESSION_CONSTRUCTORS: ReadonlySet<string> = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
