/**
 * Retry-After reads: `headers.get('retry-after')`, `headers['retry-after']`, the
 * `retry-after-ms` extension of the AI APIs and `x-ratelimit-reset*`. How the value is
 * parsed tells which forms work: parseInt/Number/parseFloat read seconds only, Date.parse /
 * new Date read the HTTP-date form.
 */
import type { ExtractionContext } from './context.js';
import { memberPath, propertyName, stripCasts, type Node } from './syntax.js';

export type HeaderName = 'retry-after' | 'retry-after-ms' | 'x-ratelimit-reset';

export interface HeaderRead {
  readonly node: Node;
  readonly header: HeaderName;
}

function headerNameOf(value: string | undefined): HeaderName | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'retry-after' || lower === 'retry-after-ms') return lower;
  if (lower.startsWith('x-ratelimit-reset')) return 'x-ratelimit-reset';
  return undefined;
}

/** A header name may be a literal or a constant (`headers.get(RETRY_AFTER_HEADER)`). */
export function headerReadAt(node: Node, context: ExtractionContext): HeaderRead | undefined {
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
    const method = propertyName(node.callee.property, node.callee.computed);
    if (method !== 'get') return undefined;
    const header = headerNameOf(context.string(node.arguments[0]));
    return header ? { node, header } : undefined;
  }
  if (node.type === 'MemberExpression' && node.computed) {
    const header = headerNameOf(context.string(node.property));
    return header ? { node, header } : undefined;
  }
  return undefined;
}

export type ParseForm = 'seconds' | 'date';

/** How an expression that contains a header value parses it (the call around the value). */
export function parseFormOf(node: Node): ParseForm | undefined {
  const current = stripCasts(node);
  if (current.type === 'CallExpression') {
    const path = memberPath(current.callee)?.join('.');
    if (path === 'parseInt' || path === 'parseFloat' || path === 'Number' || path === 'Number.parseInt' || path === 'Number.parseFloat') {
      return 'seconds';
    }
    if (path === 'Date.parse') return 'date';
  }
  if (current.type === 'NewExpression' && current.callee.type === 'Identifier' && current.callee.name === 'Date') return 'date';
  if (current.type === 'UnaryExpression' && current.operator === '+') return 'seconds';
  return undefined;
}
