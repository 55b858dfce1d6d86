/**
 * Whether a hand-written loop or recursion retries a remote operation. A loop that repeats a
 * local step after a failure (walking up a directory tree, re-running a generic callback) is
 * not what the rules judge: without evidence of a remote call it yields no site.
 */
import type { ExtractionContext } from './context.js';
import { recognizeCall } from './recognizers/calls.js';
import type { RegionFacts } from './region.js';
import { memberPath } from './syntax.js';
import { walk } from './walk.js';

/** `openai.chat.completions.create(...)` on a client this file cannot resolve still calls an AI API. */
const SDK_METHOD = /(^|\.)(chat\.completions|completions|messages|responses|embeddings|images|moderations|audio\.\w+)\.(create|stream|parse|generate|edit)$/;

export function retriesRemoteOperation(region: RegionFacts, context: ExtractionContext): boolean {
  return (
    region.calls.length > 0 ||
    region.waits.length > 0 ||
    region.opaqueWaits ||
    region.testsStatus ||
    region.headerReads.length > 0 ||
    region.testsNetworkError ||
    callsRemoteAnywhere(region, context)
  );
}

/** A remote call inside a callback of the region (`pRetry(() => fetch(url))`), or an SDK-shaped call. */
function callsRemoteAnywhere(region: RegionFacts, context: ExtractionContext): boolean {
  let found = false;
  walk(region.root, (node) => {
    if (found || node.type !== 'CallExpression') return;
    const path = memberPath(node.callee)?.join('.');
    if ((path && SDK_METHOD.test(path)) || recognizeCall(node, context)) found = true;
  });
  return found;
}
