/**
 * OpenAI and Anthropic SDK clients. Both retry by themselves: 2 retries (3 attempts),
 * exponential backoff 0.5 s -> 8 s with jitter, Retry-After honoured up to 60 s, and a
 * 600 s (10 min) default timeout. `maxRetries` / `timeout` are set on the client and can be
 * overridden per request (`create(body, { maxRetries, timeout })`).
 */
import {
  AI_SDK_DEFAULT_RETRIES,
  AI_SDK_DEFAULT_TIMEOUT_MS,
  aiSdkRetryFacts,
  known,
  makeCall,
  makeSite,
  unknown, type ChainStep, type Maybe, type OptionSlot, type RetrySite, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { importedValue, moduleLinks } from '../cross-module.js';
import { instanceOrigin } from '../instances.js';
import { memberPath, propertyName, stripCasts, type CallExpression, type NewExpression, type Node } from '../syntax.js';
import type { RecognizedCall } from './call.js';


const CLIENTS: readonly { module: string; exports: readonly string[]; library: string; typeNames: readonly string[] }[] = [
  { module: 'openai', exports: ['default', 'OpenAI', 'AzureOpenAI'], library: 'openai', typeNames: ['OpenAI', 'AzureOpenAI'] },
  { module: '@anthropic-ai/sdk', exports: ['default', 'Anthropic'], library: 'anthropic', typeNames: ['Anthropic'] },
];

const SDK_PACKAGES = CLIENTS.map((client) => client.module);

/** The SDK library a `new X(...)` constructs, if any. */
export function sdkLibraryOf(node: NewExpression, context: ExtractionContext): string | undefined {
  const ref = context.index.importRef(node.callee);
  for (const client of CLIENTS) {
    if (client.exports.some((name) => refersTo(ref, [client.module], name))) return client.library;
  }
  return undefined;
}

export interface SdkClient {
  readonly library: string;
  /** The construction, when it is in this file. */
  readonly construction?: NewExpression;
  readonly options?: Options;
  /** Project mode, a client built in another module: where, and the lever on its retries there. */
  readonly builtAt?: ChainStep;
  readonly foreignRetriesSlot?: OptionSlot;
}

/** The SDK client a receiver expression (`client`, `this.openai`) refers to. */
export function sdkClientOf(receiver: Node, context: ExtractionContext): SdkClient | undefined {
  const origin = instanceOrigin(receiver, context);
  if (origin?.kind === 'created' && origin.node.type === 'NewExpression') {
    const library = sdkLibraryOf(origin.node, context);
    return library ? { library, construction: origin.node, options: context.options(origin.node, 0) } : undefined;
  }
  if (origin?.kind === 'import') return importedSdkClient(receiver, context);
  if (origin?.kind === 'parameter' && origin.typeName) {
    const client = CLIENTS.find((candidate) => candidate.typeNames.includes(origin.typeName!));
    const declaration = context.index.lookup(origin.typeName, receiver);
    if (client && declaration?.kind === 'import' && declaration.binding.module === client.module) return { library: client.library };
  }
  return origin?.kind === 'created' ? undefined : typedSdkClient(receiver, context);
}

/**
 * Project mode: a parameter or field declared with an SDK type, however the type reaches it
 * (`private readonly llm: LlmClient` with `type LlmClient = OpenAI` in another module). Its
 * configuration is the caller's, so only the library is known.
 */
function typedSdkClient(receiver: Node, context: ExtractionContext): SdkClient | undefined {
  const declared = moduleLinks()?.project?.declaredType(context, receiver, SDK_PACKAGES);
  if (!declared) return undefined;
  const client = CLIENTS.find((candidate) => candidate.module === declared.module && candidate.exports.includes(declared.name));
  return client ? { library: client.library } : undefined;
}

/**
 * A client constructed in another module of the project. Its settings are facts here, but
 * it offers no levers: a fix must not edit that file through this one's spans.
 */
function importedSdkClient(receiver: Node, context: ExtractionContext): SdkClient | undefined {
  const root = stripCasts(receiver);
  if (root.type !== 'Identifier') return undefined;
  const declaration = context.index.lookup(root.name, root);
  if (declaration?.kind !== 'import') return undefined;
  const exported = importedValue(context.filePath, declaration.binding.module, declaration.binding.imported);
  const created = exported ? stripCasts(exported.node) : undefined;
  if (!exported || created?.type !== 'NewExpression') return undefined;
  const library = sdkLibraryOf(created, exported.context);
  if (!library) return undefined;
  const options = exported.context.options(created, 0);
  const client: SdkClient = { library, options: options.foreign(context.span(root)) };
  const project = moduleLinks()?.project;
  const file = exported.context.filePath;
  if (!project || !file) return client;
  const slot = options.slot('maxRetries', 'retries');
  return {
    ...client,
    builtAt: { file: project.displayPath(file), line: exported.context.span(created).line, role: 'client' },
    ...(slot ? { foreignRetriesSlot: { ...slot, file } } : {}),
  };
}

/** The client construction as a retry site (the client retries every request by itself). */
export function recognizeSdkClient(node: NewExpression, context: ExtractionContext): RetrySite | undefined {
  const library = sdkLibraryOf(node, context);
  if (!library) return undefined;
  const options = context.options(node, 0);
  const retries = options.number('maxRetries', AI_SDK_DEFAULT_RETRIES);
  const slot = options.slot('maxRetries', 'retries');
  return makeSite(context.identity('client', library, node), {
    isAsync: known(true),
    attempts: {
      max: retries ? known(retries.value + 1, retries.span) : unknown('maxRetries not visible'),
      ...(slot ? { slot } : {}),
    },
    ...aiSdkRetryFacts(context.span(node), ['APIConnectionError', 'APIConnectionTimeoutError']),
  });
}

export function recognizeSdkCall(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee.property, callee.computed);
  if (!method) return undefined;
  // client.<resource>[.<resource>].<method>(...): find the client at the root of the chain.
  let receiver: Node = stripCasts(callee.object);
  let depth = 0;
  let client: SdkClient | undefined;
  while (receiver.type === 'MemberExpression' && depth < 4) {
    client = sdkClientOf(receiver, context);
    if (client) break;
    receiver = stripCasts(receiver.object);
    depth++;
  }
  if (!client) {
    if (depth === 0) return undefined;
    client = sdkClientOf(receiver, context);
  }
  if (!client || !memberPath(callee)) return undefined;
  const body = context.options(call, 0);
  const request = context.options(call, 1);
  const clientOptions = client.options;
  const streaming: Maybe<boolean> =
    method === 'stream'
      ? known(true)
      : body.has('stream')
        ? maybeBoolean(context.evaluate.boolean(body.value('stream')))
        : body.defaultsApply
          ? known(false)
          : unknown();
  const retries = layered(request, clientOptions, 'maxRetries', AI_SDK_DEFAULT_RETRIES);
  const timeout = sdkTimeout(request, clientOptions, context);
  const retriesSlot: OptionSlot | undefined = request.has('maxRetries')
    ? request.slot('maxRetries', 'retries')
    : (clientOptions?.slot('maxRetries', 'retries') ?? client.foreignRetriesSlot ?? request.slot('maxRetries', 'retries'));
  const timeoutSlot: OptionSlot | undefined = request.has('timeout')
    ? request.slot('timeout', 'ms')
    : (clientOptions?.slot('timeout', 'ms') ?? request.slot('timeout', 'ms'));
  return {
    node: call,
    facts: makeCall(
      { kind: 'sdk', library: client.library, span: context.span(call) },
      {
        method: known('POST'),
        timeout,
        streaming,
        clientAttempts: retries === undefined ? unknown('client options not visible') : known(retries + 1),
        ...(retriesSlot ? { clientRetriesSlot: retriesSlot } : {}),
        ...(timeoutSlot ? { timeoutSlot } : {}),
        ...(client.construction ? { clientSpan: context.span(client.construction) } : {}),
        ...(client.builtAt ? { chain: [client.builtAt] } : {}),
      },
    ),
    generic: false,
  };
}

function maybeBoolean(value: boolean | undefined): Maybe<boolean> {
  return value === undefined ? unknown() : known(value);
}

/** A per-request option, else the client's, else the default; undefined when unknown. */
function layered(request: Options, client: Options | undefined, name: string, fallback: number): number | undefined {
  const perRequest = request.has(name) ? request.number(name, fallback) : undefined;
  if (perRequest) return perRequest.value;
  if (request.has(name) || !request.defaultsApply) return undefined;
  if (!client) return undefined;
  return client.number(name, fallback)?.value;
}

function sdkTimeout(request: Options, client: Options | undefined, context: ExtractionContext): Maybe<TimeoutFacts> {
  for (const options of [request, client]) {
    if (!options) return unknown('client options not visible');
    const value = options.value('timeout');
    if (value) {
      const node = stripCasts(value);
      if (node.type === 'Literal' && node.value === null) return known({ kind: 'disabled' });
      const ms = context.evaluate.number(value);
      if (ms === undefined) return unknown('computed timeout');
      return known(ms === 0 || ms === Infinity ? { kind: 'disabled' } : { kind: 'explicit', ms }, context.span(value));
    }
    // Options imported from another module hand out numbers only (read there, placed here).
    const imported = options.defaultsApply ? undefined : options.number('timeout', Number.NaN);
    if (imported && Number.isFinite(imported.value)) {
      const ms = imported.value;
      return known(ms === 0 ? { kind: 'disabled' } : { kind: 'explicit', ms }, imported.span);
    }
    if (!options.defaultsApply) return unknown();
  }
  return known({ kind: 'library-default', ms: AI_SDK_DEFAULT_TIMEOUT_MS });
}
