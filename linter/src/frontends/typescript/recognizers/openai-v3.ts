/**
 * The legacy openai v3 SDK: `new OpenAIApi(new Configuration({ apiKey }))` and
 * `openai.createChatCompletion(body, axiosOptions)`. It makes one attempt per call (no retries
 * of its own) through axios, whose default timeout is none: a call without `timeout` in its
 * axios options, or in the configuration's `baseOptions`, can wait forever.
 */
import { known, makeCall, unknown, type Maybe, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { instanceOrigin } from '../instances.js';
import { propertyName, stripCasts, type CallExpression, type Node } from '../syntax.js';
import type { RecognizedCall } from './call.js';

const METHODS = new Set([
  'createChatCompletion', 'createCompletion', 'createEmbedding', 'createEdit', 'createImage', 'createImageEdit',
  'createImageVariation', 'createModeration', 'createTranscription', 'createTranslation',
]);

/** The options of the `new Configuration({...})` an `OpenAIApi` is built with; undefined when not visible. */
function configurationOptions(api: Node, context: ExtractionContext): Options | undefined {
  if (api.type !== 'NewExpression' || !api.arguments[0]) return undefined;
  const origin = instanceOrigin(api.arguments[0], context);
  if (origin?.kind !== 'created' || origin.node.type !== 'NewExpression') return undefined;
  if (!refersTo(context.index.importRef(origin.node.callee), ['openai'], 'Configuration')) return undefined;
  return context.options(origin.node, 0);
}

function timeoutIn(options: Options, context: ExtractionContext): Maybe<TimeoutFacts> | undefined {
  const value = options.value('timeout');
  if (!value) return options.defaultsApply ? undefined : unknown('options built elsewhere');
  const ms = context.evaluate.number(value);
  if (ms === undefined) return unknown('computed timeout');
  return known(ms === 0 ? { kind: 'disabled' } : { kind: 'explicit', ms }, context.span(value));
}

export function recognizeOpenAiV3Call(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee.property, callee.computed);
  if (!method || !METHODS.has(method)) return undefined;
  const origin = instanceOrigin(callee.object, context);
  if (origin?.kind !== 'created' || origin.node.type !== 'NewExpression') return undefined;
  if (!refersTo(context.index.importRef(origin.node.callee), ['openai'], 'OpenAIApi')) return undefined;
  const configuration = configurationOptions(origin.node, context);
  const perRequest = timeoutIn(context.options(call, 1), context);
  const base = configuration ? timeoutIn(configuration.nested('baseOptions'), context) : unknown('configuration not visible');
  const timeout: Maybe<TimeoutFacts> = perRequest ?? base ?? known({ kind: 'missing' });
  const body = context.options(call, 0);
  const stream = body.boolean('stream', false);
  return {
    node: call,
    facts: makeCall(
      { kind: 'sdk', library: 'openai', span: context.span(call) },
      {
        method: known('POST'),
        timeout,
        streaming: stream ? known(stream.value) : unknown(),
        clientAttempts: known(1),
      },
    ),
    generic: false,
  };
}
