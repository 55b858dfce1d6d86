/**
 * Streams re-run by a generic wrapper: `for await (const chunk of makeStream()) yield chunk`
 * inside a retry hands each chunk on as it arrives, so an attempt after a failure mid-stream
 * delivers the first chunks again, as an SDK stream retried mid-way does. A stream that is
 * collected first and handed on afterwards (`chunks.push(chunk)`) is safe to retry.
 */
import { known, makeCall, unknown, type CallFacts } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { recognizeCall } from './recognizers/calls.js';
import { isFunction, stripCasts, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

/** Library label in messages: what is re-run. */
const STREAM_LABEL = 'async iterator';

function yieldsEachChunk(body: Node): boolean {
  let found = false;
  walkWithinFunction(body, (node) => {
    if (found || isFunction(node)) return false;
    if (node.type === 'YieldExpression') found = true;
    return !found;
  });
  return found;
}

/** The call that makes the iterated stream: inline, or a constant of the region (`const stream = await open()`). */
function streamSource(expression: Node, region: Node, context: ExtractionContext): Node {
  let source = stripCasts(expression);
  if (source.type === 'Identifier') {
    const init = context.index.constantInit(source);
    if (init && region.range[0] <= init.range[0] && init.range[1] <= region.range[1]) source = stripCasts(init);
  }
  return source.type === 'AwaitExpression' ? stripCasts(source.argument) : source;
}

export function rerunStreamCalls(region: Node, context: ExtractionContext): CallFacts[] {
  const calls: CallFacts[] = [];
  walkWithinFunction(region, (node) => {
    if (node.type !== 'ForOfStatement' || !node.await) return true;
    const stream = streamSource(node.right, region, context);
    // Recognized SDK and HTTP calls carry their own stream facts.
    if (stream.type !== 'CallExpression' || recognizeCall(stream, context) || !yieldsEachChunk(node.body)) return true;
    calls.push(
      makeCall(
        { kind: 'http', library: STREAM_LABEL, span: context.span(stream) },
        { method: unknown(), timeout: unknown('a stream of the caller'), streaming: known(true), streamConsumedInRetry: known(true), clientAttempts: known(1) },
      ),
    );
    return true;
  });
  return calls;
}
