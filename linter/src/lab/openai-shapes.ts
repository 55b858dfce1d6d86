/** The JSON bodies an OpenAI-compatible API answers with: completions, stream chunks, errors, models. */

export const LAB_MODEL = 'retrylint-lab';

export interface OpenAiError {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly message: string;
  readonly param?: string;
}

export function errorBody(error: OpenAiError): string {
  return JSON.stringify({ error: { type: error.type, code: error.code, message: error.message, param: error.param ?? null } });
}

export const PERMANENT_ERRORS = {
  'wrong-key': { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  'context-length': {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    message: "This model's maximum context length is 8192 tokens; your messages resulted in 9001 tokens.",
    param: 'messages',
  },
  'insufficient-quota': {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
} as const satisfies Record<string, OpenAiError>;

export interface ChatRequest {
  readonly model: string;
  readonly stream: boolean;
  /** Roughly one token per word of the messages' text. */
  readonly promptTokens: number;
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** The request body's facts, or the OpenAI error a malformed one gets. */
export function readChatRequest(body: unknown): ChatRequest | OpenAiError {
  const invalid = (message: string, param: string, code = 'invalid_value'): OpenAiError => ({ status: 400, type: 'invalid_request_error', code, message, param });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('The request body must be a JSON object.', 'body', 'invalid_type');
  const { model, messages, stream } = body as Record<string, unknown>;
  if (messages === undefined) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(messages)) return invalid("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
  if (model !== undefined && typeof model !== 'string') return invalid("Invalid type for 'model': expected a string.", 'model', 'invalid_type');
  if (stream !== undefined && typeof stream !== 'boolean') return invalid("Invalid type for 'stream': expected a boolean.", 'stream', 'invalid_type');
  const promptText = messages
    .map((message) => (typeof message === 'object' && message !== null ? (message as { content?: unknown }).content : undefined))
    .map((content) => (typeof content === 'string' ? content : ''))
    .join(' ');
  return { model: model ?? LAB_MODEL, stream: stream === true, promptTokens: Math.max(1, wordCount(promptText)) };
}

export function isOpenAiError(value: ChatRequest | OpenAiError): value is OpenAiError {
  return 'status' in value;
}

/** The answer to request `n`, as words (one stream chunk each). */
export function replyWords(n: number): string[] {
  return `Retry Lab answer ${n}: this request succeeded.`.split(' ').map((word, index) => (index === 0 ? word : ` ${word}`));
}

function usageOf(request: ChatRequest, words: readonly string[]): Usage {
  return { prompt_tokens: request.promptTokens, completion_tokens: words.length, total_tokens: request.promptTokens + words.length };
}

export function completionBody(request: ChatRequest, n: number, created: number): string {
  const words = replyWords(n);
  return JSON.stringify({
    id: `chatcmpl-lab-${n}`,
    object: 'chat.completion',
    created,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
    usage: usageOf(request, words),
  });
}

/** Every SSE event of a streamed answer, `data: [DONE]` last; usage rides on the final chunk. */
export function streamEvents(request: ChatRequest, n: number, created: number): string[] {
  const words = replyWords(n);
  const chunk = (delta: object, finish: string | null, usage?: Usage) =>
    `data: ${JSON.stringify({
      id: `chatcmpl-lab-${n}`,
      object: 'chat.completion.chunk',
      created,
      model: request.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    })}\n\n`;
  return [
    ...words.map((word, index) => chunk(index === 0 ? { role: 'assistant', content: word } : { content: word }, null)),
    chunk({}, 'stop', usageOf(request, words)),
    'data: [DONE]\n\n',
  ];
}

export function modelsBody(created: number): string {
  return JSON.stringify({ object: 'list', data: [{ id: LAB_MODEL, object: 'model', created, owned_by: 'retrylint' }] });
}
