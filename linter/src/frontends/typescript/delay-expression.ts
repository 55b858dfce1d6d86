/**
 * Reads the shape of a hand-written delay expression: constant, linear in the attempt
 * counter, exponential (`base * 2 ** attempt`, `Math.pow`, `<<`, a variable multiplied
 * each round), with its cap (`Math.min`) and jitter (`Math.random`).
 */
import { known, unknown, type DelayFacts, type JitterKind, type Span } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { helperOf } from './helpers.js';
import type { TSESTree } from '@typescript-eslint/types';
import { headerReadAt } from './retry-after.js';
import { memberPath, stripCasts, type FunctionNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

/** The attempt counter of the loop or recursion, and its value at the first retry's sleep. */
export interface Counter {
  readonly name: string;
  readonly firstValue: number;
}

type Shape =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'counter' }
  | { readonly kind: 'exponential'; readonly base: number; readonly factor: number }
  | { readonly kind: 'linear'; readonly step: number; readonly offset: number }
  | { readonly kind: 'random' }
  /** A number this file cannot evaluate but that is the same every attempt (`this.baseDelayMs`, a parameter). */
  | { readonly kind: 'value' }
  | { readonly kind: 'unknown' };

interface Analysis {
  readonly shape: Shape;
  readonly cap?: number;
  readonly jitter: JitterKind | 'unknown';
}

const UNKNOWN: Analysis = { shape: { kind: 'unknown' }, jitter: 'unknown' };

export interface DelayReading {
  readonly facts: Partial<DelayFacts>;
  /** Identifiers the delay was computed from (for Retry-After flow). */
  readonly expression: Node;
}

/**
 * The delay facts of a wait's duration expression. `scale` converts the expression's
 * unit to ms. `growing` lists variables multiplied each round (`delay *= 2`).
 */
export function readDelay(
  argument: Node,
  scale: number,
  context: ExtractionContext,
  counter: Counter | undefined,
  growing: ReadonlyMap<string, number>,
  region: Node,
): Partial<DelayFacts> {
  const { node: expression, analysis } = analyseTop(argument, context, counter, growing, region);
  const shape = analysis.shape;
  const jitter = analysis.jitter === 'unknown' ? unknown('jitter unclear') : known(analysis.jitter);
  const span = context.span(argument);
  const capMs = analysis.cap !== undefined ? known(analysis.cap * scale) : undefined;
  const lever: { expression?: Span } = scale === 1 ? { expression: context.span(expression) } : {};
  switch (shape.kind) {
    case 'constant':
      if (!Number.isFinite(shape.value)) return { strategy: unknown('delay not visible'), baseMs: unknown(), capMs: capMs ?? unknown(), jitter, span };
      return { strategy: known(shape.value <= 0 ? 'none' : 'constant'), baseMs: known(shape.value * scale), capMs: capMs ?? known(shape.value * scale), jitter, span, ...lever };
    case 'exponential': {
      const first = shape.base * shape.factor ** (counter?.firstValue ?? 0);
      return {
        strategy: known('exponential'),
        baseMs: Number.isFinite(first) ? known(first * scale) : unknown('base delay not visible'),
        factor: known(shape.factor),
        capMs: capMs ?? known('none'),
        jitter,
        span,
        ...lever,
      };
    }
    case 'linear': {
      const first = shape.offset + shape.step * (counter?.firstValue ?? 0);
      if (!Number.isFinite(first) || !Number.isFinite(shape.step)) return { strategy: unknown('step not visible'), baseMs: unknown(), capMs: capMs ?? unknown(), jitter, span };
      return {
        strategy: known(shape.step === 0 ? 'constant' : 'linear'),
        baseMs: known(first * scale),
        stepMs: known(shape.step * scale),
        capMs: capMs ?? known('none'),
        jitter,
        span,
        ...lever,
      };
    }
    default:
      return { strategy: unknown('delay expression not understood'), baseMs: unknown(), capMs: capMs ?? unknown(), jitter, span, ...(analysis.cap !== undefined ? lever : {}) };
  }
}

/** Follows the argument to the expression that computes it (`await sleep(delay)` -> `const delay = ...`). */
function analyseTop(
  argument: Node,
  context: ExtractionContext,
  counter: Counter | undefined,
  growing: ReadonlyMap<string, number>,
  region: Node,
): { node: Node; analysis: Analysis } {
  let node = stripCasts(argument);
  for (let hops = 0; hops < 4 && node.type === 'Identifier' && !growing.has(node.name) && node.name !== counter?.name; hops++) {
    const init = context.index.constantInit(node);
    if (!init || !within(init, region)) break;
    node = stripCasts(init);
  }
  return { node, analysis: analyse(node, context, counter, growing, region, 0) };
}

function within(node: Node, region: Node): boolean {
  return region.range[0] <= node.range[0] && node.range[1] <= region.range[1];
}

function analyse(
  expression: Node,
  context: ExtractionContext,
  counter: Counter | undefined,
  growing: ReadonlyMap<string, number>,
  region: Node,
  depth: number,
): Analysis {
  if (depth > 10) return UNKNOWN;
  const node = stripCasts(expression);
  const recurse = (inner: Node): Analysis => analyse(inner, context, counter, growing, region, depth + 1);
  if (node.type === 'Identifier') {
    if (node.name === counter?.name) return { shape: { kind: 'counter' }, jitter: 'none' };
    const factor = growing.get(node.name);
    if (factor !== undefined) {
      const initial = context.evaluate.number(initialValue(node.name, node, context));
      // Exponential shapes are read as base * factor ** counter; a growing variable holds `initial`
      // at the first retry whatever the counter's first value (`retries` counting down from 5).
      const base = initial === undefined ? undefined : initial / factor ** (counter?.firstValue ?? 0);
      return base === undefined ? UNKNOWN : { shape: { kind: 'exponential', base, factor }, jitter: 'none' };
    }
    const init = context.index.constantInit(node);
    if (init && within(init, region)) return recurse(init);
    const assigned = branchAssignments(node, region, context);
    if (assigned) return either(assigned.map(recurse));
  }
  if (node.type === 'ConditionalExpression') {
    // `retryAfter ? parseInt(retryAfter, 10) : base * 2 ** attempt`: the server's wait is judged by
    // respect-retry-after; the backoff is the other branch.
    const branches = [node.consequent, node.alternate].filter((branch) => !readsRetryAfter(branch, region, context, 0));
    return either((branches.length > 0 ? branches : [node.consequent, node.alternate]).map(recurse));
  }
  // The counter and growing variables vary per attempt: never fold them to their defaults.
  const value = mentionsAny(node, counter, growing) ? undefined : context.evaluate.number(node);
  if (value !== undefined) return { shape: { kind: 'constant', value }, jitter: 'none' };
  if (node.type === 'CallExpression') {
    const path = memberPath(node.callee)?.join('.');
    if (path === 'Math.random' && node.arguments.length === 0) return { shape: { kind: 'random' }, jitter: 'full' };
    if ((path === 'Math.floor' || path === 'Math.round' || path === 'Math.ceil' || path === 'Math.trunc') && node.arguments[0]) {
      return recurse(node.arguments[0]);
    }
    if (path === 'Math.min' && node.arguments.length === 2) {
      const [a, b] = node.arguments;
      const capOf = (candidate: Node): number | undefined => context.evaluate.number(candidate);
      const capB = capOf(b);
      const capA = capOf(a);
      if (capB !== undefined) return withCap(recurse(a), capB);
      if (capA !== undefined) return withCap(recurse(b), capA);
      return UNKNOWN;
    }
    if (path === 'Math.pow' && node.arguments.length === 2) {
      const factor = context.evaluate.number(node.arguments[0]);
      const exponent = recurse(node.arguments[1]);
      return factor !== undefined ? power(factor, exponent) : UNKNOWN;
    }
    return depth < HELPER_DEPTH ? helperDelay(node, context, counter, depth) : UNKNOWN;
  }
  if (node.type === 'BinaryExpression' && node.left.type !== 'PrivateIdentifier') {
    const left = recurse(node.left);
    const right = recurse(node.right);
    switch (node.operator) {
      case '**': {
        const factor = left.shape.kind === 'constant' ? left.shape.value : undefined;
        return factor !== undefined ? power(factor, right) : UNKNOWN;
      }
      case '<<':
        return left.shape.kind === 'constant' ? scaleBy(power(2, right), left.shape.value) : UNKNOWN;
      case '*':
        return multiply(left, right);
      case '+':
        return add(left, right);
      case '-':
        return right.shape.kind === 'constant' ? add(left, { shape: { kind: 'constant', value: -right.shape.value }, jitter: 'none' }) : UNKNOWN;
      case '/':
        return right.shape.kind === 'constant' && right.shape.value !== 0 ? scaleBy(left, 1 / right.shape.value) : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }
  if (isSettledValue(node, context)) return { shape: { kind: 'value' }, jitter: 'none' };
  return UNKNOWN;
}

/**
 * `this.initialDelayMs`, `options.baseDelay`, a parameter: set before the retry starts and the
 * same for every attempt, so it scales the delay without spreading it. Values computed in this
 * file (which may be random) are read through their declarations instead.
 */
function isSettledValue(node: Node, context: ExtractionContext): boolean {
  const path = memberPath(node);
  if (!path || node.type === 'CallExpression') return false;
  if (path[0] === 'this') return path.length === 2 && !/random|jitter/i.test(path[1]);
  const declaration = context.index.lookup(path[0], node);
  return declaration?.kind === 'parameter' && !/random|jitter/i.test(path.join('.'));
}

/** Same-file helpers are followed this deep (`calculateDelay(attempt)` -> `backoff(attempt)`). */
const HELPER_DEPTH = 3;

/**
 * `calculateDelay(attempt)`: a same-file function (or method) whose body returns one
 * expression, read with the counter passed in as its parameter.
 */
function helperDelay(call: TSESTree.CallExpression, context: ExtractionContext, counter: Counter | undefined, depth: number): Analysis {
  const found = helperOf(call.callee, context);
  if (!found) return UNKNOWN;
  const helper = found.fn;
  const returned = singleReturn(helper);
  if (!returned) return UNKNOWN;
  let inner: Counter | undefined;
  for (const [index, argument] of call.arguments.entries()) {
    const value = stripCasts(argument);
    const param = helper.params[index];
    const name = param?.type === 'Identifier' ? param.name : param?.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
    if (!name) continue;
    if (value.type === 'Identifier' && value.name === counter?.name) inner = { name, firstValue: counter.firstValue };
    else if (mentionsAny(value, counter, new Map())) return UNKNOWN;
  }
  return analyse(returned, found.context, inner, new Map(), helper, depth + HELPER_DEPTH - 1);
}

/** The expression a function returns, when its body is that expression or ends in its only return. */
export function singleReturn(fn: FunctionNode): Node | undefined {
  if (fn.body.type !== 'BlockStatement') return fn.body;
  let returns = 0;
  walkWithinFunction(fn.body, (node) => {
    if (node.type === 'ReturnStatement') returns++;
    return returns < 2;
  });
  const last = fn.body.body[fn.body.body.length - 1];
  return returns === 1 && last?.type === 'ReturnStatement' && last.argument ? last.argument : undefined;
}

/**
 * `let delay; if (rateLimited) delay = 5000; else delay = 1000 * 2 ** attempt`: the values a
 * `let` declared in the region receives, when every one is a plain assignment in the region.
 */
function branchAssignments(identifier: TSESTree.Identifier, region: Node, context: ExtractionContext): Node[] | undefined {
  const declaration = context.index.lookup(identifier.name, identifier);
  if (declaration?.kind !== 'variable' || declaration.constant || !within(declaration.declarator, region)) return undefined;
  const values: Node[] = declaration.init ? [declaration.init] : [];
  let plain = true;
  walkWithinFunction(region, (node) => {
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.left.name === identifier.name) {
      if (node.operator === '=') values.push(node.right);
      else plain = false;
    }
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier' && node.argument.name === identifier.name) plain = false;
    return plain;
  });
  return plain && values.length > 0 && values.length <= 4 ? values : undefined;
}

/**
 * A delay that is one of several values: all constants give the largest; one growing shape
 * among constants is that shape (the backoff; the constants are its special cases);
 * anything else is unknown.
 */
function either(options: readonly Analysis[]): Analysis {
  if (options.some((option) => option.shape.kind === 'unknown' || option.jitter === 'unknown')) return UNKNOWN;
  const constants = options.filter((option) => option.shape.kind === 'constant');
  const others = options.filter((option) => option.shape.kind !== 'constant');
  if (others.length === 0) {
    const largest = constants.reduce((a, b) => ((a.shape as { value: number }).value >= (b.shape as { value: number }).value ? a : b));
    return constants.every((option) => option.jitter === 'none') ? largest : { ...largest, jitter: 'unknown' };
  }
  if (others.length === 1 && constants.every((option) => option.jitter === 'none')) return others[0];
  return UNKNOWN;
}

/** Whether an expression holds a Retry-After value read in the region (directly or through its constants). */
function readsRetryAfter(expression: Node, region: Node, context: ExtractionContext, depth: number): boolean {
  let found = false;
  walkWithinFunction(expression, (node) => {
    if (headerReadAt(node, context)) found = true;
    else if (node.type === 'Identifier' && depth < 3) {
      const init = context.index.constantInit(node);
      if (init && init !== expression && within(init, region) && readsRetryAfter(init, region, context, depth + 1)) found = true;
    }
    return !found;
  });
  return found;
}

function mentionsAny(expression: Node, counter: Counter | undefined, growing: ReadonlyMap<string, number>): boolean {
  let found = false;
  walkWithinFunction(expression, (node) => {
    if (node.type === 'Identifier' && (node.name === counter?.name || growing.has(node.name))) found = true;
    return !found;
  });
  return found;
}

function withCap(inner: Analysis, cap: number): Analysis {
  return { ...inner, cap: inner.cap === undefined ? cap : Math.min(inner.cap, cap) };
}

/** factor ** exponent where the exponent is the counter (or counter + k). */
function power(factor: number, exponent: Analysis): Analysis {
  const shape = exponent.shape;
  if (shape.kind === 'counter') return { shape: { kind: 'exponential', base: 1, factor }, jitter: exponent.jitter };
  if (shape.kind === 'linear' && shape.step === 1) {
    return { shape: { kind: 'exponential', base: factor ** shape.offset, factor }, jitter: exponent.jitter };
  }
  if (shape.kind === 'constant') return { shape: { kind: 'constant', value: factor ** shape.value }, jitter: 'none' };
  return UNKNOWN;
}

function scaleBy(analysis: Analysis, by: number): Analysis {
  const shape = analysis.shape;
  const cap = analysis.cap === undefined ? undefined : analysis.cap * by;
  const withShape = (next: Shape): Analysis => ({ shape: next, jitter: analysis.jitter, ...(cap !== undefined ? { cap } : {}) });
  switch (shape.kind) {
    case 'constant':
      return withShape({ kind: 'constant', value: shape.value * by });
    case 'counter':
      return withShape({ kind: 'linear', step: by, offset: 0 });
    case 'exponential':
      return withShape({ kind: 'exponential', base: shape.base * by, factor: shape.factor });
    case 'linear':
      return withShape({ kind: 'linear', step: shape.step * by, offset: shape.offset * by });
    default:
      return analysis;
  }
}

function multiply(left: Analysis, right: Analysis): Analysis {
  if (left.shape.kind === 'random') return jittered(right, 'full');
  if (right.shape.kind === 'random') return jittered(left, 'full');
  // `this.baseDelayMs * 2 ** attempt`: the growth and the jitter are known, the base is not (NaN).
  const settled = left.shape.kind === 'value' ? left : right.shape.kind === 'value' ? right : undefined;
  if (settled) {
    const other = settled === left ? right : left;
    const jitter = productJitter(settled.jitter, other.jitter);
    if (other.shape.kind === 'value' || other.shape.kind === 'constant') return { ...settled, jitter };
    return { ...scaleBy(other, Number.NaN), jitter };
  }
  const constant = left.shape.kind === 'constant' ? left : right.shape.kind === 'constant' ? right : undefined;
  const other = constant === left ? right : left;
  if (!constant || constant.shape.kind !== 'constant') return UNKNOWN;
  return { ...scaleBy(other, constant.shape.value), jitter: productJitter(constant.jitter, other.jitter) };
}

/** Jitter of `constant * other`: a random factor around 1 (`0.8 + random() * 0.4`) is proportional. */
function productJitter(constant: JitterKind | 'unknown', other: JitterKind | 'unknown'): JitterKind | 'unknown' {
  if (constant === 'unknown' || other === 'unknown') return 'unknown';
  if (constant === 'none') return other;
  if (constant === 'additive' || constant === 'proportional') return 'proportional';
  return constant;
}

function jittered(analysis: Analysis, kind: JitterKind): Analysis {
  if (analysis.jitter === 'unknown') return analysis;
  return { ...analysis, jitter: kind };
}

function add(left: Analysis, right: Analysis): Analysis {
  const randomPart = (side: Analysis): boolean => side.shape.kind === 'random' || (side.jitter === 'full' && side.shape.kind === 'constant');
  if (randomPart(right)) return left.jitter === 'unknown' ? left : { ...jittered(left, 'additive'), shape: left.shape };
  if (randomPart(left)) return right.jitter === 'unknown' ? right : { ...jittered(right, 'additive'), shape: right.shape };
  // base/2 + random() * base/2 style: equal jitter.
  if (left.shape.kind === right.shape.kind && left.shape.kind === 'exponential' && (left.jitter === 'full' || right.jitter === 'full')) {
    return { shape: { kind: 'exponential', base: left.shape.base + (right.shape as { base: number }).base, factor: left.shape.factor }, jitter: 'equal' };
  }
  if (left.shape.kind === 'constant' && right.shape.kind === 'constant') {
    const jitter = left.jitter === 'none' && right.jitter === 'none' ? 'none' : left.jitter === 'unknown' || right.jitter === 'unknown' ? 'unknown' : 'additive';
    return { shape: { kind: 'constant', value: left.shape.value + right.shape.value }, jitter };
  }
  const linearPlus = (linear: Analysis, constant: Analysis): Analysis | undefined => {
    if (constant.shape.kind !== 'constant') return undefined;
    if (linear.shape.kind === 'counter') return { shape: { kind: 'linear', step: 1, offset: constant.shape.value }, jitter: linear.jitter };
    if (linear.shape.kind === 'linear') return { ...linear, shape: { kind: 'linear', step: linear.shape.step, offset: linear.shape.offset + constant.shape.value } };
    return undefined;
  };
  return linearPlus(left, right) ?? linearPlus(right, left) ?? UNKNOWN;
}

/** Where a growing name starts: a variable's initializer, or a parameter's default (`delay = 1000`). */
function initialValue(name: string, node: Node, context: ExtractionContext): Node | undefined {
  const declaration = context.index.lookup(name, node);
  if (declaration?.kind === 'variable') return declaration.init ?? undefined;
  if (declaration?.kind === 'parameter') {
    const param = declaration.fn.params[declaration.index];
    return param?.type === 'AssignmentPattern' ? param.right : undefined;
  }
  return undefined;
}
