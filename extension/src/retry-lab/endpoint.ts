/** Endpoint URLs as the panel accepts them: http(s) only, and whether one needs a confirmation. */

export const DEFAULT_ENDPOINT = 'https://api.openai.com/v1';

export type EndpointCheck =
  | { readonly ok: true; readonly url: URL; readonly needsConfirmation: boolean }
  | { readonly ok: false; readonly error: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** Parses the endpoint; a plain http:// endpoint off this machine would send the key in clear. */
export function checkEndpoint(text: string): EndpointCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, error: `"${text}" is not a URL (expected e.g. ${DEFAULT_ENDPOINT})` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `${url.protocol} endpoints are not supported: use https:// (or http:// on this machine)` };
  }
  if (url.username || url.password) return { ok: false, error: 'put the API key in "Retry Lab: Set API key", not in the URL' };
  return { ok: true, url, needsConfirmation: url.protocol === 'http:' && !isLoopback(url) };
}

/** Where the key of an endpoint is kept: one key per origin (scheme, host and port). */
export function keyIdOf(url: URL): string {
  return `retrylint.retryLab.apiKey:${url.origin}`;
}

/** The chat completions URL under an OpenAI-compatible base URL (`…/v1`). */
export function chatCompletionsUrl(url: URL): string {
  const base = url.href.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}
