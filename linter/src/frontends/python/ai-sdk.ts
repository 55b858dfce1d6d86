/**
 * openai / anthropic Python SDKs: clients retry by themselves (max_retries 2 = 3 attempts,
 * 0.5 s -> 8 s backoff with jitter, Retry-After honoured) and time out after 600 s.
 * Produces the call facts of `client.<resource>.create(...)` and a 'client' site per
 * constructor.
 */
import {
  AI_SDK_DEFAULT_RETRIES,
  AI_SDK_DEFAULT_TIMEOUT_MS,
  aiSdkRetryFacts,
  known,
  makeCall,
  makeSite,
  unknown, type CallFacts, type Maybe, type OptionSlot, type RetrySite, type TimeoutFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { maybeTimeout, streamKeyword, type CallRecognizer } from './call-facts.js';
import { clientOrigin, type ClientOrigin } from './client-origin.js';
import { httpxTimeout } from './httpx-calls.js';
import { childByField, isAsyncFunction, enclosingFunction, type PyNode } from './syntax-tree.js';

const CONSTRUCTORS: ReadonlyMap<string, 'openai' | 'anthropic'> = new Map([
  ['openai.OpenAI', 'openai'],
  ['openai.AsyncOpenAI', 'openai'],
  ['openai.AzureOpenAI', 'openai'],
  ['openai.AsyncAzureOpenAI', 'openai'],
  ['anthropic.Anthropic', 'anthropic'],
  ['anthropic.AsyncAnthropic', 'anthropic'],
  ['anthropic.AnthropicBedrock', 'anthropic'],
  ['anthropic.AsyncAnthropicBedrock', 'anthropic'],
  ['anthropic.AnthropicVertex', 'anthropic'],
  ['anthropic.AsyncAnthropicVertex', 'anthropic'],
]);

const REQUEST_METHODS = new Set(['create', 'stream', 'parse']);

export const isSdkClient = (name: string): boolean => CONSTRUCTORS.has(name);

interface ClientSettings {
  readonly attempts: Maybe<number>;
  readonly retriesSlot?: OptionSlot;
  readonly timeout: Maybe<TimeoutFacts> | undefined;
}

/** max_retries and timeout after the constructor and any `with_options(...)`. */
function settingsOf(analysis: Analysis, origin: ClientOrigin): ClientSettings {
  const layers = [origin.construction, ...origin.withOptions].map((call) => new CallArguments(analysis.file, call));
  let attempts: Maybe<number> = known(AI_SDK_DEFAULT_RETRIES + 1);
  let retriesSlot: OptionSlot | undefined = layers[0].slot('max_retries', 'retries');
  let timeout: Maybe<TimeoutFacts> | undefined;
  for (const args of layers) {
    const retries = args.keyword('max_retries');
    if (retries) {
      const value = analysis.values.evaluateNumber(retries);
      attempts = value !== undefined && value >= 0 ? known(value + 1, analysis.file.span(retries)) : unknown('max_retries not constant');
      retriesSlot = args.slot('max_retries', 'retries');
    } else if (args.mayHide('max_retries')) {
      attempts = unknown('**kwargs');
    }
    const configured = args.keyword('timeout');
    if (configured) timeout = maybeTimeout(httpxTimeout(analysis, configured), 'timeout not constant');
    else if (args.mayHide('timeout')) timeout = unknown('**kwargs');
  }
  return { attempts, ...(retriesSlot ? { retriesSlot } : {}), timeout };
}

/** The client object a resource call goes through: `client.chat.completions.create` -> `client`. */
function clientOfRequest(analysis: Analysis, call: PyNode): { origin: ClientOrigin; method: string } | undefined {
  const callee = childByField(call, 'function');
  if (callee?.type !== 'attribute') return undefined;
  const methodNode = childByField(callee, 'attribute');
  const method = methodNode ? analysis.file.textOf(methodNode) : '';
  if (!REQUEST_METHODS.has(method)) return undefined;
  // Walk down the resource chain (at least one resource) to an object that is a client.
  let object = childByField(callee, 'object');
  for (let depth = 0; object?.type === 'attribute' && depth < 5; depth++) {
    const inner = childByField(object, 'object');
    if (!inner) return undefined;
    const origin = clientOrigin(analysis, inner, isSdkClient);
    if (origin) return { origin, method };
    object = inner;
  }
  return undefined;
}

export const aiSdkCalls: CallRecognizer = {
  library: 'ai-sdk',
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined {
    const found = clientOfRequest(analysis, call);
    if (!found) return undefined;
    const library = CONSTRUCTORS.get(found.origin.constructorName) ?? 'openai';
    const settings = settingsOf(analysis, found.origin);
    const args = new CallArguments(analysis.file, call);
    const timeoutNode = args.keyword('timeout');
    let timeout: Maybe<TimeoutFacts>;
    if (timeoutNode) timeout = maybeTimeout(httpxTimeout(analysis, timeoutNode), 'timeout not constant');
    else if (args.mayHide('timeout')) timeout = unknown('**kwargs');
    else timeout = settings.timeout ?? known({ kind: 'library-default', ms: AI_SDK_DEFAULT_TIMEOUT_MS });
    const timeoutSlot = args.slot('timeout', 'seconds');
    return makeCall(
      { kind: 'sdk', library, span: analysis.file.span(call) },
      {
        method: known('POST'),
        timeout,
        ...(timeoutSlot ? { timeoutSlot } : {}),
        streaming: found.method === 'stream' ? known(true) : streamKeyword(analysis, args),
        clientAttempts: settings.attempts,
        ...(settings.retriesSlot ? { clientRetriesSlot: settings.retriesSlot } : {}),
        clientSpan: analysis.file.span(found.origin.construction),
        // The SDKs send their own idempotency key on retries.
        idempotencyKey: unknown('sdk'),
      },
    );
  },
};

/** A 'client' retry site for every SDK constructor in the file. */
export function sdkClientSites(analysis: Analysis): RetrySite[] {
  const sites: RetrySite[] = [];
  for (const node of analysis.file.nodesOf('call')) {
    const qualified = analysis.file.qualify(childByField(node, 'function'));
    const library = qualified ? CONSTRUCTORS.get(qualified) : undefined;
    if (!library || node.hasError) continue;
    const origin: ClientOrigin = { constructorName: qualified as string, construction: node, withOptions: [] };
    const settings = settingsOf(analysis, origin);
    const span = analysis.file.span(node);
    const fn = enclosingFunction(node);
    sites.push(
      makeSite(
        { id: `client@${node.start}`, kind: 'client', language: 'python', library, span, reportSpan: span },
        {
          isAsync: known(fn ? isAsyncFunction(fn) : false),
          attempts: { max: settings.attempts, ...(settings.retriesSlot ? { slot: settings.retriesSlot } : {}) },
          ...aiSdkRetryFacts(span, ['APIConnectionError', 'APITimeoutError']),
          sleep: { blockingInAsync: known(false), permitHeld: known(false) },
        },
      ),
    );
  }
  return sites;
}
