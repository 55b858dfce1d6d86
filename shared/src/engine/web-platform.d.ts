/**
 * The few web-platform globals the engine uses, typed here because the policy core compiles
 * without DOM or Node types (it must run in Node, the extension host and a webview alike).
 * All three provide them; the shapes are the WHATWG ones, cut to what the engine calls.
 */
declare global {
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }
  // eslint-disable-next-line no-var
  var AbortSignal: {
    prototype: AbortSignal;
    any(signals: readonly AbortSignal[]): AbortSignal;
    abort(reason?: unknown): AbortSignal;
    timeout(ms: number): AbortSignal;
  };
  interface AbortController {
    readonly signal: AbortSignal;
    abort(reason?: unknown): void;
  }
  // eslint-disable-next-line no-var
  var AbortController: { prototype: AbortController; new (): AbortController };
  interface TextDecoder {
    decode(input?: Uint8Array, options?: { stream?: boolean }): string;
  }
  // eslint-disable-next-line no-var
  var TextDecoder: { prototype: TextDecoder; new (label?: string): TextDecoder };
  function setTimeout(handler: () => void, ms?: number): unknown;
  function clearTimeout(handle: unknown): void;
}

export {};
