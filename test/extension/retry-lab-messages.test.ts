/**
 * The Retry Lab's trust boundary with its webview: messages are validated before the host
 * acts on them, keys are redacted from everything shown or logged, endpoints are checked,
 * and the page's Content-Security-Policy allows nothing but the extension's own files.
 */
import { describe, expect, it } from 'vitest';
import { checkEndpoint, chatCompletionsUrl, keyIdOf } from '../../extension/src/retry-lab/endpoint.js';
import { contentSecurityPolicy, retryLabHtml } from '../../extension/src/retry-lab/html.js';
import { chatMessagesOf, parseWebviewMessage } from '../../extension/src/retry-lab/messages.js';
import { REDACTED, redact, redactDeep } from '../../extension/src/retry-lab/redact.js';

const SEND = {
  type: 'send',
  endpoint: 'http://127.0.0.1:8787/v1',
  model: 'gpt-4o-mini',
  input: { kind: 'prompt', prompt: 'Hello' },
  stream: true,
  policy: { kind: 'profile', profile: 'ai-api' },
};

describe('webview message validation', () => {
  it('accepts a well-formed send and keeps only the known fields', () => {
    const parsed = parseWebviewMessage({ ...SEND, extra: 'dropped' });
    expect(parsed).toEqual({ ok: true, value: SEND });
  });

  it.each([
    [null, 'expected an object'],
    [[SEND], 'expected an object'],
    [{ type: 'launch-missiles' }, 'unknown message type "launch-missiles"'],
    [{ ...SEND, stream: 'yes' }, 'stream: expected true or false'],
    [{ ...SEND, model: '  ' }, 'model: empty'],
    [{ ...SEND, endpoint: 42 }, 'endpoint: expected a string'],
    [{ ...SEND, policy: { kind: 'profile', profile: 'yolo' } }, 'profile: expected one of ai-api'],
    [{ ...SEND, policy: { kind: 'script' } }, 'kind: expected one of profile, config, site, got "script"'],
    [{ ...SEND, input: { kind: 'prompt', prompt: 'x'.repeat(200_001) } }, 'prompt: longer than 200000 characters'],
    [{ type: 'rerun', index: -1 }, 'index: expected a history index'],
    [{ type: 'rerun', index: 1.5 }, 'index: expected a history index'],
    [{ type: 'start-lab-server', scenario: 'hang' }, 'scenario: expected one of'],
  ])('refuses %j', (message, error) => {
    const parsed = parseWebviewMessage(message);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });

  it('turns a prompt into one user message and checks messages JSON', () => {
    expect(chatMessagesOf({ kind: 'prompt', prompt: 'Hi' })).toEqual({ ok: true, value: [{ role: 'user', content: 'Hi' }] });
    expect(chatMessagesOf({ kind: 'prompt', prompt: ' ' })).toEqual({ ok: false, error: 'the prompt is empty' });
    const json = JSON.stringify([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi', name: 'ignored' }]);
    expect(chatMessagesOf({ kind: 'messages', json })).toEqual({
      ok: true,
      value: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
    });
    expect(chatMessagesOf({ kind: 'messages', json: '[{"role": "user"' })).toMatchObject({ ok: false, error: expect.stringContaining('messages: not JSON') });
    expect(chatMessagesOf({ kind: 'messages', json: '[]' })).toMatchObject({ ok: false, error: expect.stringContaining('non-empty array') });
    expect(chatMessagesOf({ kind: 'messages', json: '[{"role": "root", "content": "x"}]' })).toMatchObject({ ok: false, error: expect.stringContaining('messages[0].role') });
    expect(chatMessagesOf({ kind: 'messages', json: '[{"role": "user", "content": 1}]' })).toMatchObject({ ok: false, error: 'messages[0].content: expected a string' });
  });
});

describe('key redaction', () => {
  const key = 'sk-test-Abc123xyz';

  it('removes every occurrence of a known key and any bearer token', () => {
    expect(redact(`401 for ${key}; again ${key}`, [key])).toBe(`401 for ${REDACTED}; again ${REDACTED}`);
    expect(redact('authorization: Bearer sk-other-999', [])).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redact('a 429 after 3 ms', [key])).toBe('a 429 after 3 ms');
  });

  it('does not treat a very short string as a secret', () => {
    expect(redact('abc def', ['abc'])).toBe('abc def');
  });

  it('redacts every string of a message, keys of objects included, and leaves other values alone', () => {
    const message = { type: 'error', message: `bad key ${key}`, nested: [{ [key]: 1, status: 401, text: `x${key}y` }] };
    expect(redactDeep(message, [key])).toEqual({ type: 'error', message: `bad key ${REDACTED}`, nested: [{ [REDACTED]: 1, status: 401, text: `x${REDACTED}y` }] });
    expect(JSON.stringify(redactDeep(message, [key]))).not.toContain(key);
  });
});

describe('endpoints', () => {
  it('asks for a confirmation only for plain http:// off this machine', () => {
    expect(checkEndpoint('https://api.openai.com/v1')).toMatchObject({ ok: true, needsConfirmation: false });
    expect(checkEndpoint('http://127.0.0.1:8787/v1')).toMatchObject({ ok: true, needsConfirmation: false });
    expect(checkEndpoint('http://localhost:8787/v1')).toMatchObject({ ok: true, needsConfirmation: false });
    expect(checkEndpoint('http://[::1]:8787/v1')).toMatchObject({ ok: true, needsConfirmation: false });
    expect(checkEndpoint('http://10.0.0.5:8000/v1')).toMatchObject({ ok: true, needsConfirmation: true });
    expect(checkEndpoint('http://127.0.0.1.evil.example/v1')).toMatchObject({ ok: true, needsConfirmation: true });
  });

  it('refuses what is not an http(s) URL, and keys in the URL', () => {
    expect(checkEndpoint('api.openai.com')).toMatchObject({ ok: false, error: expect.stringContaining('is not a URL') });
    expect(checkEndpoint('file:///etc/passwd')).toMatchObject({ ok: false, error: expect.stringContaining('file: endpoints are not supported') });
    expect(checkEndpoint('https://user:sk-123@api.example.com/v1')).toMatchObject({ ok: false, error: expect.stringContaining('Set API key') });
  });

  it('keeps one key per origin and appends the chat completions path once', () => {
    const url = new URL('https://api.openai.com/v1/');
    expect(keyIdOf(url)).toBe('retrylint.retryLab.apiKey:https://api.openai.com');
    expect(keyIdOf(new URL('http://127.0.0.1:1234/v1'))).not.toBe(keyIdOf(new URL('http://127.0.0.1:5678/v1')));
    expect(chatCompletionsUrl(url)).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsUrl(new URL('http://127.0.0.1:1/v1/chat/completions'))).toBe('http://127.0.0.1:1/v1/chat/completions');
  });
});

describe('webview page', () => {
  const resources = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'n0nce-123', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/retry-lab.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/retry-lab.css' };

  it('allows nothing by default, scripts only by nonce, styles only from the extension', () => {
    const csp = contentSecurityPolicy(resources);
    expect(csp).toBe(`default-src 'none'; style-src ${resources.cspSource}; script-src 'nonce-n0nce-123'; img-src data:; font-src ${resources.cspSource}`);
    expect(csp).not.toContain('unsafe');
  });

  it('has one script, with the nonce, and no inline style or event handler', () => {
    const html = retryLabHtml(resources);
    expect(html).toContain(`content="${contentSecurityPolicy(resources)}"`);
    expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script nonce="n0nce-123" src="${resources.scriptUri}">`]);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|<style/);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls).toEqual([resources.styleUri, resources.scriptUri]);
  });
});
