/**
 * The Vercel AI SDK (`ai`): `generateText`, `streamText`, `generateObject`, `streamObject`,
 * `embed` and `embedMany` retry by themselves, `maxRetries` times (default 2, so 3 attempts),
 * with exponential backoff from 2 s. Each call is a retry site (its attempts are judged like an
 * SDK client's) and a remote call (a loop around it multiplies the attempts). The delay, the
 * statuses and Retry-After handling changed between major versions and cannot be set, so they are
 * left unknown; a timeout is known only from an `abortSignal: AbortSignal.timeout(ms)`.
 */
import { known, makeCall, makeSite, unknown, type Maybe, type RetrySite, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { memberPath, stripCasts, type CallExpression } from '../syntax.js';
import type { RecognizedCall } from './call.js';
import { attemptsFromRetries } from './retry-count.js';

export const VERCEL_AI_DEFAULT_RETRIES = 2;
const MODULES = ['ai'];
const RETRYING_FUNCTIONS = ['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany'];

function aiFunctionOf(call: CallExpression, context: ExtractionContext): string | undefined {
  const ref = context.index.importRef(call.callee);
  return RETRYING_FUNCTIONS.find((name) => refersTo(ref, MODULES, name));
}

/** `abortSignal: AbortSignal.timeout(30_000)`; any other signal may or may not time out. */
function timeoutOf(options: Options, context: ExtractionContext): Maybe<TimeoutFacts> {
  const signal = options.value('abortSignal');
  if (!signal) return unknown('no abortSignal: the provider fetch decides');
  const node = stripCasts(signal);
  if (node.type !== 'CallExpression' || memberPath(node.callee)?.join('.') !== 'AbortSignal.timeout' || !node.arguments[0]) return unknown('abortSignal built elsewhere');
  const ms = context.evaluate.number(node.arguments[0]);
  return ms === undefined ? unknown('computed timeout') : known({ kind: 'explicit', ms }, context.span(node));
}

export function recognizeVercelAiCall(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const name = aiFunctionOf(call, context);
  if (!name) return undefined;
  const options = context.options(call, 0);
  const attempts = attemptsFromRetries(options, 'maxRetries', VERCEL_AI_DEFAULT_RETRIES);
  const slot = options.slot('maxRetries', 'retries');
  return {
    node: call,
    facts: makeCall(
      { kind: 'sdk', library: 'ai', span: context.span(call) },
      {
        method: known('POST'),
        timeout: timeoutOf(options, context),
        streaming: known(name.startsWith('stream')),
        clientAttempts: attempts ? known(attempts.value) : unknown('options not visible'),
        ...(slot ? { clientRetriesSlot: slot } : {}),
      },
    ),
    generic: false,
  };
}

/** The call as a retry site of its own: how many attempts it makes. */
export function recognizeVercelAiRetry(call: CallExpression, context: ExtractionContext): RetrySite | undefined {
  if (!aiFunctionOf(call, context)) return undefined;
  const options = context.options(call, 0);
  const attempts = attemptsFromRetries(options, 'maxRetries', VERCEL_AI_DEFAULT_RETRIES);
  const slot = options.slot('maxRetries', 'retries');
  return makeSite(context.identity('client', 'ai', call), {
    isAsync: known(true),
    attempts: {
      max: attempts ? known(attempts.value, attempts.span) : unknown('maxRetries not visible'),
      ...(slot ? { slot } : {}),
    },
  });
}
