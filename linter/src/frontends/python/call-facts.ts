/**
 * Shared pieces of the HTTP/SDK call recognizers: the recognizer shape, timeout values
 * and the HTTP method.
 */
import { known, unknown, type CallFacts, type Maybe, type TimeoutFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import type { CallArguments } from './call-arguments.js';
import { childByField, type PyNode } from './syntax-tree.js';
import type { PyValue } from './values.js';

export interface CallRecognizer {
  readonly library: string;
  /** Facts about the call when it is one of this library's requests; undefined otherwise. */
  recognize(analysis: Analysis, call: PyNode): CallFacts | undefined;
}

export const HTTP_VERBS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** The method name a call's callee ends with (`session.post` -> `post`). */
export function calleeMethod(analysis: Analysis, call: PyNode): { name: string; object?: PyNode } | undefined {
  const callee = childByField(call, 'function');
  if (callee?.type !== 'attribute') return undefined;
  const attribute = childByField(callee, 'attribute');
  const object = childByField(callee, 'object');
  return attribute ? { name: analysis.file.textOf(attribute), ...(object ? { object } : {}) } : undefined;
}

export function httpMethod(analysis: Analysis, verb: string, args: CallArguments): Maybe<string> {
  if (HTTP_VERBS.has(verb)) return known(verb.toUpperCase());
  if (verb === 'request' || verb === 'stream') {
    const method = analysis.values.evaluate(args.get('method', 0));
    return typeof method === 'string' ? known(method.toUpperCase()) : unknown('method not constant');
  }
  return unknown();
}

/** A plain timeout in seconds (number, None, `(connect, read)`) as TimeoutFacts. */
export function secondsTimeout(value: PyValue | undefined): TimeoutFacts | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { kind: 'disabled' };
  if (typeof value === 'number') return { kind: 'explicit', ms: value * 1000 };
  if (Array.isArray(value)) {
    if (value.some((part) => part === null)) return { kind: 'disabled' };
    const numbers = value.filter((part): part is number => typeof part === 'number');
    if (numbers.length === value.length && numbers.length > 0) return { kind: 'explicit', ms: Math.max(...numbers) * 1000 };
  }
  return undefined;
}

export function maybeTimeout(timeout: TimeoutFacts | undefined, why: string): Maybe<TimeoutFacts> {
  return timeout ? known(timeout) : unknown(why);
}

/** The `stream=True` keyword: known false when absent and nothing can hide it. */
export function streamKeyword(analysis: Analysis, args: CallArguments, name = 'stream'): Maybe<boolean> {
  const node = args.keyword(name);
  if (!node) return args.mayHide(name) ? unknown('**kwargs') : known(false);
  const value = analysis.values.evaluate(node);
  return typeof value === 'boolean' ? known(value, analysis.file.span(node)) : unknown('stream not constant');
}
