/**
 * Status tests: `res.status === 429`, `err.response?.status >= 500`, `status !== 503`,
 * `[429, 503].includes(res.status)`, `RETRYABLE.has(status)`. Which way a test leads
 * (retry or stop) is decided by the region that contains it.
 */
import type { ListItem, Span, StatusMatch } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { helperOf } from './helpers.js';
import { memberPath, propertyName, stripCasts, type Node } from './syntax.js';

export interface StatusTest {
  readonly node: Node;
  readonly matches: readonly StatusMatch[];
  /** The test is true for every status except the matches (`!==`). */
  readonly negated: boolean;
  /** A literal list the statuses come from, which a fix can edit. */
  readonly list?: { readonly span: Span; readonly items: readonly ListItem<number>[] };
}

const STATUS_NAMES = new Set(['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'code']);

/** `res.status`, `error.response?.status`, a variable named `status`. `code` only as a member of a response. */
export function isStatusExpression(expression: Node): boolean {
  const path = memberPath(expression);
  if (!path) return false;
  const last = path[path.length - 1];
  if (last === 'code') return path.length >= 2 && /^(response|res|resp)$/i.test(path[path.length - 2]);
  return STATUS_NAMES.has(last) && (path.length > 1 || last !== 'code');
}

export function statusTestAt(node: Node, context: ExtractionContext): StatusTest | undefined {
  return directStatusTest(node, context) ?? indirectStatusTest(node, context);
}

/**
 * A status test kept somewhere else: a flag (`const rateLimited = res.status === 429`,
 * `if (rateLimited)`) or a same-file predicate (`isRetryable(res.status)` whose body
 * returns `status === 429 || status >= 500`). The test is where the decision is made.
 */
function indirectStatusTest(node: Node, context: ExtractionContext): StatusTest | undefined {
  let source: Node | undefined;
  let sourceContext = context;
  if (node.type === 'Identifier') {
    const parent = context.index.parents.get(node);
    if (parent?.type === 'VariableDeclarator' && parent.id === node) return undefined;
    source = context.index.constantInit(node);
  } else if (node.type === 'CallExpression' && node.arguments.length > 0) {
    const helper = helperOf(node.callee, context);
    const body = helper && (helper.fn.body.type === 'BlockStatement' ? onlyReturned(helper.fn.body) : helper.fn.body);
    source = body ?? undefined;
    if (helper) sourceContext = helper.context;
  }
  if (!source) return undefined;
  const matches = anyOfStatusTests(source, sourceContext, 0);
  if (!matches || matches.length === 0) return undefined;
  // A helper's statuses are reported where it is called, in the retry.
  const span = node.type === 'CallExpression' ? context.span(node) : undefined;
  return { node, matches: span ? matches.map((match) => ({ ...match, span })) : matches, negated: false };
}

function onlyReturned(block: Node): Node | undefined {
  if (block.type !== 'BlockStatement' || block.body.length !== 1) return undefined;
  const statement = block.body[0];
  return statement?.type === 'ReturnStatement' && statement.argument ? statement.argument : undefined;
}

/** `a === 429 || b >= 500 || [502, 503].includes(s)`: the statuses any of them matches. */
function anyOfStatusTests(expression: Node, context: ExtractionContext, depth: number): StatusMatch[] | undefined {
  if (depth > 6) return undefined;
  const node = stripCasts(expression);
  if (node.type === 'LogicalExpression' && node.operator === '||') {
    const left = anyOfStatusTests(node.left, context, depth + 1);
    const right = left && anyOfStatusTests(node.right, context, depth + 1);
    return left && right ? [...left, ...right] : undefined;
  }
  const test = directStatusTest(node, context);
  return test && !test.negated ? [...test.matches] : undefined;
}

function directStatusTest(node: Node, context: ExtractionContext): StatusTest | undefined {
  if (node.type === 'BinaryExpression' && node.left.type !== 'PrivateIdentifier') {
    const leftIsStatus = isStatusExpression(node.left);
    const rightIsStatus = !leftIsStatus && isStatusExpression(node.right);
    if (!leftIsStatus && !rightIsStatus) return undefined;
    const other = leftIsStatus ? node.right : node.left;
    const value = context.evaluate.number(other);
    if (value === undefined || !Number.isInteger(value) || value < 100 || value > 599) return undefined;
    const operator = rightIsStatus ? flip(node.operator) : node.operator;
    const span = context.span(node);
    switch (operator) {
      case '===':
      case '==':
        return { node, matches: [{ min: value, max: value, span }], negated: false };
      case '!==':
      case '!=':
        return { node, matches: [{ min: value, max: value, span }], negated: true };
      case '>=':
        return { node, matches: [{ min: value, max: 599, span }], negated: false };
      case '>':
        return { node, matches: [{ min: value + 1, max: 599, span }], negated: false };
      default:
        return undefined;
    }
  }
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.arguments.length === 1) {
    const method = propertyName(node.callee.property, node.callee.computed);
    if ((method !== 'includes' && method !== 'has') || !isStatusExpression(node.arguments[0])) return undefined;
    const list = literalStatusList(node.callee.object, context);
    if (!list) return undefined;
    return {
      node,
      matches: list.items.map((item) => ({ min: item.value, max: item.value, span: item.span })),
      negated: false,
      list,
    };
  }
  return undefined;
}

function flip(operator: string): string {
  switch (operator) {
    case '>=': return '<=';
    case '<=': return '>=';
    case '>': return '<';
    case '<': return '>';
    default: return operator;
  }
}

/** `[429, 503]`, `new Set([429, 503])`, or a constant naming one. */
export function literalStatusList(
  expression: Node,
  context: ExtractionContext,
  depth = 0,
): { span: Span; items: ListItem<number>[] } | undefined {
  if (depth > 4) return undefined;
  const node = stripCasts(expression);
  if (node.type === 'Identifier') {
    const init = context.index.constantInit(node);
    return init ? literalStatusList(init, context, depth + 1) : undefined;
  }
  if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'Set' && node.arguments[0]) {
    return literalStatusList(node.arguments[0], context, depth + 1);
  }
  if (node.type !== 'ArrayExpression') return undefined;
  const items: ListItem<number>[] = [];
  for (const element of node.elements) {
    if (!element || element.type === 'SpreadElement') return undefined;
    const value = context.evaluate.number(element);
    if (value === undefined || !Number.isInteger(value)) return undefined;
    items.push({ value, span: context.span(element) });
  }
  return { span: context.span(node), items };
}
