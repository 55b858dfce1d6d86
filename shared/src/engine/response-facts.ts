/** What the engine reads from a response besides its status: error codes, usage, deciding headers. */
import type { TransportResponse } from './transport.js';
import type { TokenUsage } from './events.js';

const DECIDING_HEADER = /^(retry-after|retry-after-ms|x-ratelimit-.*)$/;

/** Retry-After, retry-after-ms and x-ratelimit-* as a plain record. */
export function decidingHeaders(headers: TransportResponse['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || !DECIDING_HEADER.test(key)) continue;
    result[key] = typeof value === 'string' ? value : value.join(', ');
  }
  return result;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `error.code` and `error.type` of an OpenAI-shaped error body (`{"error": {...}}`). */
export function errorCodesOf(json: unknown): string[] {
  const error = asRecord(asRecord(json)?.error);
  if (!error) return [];
  return [error.code, error.type].filter((value): value is string => typeof value === 'string' && value !== '');
}

export function errorMessageOf(json: unknown): string | undefined {
  const message = asRecord(asRecord(json)?.error)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** OpenAI's `usage` (prompt_tokens, completion_tokens, total_tokens), when reported. */
export function usageOf(json: unknown): TokenUsage | undefined {
  const usage = asRecord(asRecord(json)?.usage);
  if (!usage) return undefined;
  const pick = (key: string) => (typeof usage[key] === 'number' && Number.isFinite(usage[key]) ? (usage[key] as number) : undefined);
  const result = { promptTokens: pick('prompt_tokens'), completionTokens: pick('completion_tokens'), totalTokens: pick('total_tokens') };
  if (Object.values(result).every((value) => value === undefined)) return undefined;
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as TokenUsage;
}

export function addUsage(total: TokenUsage | undefined, more: TokenUsage | undefined): TokenUsage | undefined {
  if (!more) return total;
  if (!total) return more;
  const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  const result = {
    promptTokens: sum(total.promptTokens, more.promptTokens),
    completionTokens: sum(total.completionTokens, more.completionTokens),
    totalTokens: sum(total.totalTokens, more.totalTokens),
  };
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as TokenUsage;
}

/** JSON text to a value; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
