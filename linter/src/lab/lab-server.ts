/**
 * The Retry Lab server: a real OpenAI-compatible HTTP endpoint (node:http) that fails the
 * way a scenario says. Malformed input gets a 4xx with an OpenAI-shaped error and never
 * reaches the scenario; nothing a client sends can crash the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { builtInLabScenario, isLabMode, type LabScenario } from './scenario.js';
import { completionBody, errorBody, isOpenAiError, PERMANENT_ERRORS, modelsBody, readChatRequest, streamEvents, type ChatRequest, type OpenAiError } from './openai-shapes.js';
import { ScenarioScript, type Answer } from './responders.js';

export interface LabServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the lab is for this machine only. */
  readonly host?: string;
  /** A built-in scenario's name or a scenario; default "ok". */
  readonly scenario?: string | LabScenario;
  /** Seeds `mixed` steps. Default 1. */
  readonly seed?: number;
  /** When set, requests must send `Authorization: Bearer <key>`. */
  readonly key?: string;
  /** Larger request bodies get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** One line per request. */
  readonly log?: (line: string) => void;
}

export interface LabServerStats {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests the scenario answered, by mode. */
  readonly byMode: Readonly<Record<string, number>>;
  /** Rejected before the scenario: malformed, wrong key, unknown path. */
  readonly rejected: number;
  readonly startedAt: number;
}

export interface LabServer {
  /** `http://host:port`, without a trailing slash; the API is under `/v1`. */
  readonly url: string;
  readonly port: number;
  readonly scenario: LabScenario;
  stats(): LabServerStats;
  /** Stops listening and drops every open connection, hung ones included. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function resolveScenario(scenario: LabServerOptions['scenario']): LabScenario {
  if (scenario === undefined) return builtInLabScenario('ok');
  if (typeof scenario !== 'string') return scenario;
  if (!isLabMode(scenario)) throw new RangeError(`unknown Retry Lab scenario "${scenario}"`);
  return builtInLabScenario(scenario);
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    request.on('data', (part: Buffer) => {
      size += part.byteLength;
      if (size > limit) {
        request.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      parts.push(part);
    });
    request.on('end', () => resolve(Buffer.concat(parts)));
    request.on('error', reject);
    // A client that goes away mid-body: after 'end' this does nothing.
    request.once('close', () => reject(new Error('the client closed the connection before the end of the body')));
  });
}

function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && /^application\/json\s*(;|$)/i.test(value.trim());
}

function sendError(response: ServerResponse, error: OpenAiError, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(error.status, { 'content-type': 'application/json', ...headers }).end(errorBody(error));
}

function badRequest(status: number, code: string, message: string): OpenAiError {
  return { status, type: 'invalid_request_error', code, message };
}

export async function startLabServer(options: LabServerOptions = {}): Promise<LabServer> {
  const scenario = resolveScenario(options.scenario);
  const startedAt = Date.now();
  const script = new ScenarioScript(scenario, options.seed ?? 1, startedAt);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const lifetime = new AbortController();
  const sockets = new Set<Socket>();
  const byStatus: Record<string, number> = {};
  const byMode: Record<string, number> = {};
  let requests = 0;
  let rejected = 0;
  let answered = 0;

  const log = (request: IncomingMessage, response: ServerResponse, began: number, step: string) => {
    const status = response.headersSent ? String(response.statusCode) : '-';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    options.log?.(`${new Date(began).toISOString()} ${request.method} ${request.url} ${status} ${step} ${Date.now() - began}ms`);
  };

  async function play(response: ServerResponse, answer: Answer, chat: ChatRequest, n: number): Promise<void> {
    const signal = lifetime.signal;
    const created = Math.floor(Date.now() / 1000);
    switch (answer.kind) {
      case 'hang':
        await new Promise<void>((resolve) => {
          response.once('close', resolve);
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        return;
      case 'error':
        sendError(response, answer.error, answer.headers);
        return;
      case 'ok':
        if (answer.delayMs > 0) await sleep(answer.delayMs, undefined, { signal });
        if (response.destroyed) return;
        if (!chat.stream) {
          response.writeHead(200, { 'content-type': 'application/json', ...answer.headers }).end(completionBody(chat, n, created));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...answer.headers });
        for (const event of streamEvents(chat, n, created)) response.write(event);
        response.end();
        return;
      case 'cut': {
        if (!chat.stream) {
          const body = completionBody(chat, n, created);
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
          response.write(body.slice(0, Math.floor(body.length / 2)));
        } else {
          response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          response.flushHeaders();
          for (const event of streamEvents(chat, n, created).slice(0, answer.chunks)) response.write(event);
        }
        // end() on the socket, not the response: what was written is flushed, then the connection closes mid-body.
        if (!response.destroyed) await new Promise<void>((resolve) => response.write('', () => resolve()));
        response.socket?.end();
        return;
      }
    }
  }

  /** Answers one request; `decided` learns the log's step label before the answer is played. */
  async function handle(request: IncomingMessage, response: ServerResponse, decided: (step: string) => void): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://lab').pathname.replace(/\/+$/, '');
    const route = `${request.method} ${pathname}`;
    const reject = (error: OpenAiError, why: string) => {
      rejected++;
      decided(`rejected (${why})`);
      sendError(response, error);
    };
    if (route !== 'POST /v1/chat/completions' && route !== 'GET /v1/models') {
      request.resume();
      return pathname === '/v1/chat/completions' || pathname === '/v1/models'
        ? reject(badRequest(405, 'method_not_allowed', `${request.method} is not allowed on ${pathname}.`), 'method')
        : reject(badRequest(404, 'unknown_url', `Unknown request URL: ${request.method} ${pathname}.`), 'unknown path');
    }
    if (options.key !== undefined && request.headers.authorization !== `Bearer ${options.key}`) {
      request.resume();
      return reject(PERMANENT_ERRORS['wrong-key'], 'wrong key');
    }
    if (route === 'GET /v1/models') {
      request.resume();
      decided('models');
      response.writeHead(200, { 'content-type': 'application/json' }).end(modelsBody(Math.floor(startedAt / 1000)));
      return;
    }
    if (!isJsonContentType(request.headers['content-type'])) {
      request.resume();
      return reject(badRequest(415, 'unsupported_content_type', `Expected Content-Type application/json, got ${request.headers['content-type'] ?? 'none'}.`), 'content type');
    }
    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      response.shouldKeepAlive = false;
      return reject(badRequest(413, 'request_too_large', `The request body is larger than ${maxBodyBytes} bytes.`), 'body too large');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return reject(badRequest(400, 'invalid_json', 'We could not parse the JSON body of your request.'), 'malformed JSON');
    }
    const chat = readChatRequest(parsed);
    if (isOpenAiError(chat)) return reject(chat, chat.code);
    const n = ++answered;
    const { answer, step, mode } = script.decide(Date.now());
    byMode[mode] = (byMode[mode] ?? 0) + 1;
    decided(step);
    await play(response, answer, chat, n);
  }

  const server = createServer((request, response) => {
    requests++;
    const began = Date.now();
    let step = 'undecided';
    response.once('close', () => log(request, response, began, step));
    handle(request, response, (decided) => {
      step = decided;
    }).catch((error: unknown) => {
      if (lifetime.signal.aborted || request.destroyed) {
        step += lifetime.signal.aborted ? ' (server closed)' : ' (client went away)';
        response.destroy();
        return;
      }
      step = `internal error: ${error instanceof Error ? error.message : String(error)}`;
      sendError(response, { status: 500, type: 'server_error', code: 'internal_error', message: 'The Retry Lab server failed on this request.' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Broken HTTP gets a plain 400 on its socket; the server goes on.
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: 2048 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    scenario,
    stats: () => ({ requests, byStatus: { ...byStatus }, byMode: { ...byMode }, rejected, startedAt }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

