/**
 * The messages between the Retry Lab webview and the extension host. The webview is treated
 * as untrusted input: every message it posts is validated here before the host acts on it,
 * and anything else is dropped with a reason. Pure (no vscode), unit-tested.
 */
import { PROFILE_NAMES, type AttemptEvent, type CallEndEvent, type ProfileName, type SimulationRow, type TokenUsage } from '@retrylint/shared';

export const LAB_SERVER_SCENARIOS = ['rate-limit', 'server-errors', 'stream-cut', 'slow-first-byte', 'ok', 'mixed'] as const;
export type LabServerScenario = (typeof LAB_SERVER_SCENARIOS)[number];

export type PolicyChoice =
  | { readonly kind: 'profile'; readonly profile: ProfileName }
  | { readonly kind: 'config' }
  | { readonly kind: 'site' };

export type CallInput = { readonly kind: 'prompt'; readonly prompt: string } | { readonly kind: 'messages'; readonly json: string };

export interface SendMessage {
  readonly type: 'send';
  readonly endpoint: string;
  readonly model: string;
  readonly input: CallInput;
  readonly stream: boolean;
  readonly policy: PolicyChoice;
}

export type WebviewMessage =
  | { readonly type: 'ready' }
  | SendMessage
  | { readonly type: 'cancel' }
  | { readonly type: 'rerun'; readonly index: number }
  | { readonly type: 'start-lab-server'; readonly scenario: LabServerScenario }
  | { readonly type: 'stop-lab-server' }
  | { readonly type: 'set-api-key'; readonly endpoint: string }
  | { readonly type: 'simulate'; readonly scenario: string; readonly policy: PolicyChoice }
  | { readonly type: 'recommend'; readonly scenario: string }
  | { readonly type: 'apply-recommendation' };

/** One call of the history (workspace state): what is needed to run it again, never a key. */
export interface HistoryEntry {
  readonly at: number;
  readonly request: Omit<SendMessage, 'type'>;
  readonly ok: boolean;
  readonly summary: string;
}

export interface PanelState {
  readonly trusted: boolean;
  readonly labServer: { readonly url: string; readonly scenario: string } | undefined;
  readonly history: readonly HistoryEntry[];
  readonly profiles: readonly ProfileName[];
  readonly simulatorScenarios: readonly string[];
  readonly busy: boolean;
  /** Endpoints (origins) that have a key stored; the key itself never leaves the host. */
  readonly endpointsWithKey: readonly string[];
  /** Set when the panel was opened for a retry site ("Retry Lab: Test this retry site"). */
  readonly site: { readonly label: string; readonly summary: string } | undefined;
}

export type HostMessage =
  | { readonly type: 'state'; readonly state: PanelState; readonly prefill?: Partial<Omit<SendMessage, 'type'>> }
  | { readonly type: 'call-start'; readonly url: string; readonly policy: string }
  | { readonly type: 'attempt'; readonly event: AttemptEvent }
  | { readonly type: 'chunk'; readonly text: string }
  | {
      readonly type: 'call-end';
      readonly event: CallEndEvent;
      readonly text: string | undefined;
      readonly usage: TokenUsage | undefined;
      readonly wasted: { readonly attempts: number; readonly tokens: number; readonly costUsd: number | undefined };
    }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'simulation'; readonly scenario: string; readonly rows: readonly SimulationRow[]; readonly chartSvg?: string }
  | { readonly type: 'recommendation'; readonly scenario: string; readonly name: string; readonly config: string; readonly row: SimulationRow };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const MAX_TEXT = 200_000;
const MAX_SHORT_TEXT = 2_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Invalid extends Error {}

function text(record: Record<string, unknown>, key: string, max = MAX_SHORT_TEXT): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Invalid(`${key}: expected a string`);
  if (value.length > max) throw new Invalid(`${key}: longer than ${max} characters`);
  return value;
}

function oneOf<T extends string>(record: Record<string, unknown>, key: string, choices: readonly T[]): T {
  const value = text(record, key);
  if (!(choices as readonly string[]).includes(value)) throw new Invalid(`${key}: expected one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

function policyChoice(value: unknown): PolicyChoice {
  if (!isRecord(value)) throw new Invalid('policy: expected an object');
  const kind = oneOf(value, 'kind', ['profile', 'config', 'site'] as const);
  if (kind === 'profile') return { kind, profile: oneOf(value, 'profile', PROFILE_NAMES) };
  return { kind };
}

function callInput(value: unknown): CallInput {
  if (!isRecord(value)) throw new Invalid('input: expected an object');
  const kind = oneOf(value, 'kind', ['prompt', 'messages'] as const);
  return kind === 'prompt' ? { kind, prompt: text(value, 'prompt', MAX_TEXT) } : { kind, json: text(value, 'json', MAX_TEXT) };
}

function sendMessage(value: Record<string, unknown>): SendMessage {
  if (typeof value.stream !== 'boolean') throw new Invalid('stream: expected true or false');
  const model = text(value, 'model').trim();
  if (model === '') throw new Invalid('model: empty');
  return { type: 'send', endpoint: text(value, 'endpoint'), model, input: callInput(value.input), stream: value.stream, policy: policyChoice(value.policy) };
}

function parseKnown(value: Record<string, unknown>): WebviewMessage {
  const type = text(value, 'type');
  switch (type) {
    case 'ready':
    case 'cancel':
    case 'stop-lab-server':
    case 'apply-recommendation':
      return { type };
    case 'send':
      return sendMessage(value);
    case 'rerun': {
      const index = value.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw new Invalid('index: expected a history index');
      return { type, index };
    }
    case 'start-lab-server':
      return { type, scenario: oneOf(value, 'scenario', LAB_SERVER_SCENARIOS) };
    case 'set-api-key':
      return { type, endpoint: text(value, 'endpoint') };
    case 'simulate':
      return { type, scenario: text(value, 'scenario'), policy: policyChoice(value.policy) };
    case 'recommend':
      return { type, scenario: text(value, 'scenario') };
    default:
      throw new Invalid(`unknown message type "${type}"`);
  }
}

/** A message from the webview, or why it was refused. */
export function parseWebviewMessage(value: unknown): Parsed<WebviewMessage> {
  if (!isRecord(value)) return { ok: false, error: 'expected an object' };
  try {
    return { ok: true, value: parseKnown(value) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'developer' | 'tool';
  readonly content: string;
}

const ROLES = ['system', 'user', 'assistant', 'developer', 'tool'] as const;

/** The messages of the call: a prompt becomes one user message; JSON must be an array of { role, content }. */
export function chatMessagesOf(input: CallInput): Parsed<readonly ChatMessage[]> {
  if (input.kind === 'prompt') {
    if (input.prompt.trim() === '') return { ok: false, error: 'the prompt is empty' };
    return { ok: true, value: [{ role: 'user', content: input.prompt }] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.json);
  } catch (error) {
    return { ok: false, error: `messages: not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return { ok: false, error: 'messages: expected a non-empty array of { "role", "content" }' };
  const messages: ChatMessage[] = [];
  for (const [index, item] of parsed.entries()) {
    if (!isRecord(item)) return { ok: false, error: `messages[${index}]: expected an object` };
    if (typeof item.role !== 'string' || !(ROLES as readonly string[]).includes(item.role)) {
      return { ok: false, error: `messages[${index}].role: expected one of ${ROLES.join(', ')}` };
    }
    if (typeof item.content !== 'string') return { ok: false, error: `messages[${index}].content: expected a string` };
    messages.push({ role: item.role as ChatMessage['role'], content: item.content });
  }
  return { ok: true, value: messages };
}
