/**
 * Facts about the code one attempt runs (a loop body, a decorated function): the HTTP and
 * SDK calls it makes, whether a streamed response is consumed inside it, and where an
 * idempotency key comes from.
 */
import { known, unknown, type CallFacts, type Maybe } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { aiohttpCalls } from './aiohttp-calls.js';
import { aiSdkCalls } from './ai-sdk.js';
import { CallArguments } from './call-arguments.js';
import type { CallRecognizer } from './call-facts.js';
import { localFunction } from './client-origin.js';
import { httpxCalls } from './httpx-calls.js';
import { requestsCalls } from './requests-calls.js';
import { childByField, isInside, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

export const CALL_RECOGNIZERS: readonly CallRecognizer[] = [requestsCalls, httpxCalls, aiohttpCalls, aiSdkCalls];

export function recognizeCall(analysis: Analysis, call: PyNode): CallFacts | undefined {
  for (const recognizer of CALL_RECOGNIZERS) {
    const facts = recognizer.recognize(analysis, call);
    if (facts) return facts;
  }
  return undefined;
}

/** Calls directly in a region (not in nested functions). */
export function callsIn(node: PyNode): PyNode[] {
  const calls: PyNode[] = [];
  walk(node, (current) => {
    if (current !== node && SCOPE_TYPES.has(current.type)) return false;
    if (current.type === 'call') calls.push(current);
    return true;
  });
  return calls;
}

/** Module functions and methods called from a region, one level deep. */
export function localCallees(analysis: Analysis, region: PyNode): PyNode[] {
  const callees = new Set<PyNode>();
  for (const call of callsIn(region)) {
    const callee = childByField(call, 'function');
    const fn = callee ? localFunction(analysis, callee) : undefined;
    if (fn && !isInside(call, fn)) callees.add(fn);
  }
  return [...callees];
}

/** The HTTP/SDK calls one attempt makes, with stream and idempotency facts for this region. */
export function regionCalls(analysis: Analysis, region: PyNode, callees: readonly PyNode[] = []): CallFacts[] {
  const facts: CallFacts[] = [];
  for (const scope of [region, ...callees]) {
    for (const call of callsIn(scope)) {
      const base = recognizeCall(analysis, call);
      if (!base) continue;
      facts.push({
        ...base,
        streamConsumedInRetry: streamConsumed(analysis, call, base.streaming, scope),
        idempotencyKey: base.kind === 'http' ? idempotencyKey(analysis, call, region) : base.idempotencyKey,
      });
    }
  }
  return facts;
}

const ITERATION_METHODS = /^(a?iter_\w+|iter_lines|iter_content|text_stream|content|__aiter__|__iter__)$/;

function streamConsumed(analysis: Analysis, call: PyNode, streaming: Maybe<boolean>, scope: PyNode): Maybe<boolean> {
  if (streaming.kind !== 'known') return unknown('streaming unknown');
  if (!streaming.value) return known(false);
  const { file } = analysis;
  // The name the response is bound to: `x = call`, `with call as x`.
  let holder: PyNode = call;
  while (holder.parent && (holder.parent.type === 'await' || holder.parent.type === 'parenthesized_expression')) holder = holder.parent;
  const parent = holder.parent;
  let name: string | undefined;
  if (parent?.type === 'assignment' && childByField(parent, 'right') === holder) {
    const left = childByField(parent, 'left');
    if (left?.type === 'identifier') name = file.textOf(left);
  } else if (parent?.type === 'as_pattern') {
    const alias = childByField(parent, 'alias');
    if (alias) name = file.textOf(alias);
  }
  let consumingLoop: PyNode | undefined;
  walk(scope, (node) => {
    if (consumingLoop) return false;
    if (node !== scope && SCOPE_TYPES.has(node.type)) return false;
    if (node.type === 'for_statement') {
      const right = childByField(node, 'right');
      if (right && (isInside(call, right) || (name !== undefined && iteratesOver(analysis, right, name)))) consumingLoop = node;
    }
    return true;
  });
  if (!consumingLoop) return known(false);
  if (reconnectsAfterCompletion(consumingLoop, scope)) return known(false);
  return guardedByFirstChunk(analysis, consumingLoop, scope) ? known(false) : known(true);
}

/**
 * A loop that connects again after a stream it read to the end (a live feed consumer: nothing
 * returns or breaks out after the reading loop) re-reads new events, not the output it
 * already delivered.
 */
function reconnectsAfterCompletion(consumingLoop: PyNode, region: PyNode): boolean {
  if (region.parent?.type !== 'for_statement' && region.parent?.type !== 'while_statement') return false;
  for (let statement: PyNode = consumingLoop; statement !== region && statement.parent; statement = statement.parent) {
    const block = statement.parent;
    if (block.type !== 'block') continue;
    for (const later of namedChildren(block).filter((sibling) => sibling.start > statement.start)) {
      if (leavesRetryLoop(later)) return false;
    }
  }
  return true;
}

function leavesRetryLoop(statement: PyNode): boolean {
  let leaves = false;
  walk(statement, (node) => {
    if (leaves || (node !== statement && SCOPE_TYPES.has(node.type))) return false;
    if (node.type === 'return_statement' || (node.type === 'break_statement' && !breaksInnerLoop(node, statement))) leaves = true;
    return !leaves;
  });
  return leaves;
}

/** A `break` inside a loop nested in `statement` leaves that loop only. */
function breaksInnerLoop(breakNode: PyNode, statement: PyNode): boolean {
  for (let current = breakNode.parent; current; current = current.parent) {
    if (current.type === 'for_statement' || current.type === 'while_statement') return true;
    if (current === statement) return false;
  }
  return false;
}

function iteratesOver(analysis: Analysis, right: PyNode, name: string): boolean {
  const inner = unwrap(right);
  if (inner.type === 'identifier') return analysis.file.textOf(inner) === name;
  let target: PyNode | undefined = inner;
  if (target.type === 'call') target = childByField(target, 'function');
  if (target?.type === 'attribute') {
    const object = childByField(target, 'object');
    const attribute = childByField(target, 'attribute');
    return (
      object !== undefined &&
      attribute !== undefined &&
      analysis.file.textOf(object) === name &&
      ITERATION_METHODS.test(analysis.file.textOf(attribute))
    );
  }
  return false;
}

/**
 * A retry that stops once output was produced: an except handler tests a flag that the
 * consuming loop sets (`started = True`).
 */
function guardedByFirstChunk(analysis: Analysis, consumingLoop: PyNode, scope: PyNode): boolean {
  const flags = new Set<string>();
  const body = childByField(consumingLoop, 'body');
  if (!body) return false;
  walk(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = childByField(node, 'left');
      if (left?.type === 'identifier') flags.add(analysis.file.textOf(left));
    }
    return true;
  });
  let guarded = false;
  walk(scope, (node) => {
    if (guarded) return false;
    if (node.type === 'except_clause') {
      walk(node, (inner) => {
        if (inner.type === 'if_statement') {
          const condition = childByField(inner, 'condition');
          if (condition && mentionsAny(analysis, condition, flags)) guarded = true;
        }
        return !guarded;
      });
    }
    return true;
  });
  return guarded;
}

export function mentionsAny(analysis: Analysis, node: PyNode, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (current) => {
    if (found) return false;
    if (current.type === 'identifier' && names.has(analysis.file.textOf(current))) found = true;
    return true;
  });
  return found;
}

const KEY_GENERATORS = /(^|\.)(uuid[1-8]?|token_hex|token_urlsafe|urandom|randbits|time_ns)$/;

function idempotencyKey(analysis: Analysis, call: PyNode, region: PyNode): Maybe<'outside' | 'per-attempt' | 'none'> {
  const args = new CallArguments(analysis.file, call);
  const headers = args.keyword('headers');
  if (!headers) return args.mayHide('headers') ? unknown('**kwargs') : known('none');
  const dict = analysis.values.follow(headers);
  if (dict.type !== 'dictionary') return unknown('headers not a literal');
  for (const pair of namedChildren(dict)) {
    if (pair.type === 'dictionary_splat') return unknown('headers splat');
    if (pair.type !== 'pair') continue;
    const key = analysis.values.evaluate(childByField(pair, 'key'));
    if (typeof key !== 'string' || key.toLowerCase() !== 'idempotency-key') continue;
    const value = childByField(pair, 'value');
    if (!value) return unknown();
    return known(generatedInside(analysis, value, region) ? 'per-attempt' : 'outside', analysis.file.span(pair));
  }
  return known('none');
}

function generatedInside(analysis: Analysis, value: PyNode, region: PyNode): boolean {
  let generated = false;
  walk(value, (node) => {
    if (node.type === 'call') {
      const callee = childByField(node, 'function');
      const name = callee ? (analysis.file.qualify(callee) ?? analysis.file.textOf(callee)) : '';
      if (KEY_GENERATORS.test(name) && isInside(node, region)) generated = true;
    }
    if (node.type === 'identifier') {
      const definition = analysis.values.definitionOf(node);
      if (definition && isInside(definition, region) && generatedInside(analysis, definition, region)) generated = true;
    }
    return !generated;
  });
  return generated;
}
