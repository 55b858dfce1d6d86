/**
 * One Retry Lab call, in the extension host: the retry engine over undici with the chosen
 * policy, its events and stream text reported as they happen, the key only in the request's
 * Authorization header. No vscode import: tested against the real lab server.
 */
import { RetryGiveUpError, type AttemptEvent, type CallEndEvent, type EngineEvent, type Policy, type TokenUsage } from '@retrylint/shared';
import { createEngine } from '../../../linter/src/engine/index.js';
import { chatCompletionsUrl } from './endpoint.js';
import type { ChatMessage } from './messages.js';
import { wastedAttempts, type WastedAttempts } from './wasted-cost.js';

export interface LabCallRequest {
  readonly endpoint: URL;
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly stream: boolean;
  readonly policy: Policy;
  readonly permanentErrorCodes?: readonly string[];
  readonly apiKey: string | undefined;
  readonly signal: AbortSignal;
  readonly onAttempt: (event: AttemptEvent) => void;
  /** The text of each streamed chunk, as it arrives. */
  readonly onText: (text: string) => void;
}

export interface LabCallOutcome {
  readonly end: CallEndEvent;
  readonly attempts: readonly AttemptEvent[];
  /** The answer's text (a stream's chunks joined), or the last answer's body when the call failed. */
  readonly text: string | undefined;
  readonly usage: TokenUsage | undefined;
  readonly wasted: WastedAttempts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The text of one OpenAI chat stream chunk (`choices[0].delta.content`), or '' for none. */
export function chunkText(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    const choice = isRecord(parsed) && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
    const content = isRecord(choice) && isRecord(choice.delta) ? choice.delta.content : undefined;
    return typeof content === 'string' ? content : '';
  } catch {
    return '';
  }
}

/** The text of a chat completion (`choices[0].message.content`). */
export function completionText(json: unknown): string | undefined {
  const choice = isRecord(json) && Array.isArray(json.choices) ? json.choices[0] : undefined;
  const content = isRecord(choice) && isRecord(choice.message) ? choice.message.content : undefined;
  return typeof content === 'string' ? content : undefined;
}

export async function runLabCall(request: LabCallRequest): Promise<LabCallOutcome> {
  let end: CallEndEvent | undefined;
  const engine = createEngine({
    policy: request.policy,
    ...(request.permanentErrorCodes ? { permanentErrorCodes: request.permanentErrorCodes } : {}),
  });
  const onEvent = (event: EngineEvent) => {
    if (event.type === 'attempt') request.onAttempt(event);
    else end = event;
  };
  const streamed: string[] = [];
  const headers: Record<string, string> = request.apiKey ? { authorization: `Bearer ${request.apiKey}` } : {};
  const body = { model: request.model, messages: request.messages, stream: request.stream, ...(request.stream ? { stream_options: { include_usage: true } } : {}) };
  const onChunk = (data: string) => {
    const text = chunkText(data);
    if (text === '') return;
    streamed.push(text);
    request.onText(text);
  };
  try {
    const result = await engine.call({ url: chatCompletionsUrl(request.endpoint), headers, body, stream: request.stream, onChunk, signal: request.signal, onEvent });
    const text = request.stream ? streamed.join('') : completionText(result.json) ?? result.text;
    return { end: end as CallEndEvent, attempts: result.attempts, text, usage: result.usage, wasted: wastedAttempts(result.attempts, request.model) };
  } catch (error) {
    if (!(error instanceof RetryGiveUpError) || !end) throw error;
    const text = streamed.length > 0 ? streamed.join('') : error.last.body;
    return { end, attempts: error.attempts, text, usage: error.usage, wasted: wastedAttempts(error.attempts, request.model) };
  }
}
