/**
 * Names of failures that come from a remote call: evidence that a loop retries a request
 * rather than a local operation (a file system walk, a parser, a numeric solver).
 */

/** Exported for the CLI's prefilter, which must keep every file these names make a site of. */
export const NETWORK_ERROR_NAME_LIST: readonly string[] = [
  'ConnectionError', 'Timeout', 'TimeoutError', 'ConnectTimeoutError', 'HTTPError', 'HttpError', 'RequestError',
  'RequestException', 'APIError', 'ApiError', 'APIConnectionError', 'APITimeoutError', 'APIConnectionTimeoutError',
  'RateLimitError', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableError', 'ClientError',
  'ClientResponseError', 'ServerDisconnectedError', 'TransportError', 'HTTPStatusError', 'FetchError', 'AxiosError',
  'NetworkError', 'TooManyRequests', 'TooManyRequestsError', 'SocketError', 'ResponseError', 'ConnectionRefusedError',
  'ConnectionResetError', 'GatewayTimeout', 'BadGateway',
];

const NETWORK_ERROR_NAMES = new RegExp(`^(${NETWORK_ERROR_NAME_LIST.join('|')})$`);

/** Node and undici error codes of failed connections (exported for the prefilter, like the names). */
export const NETWORK_ERROR_CODE_PATTERN =
  'ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|ENETUNREACH|EHOSTUNREACH|ENETDOWN|ERR_NETWORK|UND_ERR_[A-Z_]+';

const NETWORK_ERROR_CODES = new RegExp(`^(${NETWORK_ERROR_CODE_PATTERN})$`);

/** `axios.isAxiosError(e)`, `isHttpError(e)`, `isNetworkError(e)` (exported for the prefilter). */
export const NETWORK_ERROR_GUARD_PATTERN = String.raw`is(?:Axios|Http|HTTP|Network|Fetch|Api|API|Connection|Timeout|RateLimit)\w*Error`;

const NETWORK_ERROR_GUARD = new RegExp(`^${NETWORK_ERROR_GUARD_PATTERN}$`);

export function isNetworkErrorName(name: string): boolean {
  return NETWORK_ERROR_NAMES.test(name);
}

export function isNetworkErrorCode(code: string): boolean {
  return NETWORK_ERROR_CODES.test(code);
}

export function isNetworkErrorGuard(calleeName: string): boolean {
  return NETWORK_ERROR_GUARD.test(calleeName);
}
