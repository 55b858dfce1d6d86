/** The Retry Lab server on 127.0.0.1: the OpenAI shapes, bad input, logs, determinism, load. */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { SseParser } from '@retrylint/shared';
import { labServer, MESSAGES } from './lab-harness.js';

async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await request(url, { method: 'POST', headers, body });
  const text = await response.body.text();
  const json = String(response.headers['content-type']).startsWith('application/json') ? (JSON.parse(text) as Record<string, any>) : {};
  return { status: response.statusCode, headers: response.headers, text, json };
}

const postJson = (url: string, value: unknown) => post(url, JSON.stringify(value));

/** Status, or "cut" when the connection dropped: what each answer of a run looked like. */
async function answerSequence(url: string, count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let index = 0; index < count; index++) {
    answers.push(await postJson(url, MESSAGES).then((response) => String(response.status), () => 'cut'));
  }
  return answers;
}

describe('the lab server speaks OpenAI', () => {
  it('answers a chat completion with usage tokens, and lists its model', async () => {
    const server = await labServer('ok');
    const response = await postJson(server.chat, { model: 'gpt-test', messages: [{ role: 'user', content: 'one two three' }] });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Retry Lab answer 1: this request succeeded.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 },
    });
    const models = await request(`${server.url}/v1/models`);
    expect(models.statusCode).toBe(200);
    expect(await models.body.json()).toMatchObject({ object: 'list', data: [{ id: 'retrylint-lab', object: 'model' }] });
  });

  it('streams server-sent events when stream is true: delta chunks, usage on the last, then [DONE]', async () => {
    const server = await labServer('ok');
    const response = await postJson(server.chat, { ...MESSAGES, stream: true });
    expect(response.headers['content-type']).toBe('text/event-stream');
    const events = new SseParser().push(response.text);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { object: string; choices: { delta: { content?: string } }[]; usage?: object });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe('Retry Lab answer 1: this request succeeded.');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 });
  });

  it('errors have the OpenAI shape, with x-ratelimit-* and both Retry-After headers on a 429', async () => {
    const server = await labServer([{ scenario: 'rate-limit', limit: 1 }]);
    const first = await postJson(server.chat, MESSAGES);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0' });
    const limited = await postJson(server.chat, MESSAGES);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached: 1 requests per 1m0s.', param: null } });
    const retryAfter = Number(limited.headers['retry-after']);
    const retryAfterMs = Number(limited.headers['retry-after-ms']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Math.ceil(retryAfterMs / 1000)).toBe(retryAfter);
    expect(limited.headers['x-ratelimit-reset-requests']).toMatch(/^(\d+(\.\d+)?s|1m0s)$/);
  });
});

describe('bad input gets a 4xx with an OpenAI-shaped error, and the server goes on', () => {
  const cases: readonly [string, () => [string, Record<string, string>], number, string][] = [
    ['malformed JSON', () => ['{"messages": [', { 'content-type': 'application/json' }], 400, 'invalid_json'],
    ['a wrong content type', () => [JSON.stringify(MESSAGES), { 'content-type': 'text/plain' }], 415, 'unsupported_content_type'],
    ['no content type', () => [JSON.stringify(MESSAGES), {}], 415, 'unsupported_content_type'],
    ['a body that is not an object', () => ['[1, 2]', { 'content-type': 'application/json' }], 400, 'invalid_type'],
    ['no messages', () => ['{"model": "m"}', { 'content-type': 'application/json' }], 400, 'missing_required_parameter'],
    ['messages that are not a list', () => ['{"messages": "hi"}', { 'content-type': 'application/json' }], 400, 'invalid_type'],
    ['stream that is not a boolean', () => ['{"messages": [], "stream": "yes"}', { 'content-type': 'application/json' }], 400, 'invalid_type'],
    ['a body over the size limit', () => [JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] }), { 'content-type': 'application/json' }], 413, 'request_too_large'],
  ];
  for (const [name, input, status, code] of cases) {
    it(name, async () => {
      const server = await labServer('ok');
      const [body, headers] = input();
      const response = await post(server.chat, body, headers);
      expect(response.status).toBe(status);
      expect(response.json.error).toMatchObject({ type: 'invalid_request_error', code });
      expect(typeof response.json.error.message).toBe('string');
      expect((await postJson(server.chat, MESSAGES)).status).toBe(200);
      expect(server.stats().rejected).toBe(1);
    });
  }

  it('a chunked body over the limit is cut off at the limit', async () => {
    const server = await labServer('ok', { maxBodyBytes: 1000 });
    const body = Readable.from(Array.from({ length: 100 }, () => Buffer.from('x'.repeat(100))));
    const response = await request(server.chat, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      async (answer) => answer.statusCode,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(response);
    expect((await postJson(server.chat, MESSAGES)).status).toBe(200);
  });

  it('unknown paths get 404 and wrong methods 405', async () => {
    const server = await labServer('ok');
    const missing = await request(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toMatchObject({ error: { code: 'unknown_url' } });
    const wrongMethod = await request(server.chat, { method: 'GET' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(await wrongMethod.body.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('bytes that are not HTTP get a 400 on their socket', async () => {
    const server = await labServer('ok');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (data) => (text += data.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await postJson(server.chat, MESSAGES)).status).toBe(200);
  });

  it('a client that goes away in the middle of its body', async () => {
    const server = await labServer('ok');
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: lab\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"messa');
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('close', () => resolve());
    });
    expect((await postJson(server.chat, MESSAGES)).status).toBe(200);
    expect(server.stats().requests).toBe(2);
  });

  it('--key: a missing or wrong bearer token gets 401 invalid_api_key', async () => {
    const server = await labServer('ok', { key: 'sk-lab' });
    for (const authorization of [undefined, 'Bearer nope', 'sk-lab']) {
      const response = await post(server.chat, JSON.stringify(MESSAGES), { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) });
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('invalid_api_key');
    }
    expect((await post(server.chat, JSON.stringify(MESSAGES), { 'content-type': 'application/json', authorization: 'Bearer sk-lab' })).status).toBe(200);
  });
});

describe('logs, steps and seeds', () => {
  it('logs one line per request: time, method, path, status, the scenario step', async () => {
    const lines: string[] = [];
    const server = await labServer([{ scenario: 'server-errors', errors: 1, period: 1, requests: 1 }, { scenario: 'ok' }], { log: (line) => lines.push(line) });
    await postJson(server.chat, MESSAGES);
    await postJson(server.chat, MESSAGES);
    await post(server.chat, 'nope', { 'content-type': 'application/json' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z POST \/v1\/chat\/completions 503 step 1 server-errors \(burst 1\/1\) \d+ms$/);
    expect(lines[1]).toMatch(/ 200 step 2 ok \(ok\) \d+ms$/);
    expect(lines[2]).toMatch(/ 400 rejected \(malformed JSON\) \d+ms$/);
    expect(server.stats()).toMatchObject({ requests: 3, byStatus: { '200': 1, '400': 1, '503': 1 }, byMode: { 'server-errors': 1, ok: 1 }, rejected: 1 });
  });

  it('repeat: the steps start again after the last one', async () => {
    const server = await labServer({ name: 'cycle', repeat: true, steps: [{ scenario: 'wrong-key', requests: 1 }, { scenario: 'ok', requests: 2 }] });
    expect(await answerSequence(server.chat, 7)).toEqual(['401', '200', '200', '401', '200', '200', '401']);
  });

  it('mixed: the same seed gives the same answers, another seed others', async () => {
    const mix = [
      { scenario: 'ok', weight: 2 },
      { scenario: 'server-errors', errors: 1, period: 1, weight: 1 },
      { scenario: 'insufficient-quota', weight: 1 },
    ] as const;
    const [first, second, other] = await Promise.all([4, 4, 5].map((seed) => labServer([{ scenario: 'mixed', mix }], { seed })));
    const runs = await Promise.all([first, second, other].map((server) => answerSequence(server.chat, 24)));
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    expect(new Set(runs[0])).toEqual(new Set(['200', '503', '429']));
  });

  it('mixed with the built-in mix: answers are reproducible under --seed', async () => {
    const [first, second] = await Promise.all([labServer('mixed', { seed: 9 }), labServer('mixed', { seed: 9 })]);
    const [a, b] = await Promise.all([answerSequence(first.chat, 8), answerSequence(second.chat, 8)]);
    expect(a).toEqual(b);
    expect(a.filter((answer) => answer === '200').length).toBeGreaterThan(0);
  });

  it('close() drops hung requests and resolves', async () => {
    const server = await labServer('hang');
    const pending = postJson(server.chat, MESSAGES).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const began = Date.now();
    await server.close();
    expect(Date.now() - began).toBeLessThan(500);
    expect(await pending).toBe('dropped');
  });
});

describe('the lab server under load', () => {
  it('answers every one of 1,000 concurrent requests, all within a bounded time', async () => {
    const server = await labServer('ok');
    const agent = new Agent({ connections: 1000, pipelining: 0 });
    try {
      const began = performance.now();
      const durations = await Promise.all(
        Array.from({ length: 1000 }, async (_, index) => {
          const start = performance.now();
          const response = await request(server.chat, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ messages: [{ role: 'user', content: `request ${index}` }] }),
            dispatcher: agent,
          });
          const body = (await response.body.json()) as { object: string };
          expect(response.statusCode).toBe(200);
          expect(body.object).toBe('chat.completion');
          return performance.now() - start;
        }),
      );
      const total = performance.now() - began;
      expect(durations).toHaveLength(1000);
      expect(Math.max(...durations)).toBeLessThan(10_000);
      expect(total).toBeLessThan(15_000);
      expect(server.stats().byStatus).toEqual({ '200': 1000 });
    } finally {
      await agent.close();
    }
  });
});
