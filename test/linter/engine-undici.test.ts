import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy, RetryEngine, RetryGiveUpError, seededRandom } from '@retrylint/shared';
import { undiciTransport } from '../../linter/src/engine/undici-transport.js';

let server: Server;
let base = '';
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const count = (hits.get(req.url ?? '') ?? 0) + 1;
    hits.set(req.url ?? '', count);
    if (req.url === '/flaky' && count < 3) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"type":"server_error","code":"overloaded","message":"busy"}}');
    } else if (req.url === '/auth') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"type":"invalid_request_error","code":"invalid_api_key","message":"bad key"}}');
    } else if (req.url === '/forbidden') {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{"type":"permission_error","message":"no access"}}');
    } else if (req.url === '/slow-limit') {
      res.writeHead(429, { 'retry-after': '3600' }).end('{}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy = resolvePolicy('ai-api', { baseDelayMs: 2, maxDelayMs: 5 });

describe('RetryEngine over undici against a real server', () => {
  it('retries 503 with delays within the schedule and reports usage', async () => {
    const engine = new RetryEngine({ policy, transport: undiciTransport(), random: seededRandom(1) });
    const result = await engine.call({ url: `${base}/flaky`, body: { model: 'm' } });
    expect(result.status).toBe(200);
    expect(result.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    for (const attempt of result.attempts.slice(0, 2)) {
      expect(attempt.decision.action).toBe('retry');
      if (attempt.decision.action === 'retry') expect(attempt.decision.delayMs).toBeLessThanOrEqual(5);
    }
    expect(result.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
  });

  it('attempts a permanent 401 exactly once', async () => {
    const engine = new RetryEngine({ policy, transport: undiciTransport() });
    const failure = await engine.call({ url: `${base}/auth`, body: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryGiveUpError);
    expect((failure as RetryGiveUpError).attempts).toHaveLength(1);
    expect((failure as RetryGiveUpError).reason).toBe('permanent-code');
  });

  it('attempts a 403 exactly once: a status in neverRetryStatuses, with no error code', async () => {
    const engine = new RetryEngine({ policy, transport: undiciTransport() });
    const failure = (await engine.call({ url: `${base}/forbidden`, body: {} }).catch((error: unknown) => error)) as RetryGiveUpError;
    expect(failure.reason).toBe('permanent-status');
    expect(failure.message).toBe('HTTP 403 never succeeds on another attempt (neverRetryStatuses)');
    expect(hits.get('/forbidden')).toBe(1);
  });

  it('gives up on a Retry-After above maxRetryAfterMs and says so', async () => {
    const engine = new RetryEngine({ policy, transport: undiciTransport() });
    const failure = (await engine.call({ url: `${base}/slow-limit`, body: {} }).catch((error: unknown) => error)) as RetryGiveUpError;
    expect(failure.reason).toBe('retry-after-too-long');
    expect(failure.message).toMatch(/maxRetryAfterMs/);
  });
});
