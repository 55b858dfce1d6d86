/**
 * A catch that takes HTTP errors without looking at them. A status test on the responses a
 * retry gets back classifies those responses, not the errors its catch takes: when the try
 * block's client throws on error statuses (axios, got, ky, the SDKs) or the catch reads a
 * response off the error, every such error is retried unless the catch itself decides.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ExtractionContext } from './context.js';
import { recognizeCall } from './recognizers/calls.js';
import { statusTestAt } from './status-tests.js';
import { alwaysLeaves, isFunction, memberPath, stripCasts, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

/** Clients that answer every status with a response: only transport failures are thrown. */
const RESPONSE_ON_EVERY_STATUS = new Set(['fetch', 'undici']);
/** Options that stop a client from throwing on error statuses. */
const STATUS_THROW_SWITCHES = /\b(?:validateStatus|throwHttpErrors)\b/;
const ERROR_RESPONSE_FIELDS = new Set(['response', 'status', 'statusCode']);
const LOGGERS = new Set(['console', 'logger', 'log', 'debug']);

export function catchTakesHttpErrorsBlindly(statement: TSESTree.TryStatement, context: ExtractionContext): boolean {
  const handler = statement.handler;
  if (!handler) return false;
  const name = handler.param?.type === 'Identifier' ? handler.param.name : undefined;
  if (handler.param && !name) return false;
  if (name && decidesOnError(handler.body, name, context)) return false;
  return (name !== undefined && readsResponseOf(handler.body, name)) || throwsOnErrorStatus(statement.block, context);
}

/**
 * `try { response = await fetch(url); break; } catch { ... }` with `if (!response.ok) throw`
 * after it: the catch takes transport failures only (fetch answers every status with a
 * response), and the statuses are judged outside the retry.
 */
export function catchTakesTransportFailuresOnly(statement: TSESTree.TryStatement, fn: Node | undefined, context: ExtractionContext): boolean {
  const handler = statement.handler;
  const name = handler?.param?.type === 'Identifier' ? handler.param.name : undefined;
  if (!handler || !fn || (name && decidesOnError(handler.body, name, context))) return false;
  if (!statement.block.body.every((inner) => isTransportStep(inner, context))) return false;
  let judgedAfter = false;
  walkWithinFunction(fn, (node) => {
    if (judgedAfter) return false;
    if (node.range[0] > statement.range[1] && (statusTestAt(node, context) || isOkRead(node))) judgedAfter = true;
    return !judgedAfter;
  });
  return judgedAfter;
}

function isOkRead(node: Node): boolean {
  return node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'ok';
}

/** `response = await fetch(...)`, `const res = await fetch(...)`, `return await fetch(...)`, `break`. */
function isTransportStep(statement: Node, context: ExtractionContext): boolean {
  if (statement.type === 'BreakStatement' || statement.type === 'ContinueStatement') return true;
  const expression =
    statement.type === 'ExpressionStatement' ? statement.expression
    : statement.type === 'ReturnStatement' ? statement.argument
    : statement.type === 'VariableDeclaration' && statement.declarations.length === 1 ? statement.declarations[0]?.init
    : undefined;
  if (!expression) return false;
  let value = stripCasts(expression);
  if (value.type === 'AssignmentExpression' && value.operator === '=') value = stripCasts(value.right);
  if (value.type === 'AwaitExpression') value = stripCasts(value.argument);
  if (value.type !== 'CallExpression') return false;
  const call = recognizeCall(value, context);
  return call !== undefined && RESPONSE_ON_EVERY_STATUS.has(call.facts.library);
}

/**
 * `const text = String(error).toLowerCase(); if (text.includes('unauthorized')) throw error;`:
 * a test on the error, or on a value read from it, with an exit. Classification by message
 * text is classification.
 */
export function catchTestsError(param: Node | null, body: Node): boolean {
  const name = param?.type === 'Identifier' ? param.name : undefined;
  if (!name) return false;
  const names = errorAliases(body, name);
  let tests = false;
  walkWithinFunction(body, (node) => {
    if (tests || (isFunction(node) && node !== body)) return false;
    if (node.type === 'IfStatement' && [...names].some((alias) => mentions(node.test, alias)) && leaves(node)) tests = true;
    return !tests;
  });
  return tests;
}

/** The error's name and the constants the catch derives from it (`const message = String(error)`). */
function errorAliases(body: Node, name: string): Set<string> {
  const names = new Set([name]);
  walkWithinFunction(body, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && [...names].some((alias) => mentions(node.init!, alias))) {
      names.add(node.id.name);
    }
    return true;
  });
  return names;
}

/** The catch looks at the error: a test with an exit, a status test, or a helper that may re-throw it. */
function decidesOnError(body: Node, name: string, context: ExtractionContext): boolean {
  const names = errorAliases(body, name);
  let decides = false;
  walkWithinFunction(body, (node) => {
    if (decides) return false;
    if (isFunction(node)) return false;
    if (statusTestAt(node, context)) decides = true;
    if ((node.type === 'IfStatement' || node.type === 'ConditionalExpression') && [...names].some((alias) => mentions(node.test, alias)) && leaves(node)) decides = true;
    if (node.type === 'CallExpression' && node.arguments.some((argument) => handsOver(argument, name)) && !isLogging(node)) decides = true;
    return !decides;
  });
  return decides;
}

/**
 * `const ms = this.nextDelay(error); if (ms > 0) ...`: the caught error goes to a helper whose
 * answer the catch tests, so the helper classifies (out of this walk's sight).
 */
export function catchDefersToHelper(param: Node | null, body: Node): boolean {
  const name = param?.type === 'Identifier' ? param.name : undefined;
  if (!name) return false;
  const answers = new Set<string>();
  const deciders: Node[] = [];
  walkWithinFunction(body, (node) => {
    if (isFunction(node) && node !== body) return false;
    if (node.type === 'CallExpression' && node.arguments.some((argument) => handsOver(argument, name)) && !isLogging(node)) {
      deciders.push(node);
      const parent = declaratorOf(node, body);
      if (parent) answers.add(parent);
    }
    return true;
  });
  if (deciders.length === 0) return false;
  let tested = false;
  walkWithinFunction(body, (node) => {
    if (tested || (isFunction(node) && node !== body)) return false;
    if (node.type === 'IfStatement' && ([...answers].some((answer) => mentions(node.test, answer)) || deciders.some((call) => within(call, node.test)))) tested = true;
    return !tested;
  });
  return tested;
}

/** The name a call's (awaited) result is bound to: `const ms = f(error)`, `ms = await f(error)`. */
function declaratorOf(call: Node, scope: Node): string | undefined {
  let name: string | undefined;
  walkWithinFunction(scope, (node) => {
    if (name) return false;
    const bound = node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init ? [node.id.name, node.init] as const
      : node.type === 'AssignmentExpression' && node.left.type === 'Identifier' ? [node.left.name, node.right] as const : undefined;
    if (bound) {
      const value = stripCasts(bound[1]);
      if ((value.type === 'AwaitExpression' ? stripCasts(value.argument) : value) === call) name = bound[0];
    }
    return !name;
  });
  return name;
}

function within(node: Node, outer: Node): boolean {
  return outer.range[0] <= node.range[0] && node.range[1] <= outer.range[1];
}

/** `check(error)`, `check({ error, attempt })`: the error itself goes to a helper (not a value read off it). */
function handsOver(argument: Node, name: string): boolean {
  const value = stripCasts(argument);
  if (value.type === 'Identifier') return value.name === name;
  if (value.type === 'ObjectExpression') {
    return value.properties.some((property) => property.type === 'Property' ? handsOver(property.value, name) : handsOver(property.argument, name));
  }
  return false;
}

function leaves(node: TSESTree.IfStatement | TSESTree.ConditionalExpression): boolean {
  if (node.type === 'ConditionalExpression') return false;
  return alwaysLeaves(node.consequent) || alwaysLeaves(node.alternate);
}

function isLogging(call: TSESTree.CallExpression): boolean {
  const path = memberPath(call.callee);
  return path !== undefined && LOGGERS.has(path[0] ?? '') && path.length <= 2;
}

/** `error.response.headers`, `error.status`: the caught errors carry HTTP responses. */
function readsResponseOf(body: Node, name: string): boolean {
  let reads = false;
  walkWithinFunction(body, (node) => {
    if (reads) return false;
    if (node.type === 'MemberExpression' && !node.computed) {
      const object = stripCasts(node.object);
      if (object.type === 'Identifier' && object.name === name && node.property.type === 'Identifier' && ERROR_RESPONSE_FIELDS.has(node.property.name)) {
        reads = true;
      }
    }
    return !reads;
  });
  return reads;
}

/** Whether a client rejects on error statuses (axios, got, ky, the SDKs), not only on transport failures (fetch). */
export function rejectsOnErrorStatus(library: string, context: ExtractionContext): boolean {
  return !RESPONSE_ON_EVERY_STATUS.has(library) && !STATUS_THROW_SWITCHES.test(context.text);
}

/** The try block calls a client that throws on error statuses, with nothing switching that off. */
function throwsOnErrorStatus(block: Node, context: ExtractionContext): boolean {
  let throws = false;
  walkWithinFunction(block, (node) => {
    if (throws || isFunction(node)) return false;
    if (node.type !== 'CallExpression') return true;
    const call = recognizeCall(node, context);
    if (call && rejectsOnErrorStatus(call.facts.library, context)) throws = true;
    return !throws;
  });
  return throws;
}

export function mentions(expression: Node, name: string): boolean {
  let found = false;
  walkWithinFunction(expression, (node) => {
    if (node.type === 'Identifier' && node.name === name) found = true;
    return !found;
  });
  return found;
}
