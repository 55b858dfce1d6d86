/**
 * The engine's Node transport: undici's `request`, with undici's own headers and body
 * timeouts set to the engine's per-attempt timeout, and the engine's signal for aborts.
 * undici's errors become TransportErrors the engine can classify.
 */
import { TransportError, type Transport, type TransportResponse } from '@retrylint/shared';
import { request, type Dispatcher } from 'undici';

/**
 * An undici `Dispatcher` (Agent, Pool, MockAgent), typed by the one method the transport
 * calls so that an application's own undici, of any 7.x version, fits.
 */
export interface UndiciDispatcher {
  dispatch(options: never, handler: never): boolean;
}

export interface UndiciTransportOptions {
  /** An undici Agent or Pool; the global dispatcher by default. */
  readonly dispatcher?: UndiciDispatcher;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function asTransportError(error: unknown): unknown {
  if (error instanceof TransportError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(TIMEOUT_CODES.has(code) ? 'timeout' : 'network', code, message, { cause: error });
}

async function* mappedBody(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw asTransportError(error);
  }
}

export function undiciTransport(options: UndiciTransportOptions = {}): Transport {
  return {
    async send(outgoing): Promise<TransportResponse> {
      try {
        const response = await request(outgoing.url, {
          method: outgoing.method as Dispatcher.HttpMethod,
          headers: outgoing.headers,
          ...(outgoing.body !== undefined ? { body: outgoing.body } : {}),
          signal: outgoing.signal,
          headersTimeout: outgoing.timeoutMs === Infinity ? 0 : outgoing.timeoutMs,
          bodyTimeout: outgoing.timeoutMs === Infinity ? 0 : outgoing.timeoutMs,
          ...(options.dispatcher ? { dispatcher: options.dispatcher as unknown as Dispatcher } : {}),
        });
        return { status: response.statusCode, headers: response.headers, body: mappedBody(response.body) };
      } catch (error) {
        throw asTransportError(error);
      }
    },
  };
}
