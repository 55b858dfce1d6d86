/**
 * What the engine needs from HTTP: send one request, get a status, headers and a body it
 * can read chunk by chunk. The Node transport is undici (`retrylint/engine`); the extension
 * host or a test may pass another.
 */
export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborted on cancel, on the per-attempt timeout and at the deadline; the transport stops at once. */
  readonly signal: AbortSignal;
  /** The per-attempt timeout, for a transport that also enforces its own (undici's headers and body timeouts). */
  readonly timeoutMs: number;
}

export interface TransportResponse {
  readonly status: number;
  /** Names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Read at most once; aborting the request's signal ends it with an error. */
  readonly body: AsyncIterable<Uint8Array>;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

export type TransportFailureKind = 'timeout' | 'network';

/** A failure the transport could name: its own timeout, or a network error. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    /** A short class for events: ECONNREFUSED, UND_ERR_SOCKET, UND_ERR_HEADERS_TIMEOUT... */
    readonly errorClass: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}
