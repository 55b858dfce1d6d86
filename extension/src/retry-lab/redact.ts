/**
 * Keeps API keys out of everything the Retry Lab writes: log lines, error messages shown to
 * the user, and messages posted to the webview. Pure, so that it is unit-tested as it runs.
 */

export const REDACTED = '[redacted]';

/** Shorter strings are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

/** A bearer token in any text: an Authorization header as undici or a server may echo it. */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/** `text` with every occurrence of each secret, and any bearer token, replaced by [redacted]. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    result = result.split(secret).join(REDACTED);
  }
  return result.replace(BEARER, `$1${REDACTED}`);
}

/** A JSON-serialisable value with every string redacted (keys included), for webview messages. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, secrets)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key, secrets), redactDeep(item, secrets)])) as T;
  }
  return value;
}
