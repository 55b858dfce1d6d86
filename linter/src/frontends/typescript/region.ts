/**
 * Facts of a retried region: the code that runs again on the next attempt (a loop body, the
 * function a wrapper retries). One walk collects the calls, waits, status and error tests,
 * Retry-After reads, abort handling and stream consumption; the recognizers turn them into
 * RetrySite facts.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { known, unknown, type CallFacts, type ListItem, type Maybe, type Span, type StatusMatch } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { patternNames } from './file-index.js';
import { isNetworkErrorCode, isNetworkErrorGuard, isNetworkErrorName } from './network-errors.js';
import { decidingIf, onlyAuthStatuses, renewsCredentials } from './reauth.js';
import { recognizeCall } from './recognizers/calls.js';
import type { RecognizedCall } from './recognizers/call.js';
import { headerReadAt, parseFormOf, type HeaderRead, type ParseForm } from './retry-after.js';
import { waitAt, type Wait } from './sleeps.js';
import { isStatusExpression, statusTestAt, type StatusTest } from './status-tests.js';
import { isFunction, memberPath, propertyName, stringValue, stripCasts, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

export type Effect = 'retry' | 'stop';

export interface RegionSemantics {
  /** Whether a `throw` at this place leads to another attempt. */
  throwRetries(node: Node): boolean;
  /** Calls that stop retrying (`bail(err)` of async-retry). */
  isBailCall?(node: Node): boolean;
  /** Errors that stop retrying when thrown (`new AbortError()` of p-retry). */
  isAbortingError?(node: Node): boolean;
  /** The call that makes the next attempt (a recursive call). */
  isRetryCall?(node: Node): boolean;
  /** A returned boolean decides the retry (a `shouldRetry` predicate). */
  readonly returnsDecision?: boolean;
  /** The returned number is the wait in ms (a library's delay callback, `retryDelay`). */
  readonly returnsDelay?: boolean;
}

export interface RegionFacts {
  readonly root: Node;
  readonly calls: readonly RecognizedCall[];
  readonly waits: readonly Wait[];
  /** Statuses whose test leads to another attempt. */
  readonly retriedStatuses: readonly StatusMatch[];
  readonly statusList?: { readonly span: Span; readonly items: readonly ListItem<number>[] };
  /** Some test decides on the error or status (the retry is not blind). */
  readonly classifies: boolean;
  readonly errorTypes: readonly string[];
  readonly errorCodes: readonly ListItem<string>[];
  readonly handlesRateLimitType: boolean;
  readonly rateLimitSpan?: Span;
  readonly stopsOnPermanent: boolean;
  readonly headerReads: readonly HeaderRead[];
  readonly signalFromCaller: boolean;
  readonly abortGuarded: boolean;
  readonly abortRetried: boolean;
  readonly abortSpan?: Span;
  /** Variables multiplied each round: `delay *= 2`. */
  readonly growing: ReadonlyMap<string, number>;
  /** Names in the region derived from a Retry-After read. */
  readonly retryAfterNames: ReadonlySet<string>;
  readonly retryAfterForms: ReadonlySet<ParseForm | 'ms'>;
  readonly retryAfterCap?: number;
  /** Function calls to helpers that may read Retry-After out of sight. */
  readonly opaqueRetryAfterHelper: boolean;
  /** Awaited calls that may wait out of sight (`await backoff(attempt)`). */
  readonly opaqueWaits: boolean;
  /** The durations handed to those calls (`await sleep(500 * 2 ** attempt)` with `sleep` imported). */
  readonly opaqueWaitArguments: readonly Node[];
  /** Some test reads an HTTP status (whatever it decides). */
  readonly testsStatus: boolean;
  /** Some test names a network or API error (`instanceof APIConnectionError`, `code === 'ECONNRESET'`). */
  readonly testsNetworkError: boolean;
}

export function analyseRegion(root: Node, semantics: RegionSemantics, context: ExtractionContext): RegionFacts {
  const calls: RecognizedCall[] = [];
  const waits: Wait[] = [];
  const tests: StatusTest[] = [];
  const retriedStatuses: StatusMatch[] = [];
  let statusList: RegionFacts['statusList'];
  let classifies = false;
  const errorTypes: string[] = [];
  const errorCodes: ListItem<string>[] = [];
  let handlesRateLimitType = false;
  let rateLimitSpan: Span | undefined;
  let stopsOnPermanent = false;
  const headerReads: HeaderRead[] = [];
  let signalFromCaller = false;
  let abortGuarded = false;
  let abortRetried = false;
  let abortSpan: Span | undefined;
  const growing = new Map<string, number>();
  let opaqueRetryAfterHelper = false;
  let opaqueWaits = false;
  const opaqueWaitArguments: Node[] = [];
  let testsNetworkError = false;

  const effectOf = (test: Node): Effect | undefined => decisionEffect(test, root, semantics, context);
  const failureNames = failureDerivedNames(root);

  walkWithinFunction(root, (node) => {
    if (isFunction(node) && node !== root) {
      // Inline callbacks (`new Promise(r => setTimeout(r, ms))`) are read by the wait recognizer.
      return false;
    }
    const wait = waitAt(node, context) ?? returnedDelay(node, semantics);
    if (wait) waits.push(wait);
    else if (node.type === 'AwaitExpression' && (mayWait(node.argument, context) || helperWaits(node.argument, root, context))) {
      opaqueWaits = true;
      const call = stripCasts(node.argument) as TSESTree.CallExpression;
      if (call.arguments.length === 1 && call.arguments[0].type !== 'SpreadElement') opaqueWaitArguments.push(call.arguments[0]);
    }
    if (node.type === 'CallExpression') {
      const recognized = recognizeCall(node, context);
      if (recognized) calls.push(recognized);
      if (semantics.isBailCall?.(node)) stopsOnPermanent = true;
      if (callsWithCallerSignal(node, context)) signalFromCaller = true;
      const path = memberPath(node.callee);
      if (path && isNetworkErrorGuard(path[path.length - 1] ?? '')) testsNetworkError = true;
      if (path && path[path.length - 1] === 'throwIfAborted') {
        abortGuarded = true;
        abortSpan ??= context.span(node);
      }
      if (path && /retry-?after|retryafter/i.test(path[path.length - 1] ?? '') && !context.index.functionOf(node.callee)) {
        opaqueRetryAfterHelper = true;
      }
      const helper = context.index.functionOf(node.callee);
      if (helper && helper !== root && helperReadsRetryAfter(helper, context)) {
        headerReads.push({ node, header: 'retry-after' });
      }
    }
    if (node.type === 'ThrowStatement' && node.argument && semantics.isAbortingError?.(node.argument)) stopsOnPermanent = true;
    const read = headerReadAt(node, context);
    if (read) headerReads.push(read);
    const test = statusTestAt(node, context);
    if (test) {
      tests.push(test);
      classifies = true;
      const effect = effectOf(node);
      const retried = (effect === 'retry' && !test.negated) || (effect === 'stop' && test.negated);
      if (retried && !reauthenticates(test, context)) {
        retriedStatuses.push(...test.matches);
        if (test.list) statusList = test.list;
      }
      if (effect === 'stop' && !test.negated) stopsOnPermanent = true;
    }
    const instanceType = node.type === 'BinaryExpression' && node.operator === 'instanceof' ? memberPath(node.right) : undefined;
    if (instanceType) readInstanceTest(instanceType[instanceType.length - 1] ?? '', node);
    // `const transient = error instanceof NetworkError || ...; if (transient) continue;`: decided where the flag is tested.
    for (const flagged of flaggedInstanceTypes(node, root, context)) readInstanceTest(flagged.name, node, flagged.negated);
    if (node.type === 'BinaryExpression' && (node.operator === '===' || node.operator === '==' || node.operator === '!==' || node.operator === '!=')) {
      readNameTest(node.left, node.right, node);
      readNameTest(node.right, node.left, node);
    }
    if (node.type === 'MemberExpression' && propertyName(node.property, node.computed) === 'aborted') {
      const effect = effectOf(node);
      if (effect === 'stop') {
        abortGuarded = true;
        abortSpan ??= context.span(node);
      }
    }
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') {
      const factor = growthFactor(node, context);
      if (factor !== undefined) growing.set(node.left.name, factor);
    }
    if (node.type === 'IfStatement' && !isStatusExpression(node.test)) {
      // `if (!isRetryable(err)) throw err`, `if (shouldRetry) { wait } else { return }` with
      // `shouldRetry` computed from the error: a classification we cannot read.
      if (decidesToStop(node, semantics, context) && (mentionsFailure(node.test, failureNames) || callsRetryPredicate(node.test))) classifies = true;
    }
    // `await onFailure({ error })` into a helper of this file that throws: it decides, out of sight.
    if (node.type === 'CallExpression' && node.arguments.some((argument) => mentionsFailure(argument, failureNames)) && helperThrows(node, root, context)) classifies = true;
    return true;
  });

  function readInstanceTest(name: string, node: Node, negated = false): void {
    if (isNetworkErrorName(name)) testsNetworkError = true;
    const direct = effectOf(node);
    const effect = direct && negated ? opposite(direct) : direct;
    // `if (error instanceof ApiError) { read its headers }` inspects the error but lets every error retry.
    if (effect !== undefined) classifies = true;
    if (/^(AbortError|DOMException)$/.test(name)) {
      if (effect === 'stop') abortGuarded = true;
      if (effect === 'retry') abortRetried = true;
      abortSpan ??= context.span(node);
    } else if (effect === 'retry') {
      errorTypes.push(name);
      if (/RateLimit|TooManyRequests/.test(name)) {
        handlesRateLimitType = true;
        rateLimitSpan ??= context.span(node);
      }
    }
  }

  function readNameTest(side: Node, other: Node, comparison: Node): void {
    const path = memberPath(side);
    const value = stringValue(other);
    if (!path || value === undefined) return;
    const last = path[path.length - 1];
    if ((last === 'name' || last === 'code') && (isNetworkErrorName(value) || isNetworkErrorCode(value))) testsNetworkError = true;
    const effect = effectOf(comparison);
    const negated = comparison.type === 'BinaryExpression' && comparison.operator.startsWith('!');
    const retried = (effect === 'retry' && !negated) || (effect === 'stop' && negated);
    const stopped = (effect === 'stop' && !negated) || (effect === 'retry' && negated);
    if (last === 'name' && (value === 'AbortError' || value === 'TimeoutError')) {
      classifies = true;
      if (value === 'AbortError') {
        if (stopped) abortGuarded = true;
        if (retried) abortRetried = true;
        abortSpan ??= context.span(comparison);
      }
      return;
    }
    if (last === 'name' && /RateLimit|TooManyRequests/.test(value)) {
      classifies = true;
      if (retried) {
        handlesRateLimitType = true;
        rateLimitSpan ??= context.span(comparison);
      }
      return;
    }
    if (last === 'code' || last === 'type') {
      classifies = true;
      if (retried && /^[a-z_]+$/.test(value)) errorCodes.push({ value, span: context.span(other) });
      if (stopped) stopsOnPermanent = true;
    }
  }

  const flow = retryAfterFlow(root, headerReads, waits, context);
  return {
    root,
    calls,
    waits,
    retriedStatuses,
    ...(statusList ? { statusList } : {}),
    classifies,
    errorTypes,
    errorCodes,
    handlesRateLimitType,
    ...(rateLimitSpan ? { rateLimitSpan } : {}),
    stopsOnPermanent,
    headerReads,
    signalFromCaller,
    abortGuarded,
    abortRetried,
    ...(abortSpan ? { abortSpan } : {}),
    growing,
    retryAfterNames: flow.names,
    retryAfterForms: flow.forms,
    ...(flow.cap !== undefined ? { retryAfterCap: flow.cap } : {}),
    opaqueRetryAfterHelper,
    opaqueWaits,
    opaqueWaitArguments,
    testsStatus: tests.length > 0,
    testsNetworkError,
  };
}

/** A 401/407 test whose branch renews credentials before asking again: not a retry of that status. */
function reauthenticates(test: StatusTest, context: ExtractionContext): boolean {
  if (!onlyAuthStatuses(test.matches)) return false;
  const branch = decidingIf(test.node, context);
  return branch?.type === 'IfStatement' && renewsCredentials(branch.consequent, context);
}

/** An awaited call the file cannot see into, named like a wait or a backoff. */
function mayWait(expression: Node, context: ExtractionContext): boolean {
  const node = stripCasts(expression);
  if (node.type !== 'CallExpression') return false;
  const path = memberPath(node.callee);
  const name = path?.[path.length - 1] ?? '';
  if (!/sleep|delay|wait|backoff|pause|throttle|limit/i.test(name)) return false;
  return !context.index.functionOf(node.callee);
}

/** `await this.retryRequest(...)` into a same-file function that sleeps before it asks again: the wait is out of sight. */
function helperWaits(expression: Node, root: Node, context: ExtractionContext): boolean {
  const node = stripCasts(expression);
  if (node.type !== 'CallExpression') return false;
  const helper = context.index.functionOf(node.callee);
  if (!helper || !helper.async || (helper.range[0] <= root.range[0] && root.range[1] <= helper.range[1])) return false;
  return context.memo(`waits:${helper.range[0]}`, () => {
    let found = false;
    walkWithinFunction(helper.body, (inner) => {
      if (waitAt(inner, context) || (inner.type === 'AwaitExpression' && mayWait(inner.argument, context))) found = true;
      return !found;
    });
    return found;
  });
}

const ERROR_NAME = /^(e|err|error|ex|exception|reason|cause)$/;

function mentionsFailure(test: Node, failureNames: ReadonlySet<string>): boolean {
  let found = false;
  walkWithinFunction(test, (node) => {
    if (node.type === 'Identifier' && (ERROR_NAME.test(node.name) || failureNames.has(node.name))) found = true;
    return !found;
  });
  return found;
}

/**
 * The caught errors of the region and the names computed from them, in document order:
 * `catch (failure)`, `const { message } = describe(failure)`, `const again = isOverloaded(message)`.
 */
function failureDerivedNames(root: Node): Set<string> {
  const names = new Set<string>();
  walkWithinFunction(root, (node) => {
    if (node.type === 'CatchClause' && node.param) for (const { name } of patternNames(node.param)) names.add(name);
    if (node.type === 'VariableDeclarator' && node.init && mentionsFailure(node.init, names)) for (const { name } of patternNames(node.id)) names.add(name);
    return !isFunction(node) || node === root;
  });
  return names;
}

/**
 * One branch of the `if` stops retrying (the other may wait and go on), or the `if` goes on
 * to the next attempt and the statement after it stops: `if (transient) { wait; continue; } throw e;`.
 */
function decidesToStop(statement: TSESTree.IfStatement, semantics: RegionSemantics, context: ExtractionContext): boolean {
  if ([statement.consequent, statement.alternate].some((branch) => branch && (decisionEffectOfConsequent(branch, semantics) === 'stop' || endsInStop(branch, semantics)))) return true;
  const body = statement.consequent.type === 'BlockStatement' ? statement.consequent.body : [statement.consequent];
  if (statement.alternate || body[body.length - 1]?.type !== 'ContinueStatement') return false;
  const block = context.index.parents.get(statement);
  if (block?.type !== 'BlockStatement') return false;
  const next = block.body[block.body.indexOf(statement as TSESTree.Statement) + 1];
  return next !== undefined && endsInStop(next, semantics);
}

/** `{ await cleanUp(); report(e); return; }`: whatever it awaits first, the branch ends the retry. */
function endsInStop(branch: Node, semantics: RegionSemantics): boolean {
  const statements = branch.type === 'BlockStatement' ? branch.body : [branch];
  const last = statements[statements.length - 1];
  if (!last || (last.type !== 'ReturnStatement' && last.type !== 'ThrowStatement' && last.type !== 'BreakStatement')) return false;
  return decisionEffectOfConsequent(last, semantics) === 'stop';
}

/** The error classes a flag tested here was computed from (`const transient = e instanceof NetworkError`). */
function flaggedInstanceTypes(node: Node, root: Node, context: ExtractionContext): { name: string; negated: boolean }[] {
  if (node.type !== 'Identifier') return [];
  const parent = context.index.parents.get(node);
  // Only a name used as a condition can be a flag (and only those are worth a scope lookup).
  if (!parent || !['IfStatement', 'LogicalExpression', 'UnaryExpression', 'ConditionalExpression'].includes(parent.type)) return [];
  const init = context.index.constantInit(node);
  if (!init || init.range[0] < root.range[0] || init.range[1] > root.range[1]) return [];
  const found: { name: string; negated: boolean }[] = [];
  const visit = (inner: Node, negated: boolean): void => {
    const value = stripCasts(inner);
    if (value.type === 'UnaryExpression' && value.operator === '!') return visit(value.argument, !negated);
    if (value.type === 'LogicalExpression') {
      visit(value.left, negated);
      visit(value.right, negated);
      return;
    }
    const type = value.type === 'BinaryExpression' && value.operator === 'instanceof' ? memberPath(value.right) : undefined;
    if (type) found.push({ name: type[type.length - 1] ?? '', negated });
  };
  visit(init, false);
  return found;
}

/** `canReconnect(code)`, `isRetryable(x)`, `shouldRetry(x)`: a decision on the failure, named for it. */
function callsRetryPredicate(test: Node): boolean {
  let found = false;
  walkWithinFunction(test, (node) => {
    if (node.type === 'CallExpression') {
      const path = memberPath(node.callee);
      if (path && RETRY_PREDICATE.test(path[path.length - 1] ?? '')) found = true;
    }
    return !found;
  });
  return found;
}

const RETRY_PREDICATE = /^_?(can|should|is)\w*(Retry|Retri|Recover|Reconnect|Transient|Fatal|Permanent)\w*$/;

function helperThrows(call: TSESTree.CallExpression, root: Node, context: ExtractionContext): boolean {
  const helper = context.index.functionOf(call.callee);
  // The function that holds the region (a recursive retry) is not a helper.
  if (!helper || (helper.range[0] <= root.range[0] && root.range[1] <= helper.range[1])) return false;
  return context.memo(`throws:${helper.range[0]}`, () => {
    let found = false;
    walkWithinFunction(helper, (node) => {
      if (node.type === 'ThrowStatement') found = true;
      return !found;
    });
    return found;
  });
}

/** `delay *= 2`, `delay = delay * 2`, `delay = Math.min(delay * 2, cap)`. */
function growthFactor(node: TSESTree.AssignmentExpression, context: ExtractionContext): number | undefined {
  if (node.left.type !== 'Identifier') return undefined;
  const name = node.left.name;
  if (node.operator === '*=') {
    const factor = context.evaluate.number(node.right);
    return factor !== undefined && factor > 1 ? factor : undefined;
  }
  if (node.operator !== '=') return undefined;
  let right = stripCasts(node.right);
  if (right.type === 'CallExpression' && memberPath(right.callee)?.join('.') === 'Math.min' && right.arguments[0]) {
    right = stripCasts(right.arguments[0]);
  }
  if (right.type === 'BinaryExpression' && right.operator === '*') {
    const [a, b] = [stripCasts(right.left as Node), stripCasts(right.right)];
    const other = a.type === 'Identifier' && a.name === name ? b : b.type === 'Identifier' && b.name === name ? a : undefined;
    const factor = other ? context.evaluate.number(other) : undefined;
    return factor !== undefined && factor > 1 ? factor : undefined;
  }
  return undefined;
}

/**
 * Where a test leads: find the `if` it decides (through `!`, `&&`, `||`), or the `return`
 * of a predicate, and read what its branch does.
 */
function decisionEffect(test: Node, root: Node, semantics: RegionSemantics, context: ExtractionContext): Effect | undefined {
  let child = test;
  let parent = context.index.parents.get(test);
  let negated = false;
  while (parent) {
    if (parent.type === 'UnaryExpression' && parent.operator === '!') negated = !negated;
    else if (parent.type === 'LogicalExpression' || parent.type === 'ChainExpression' || parent.type === 'TSAsExpression') {
      // keep climbing
    } else if (parent.type === 'IfStatement' && parent.test === child) {
      const whenTrue = decisionEffectOfConsequent(parent.consequent, semantics);
      const whenFalse = parent.alternate ? decisionEffectOfConsequent(parent.alternate, semantics) : undefined;
      const effect = whenTrue ?? (whenFalse ? opposite(whenFalse) : undefined);
      return effect && negated ? opposite(effect) : effect;
    } else if (semantics.returnsDecision && (parent.type === 'ReturnStatement' || (parent.type === 'ArrowFunctionExpression' && parent.body === child))) {
      return negated ? 'stop' : 'retry';
    } else {
      return undefined;
    }
    if (parent === root) return semantics.returnsDecision && isArrowBody(root, context) ? (negated ? 'stop' : 'retry') : undefined;
    child = parent;
    parent = context.index.parents.get(parent);
  }
  return undefined;
}

function returnedDelay(node: Node, semantics: RegionSemantics): Wait | undefined {
  if (!semantics.returnsDelay || node.type !== 'ReturnStatement' || !node.argument) return undefined;
  return { node, argument: node.argument, scale: 1, blocking: false };
}

/** `(error) => a || b`: the region is the arrow's expression body, which is what it returns. */
function isArrowBody(node: Node, context: ExtractionContext): boolean {
  const parent = context.index.parents.get(node);
  return parent?.type === 'ArrowFunctionExpression' && parent.body === node;
}

function opposite(effect: Effect): Effect {
  return effect === 'retry' ? 'stop' : 'retry';
}

function decisionEffectOfConsequent(statement: Node, semantics: RegionSemantics): Effect | undefined {
  const statements = statement.type === 'BlockStatement' ? statement.body : [statement];
  for (const current of statements) {
    switch (current.type) {
      case 'ContinueStatement':
        return 'retry';
      case 'ReturnStatement':
        if (current.argument && semantics.isRetryCall?.(stripCasts(current.argument))) return 'retry';
        if (semantics.returnsDecision && current.argument) {
          const value = stripCasts(current.argument);
          if (value.type === 'Literal' && typeof value.value === 'boolean') return value.value ? 'retry' : 'stop';
        }
        return 'stop';
      case 'BreakStatement':
        return 'stop';
      case 'ThrowStatement':
        if (current.argument && semantics.isAbortingError?.(current.argument)) return 'stop';
        return semantics.throwRetries(current) ? 'retry' : 'stop';
      case 'ExpressionStatement': {
        const expression = stripCasts(current.expression);
        if (semantics.isBailCall?.(expression)) return 'stop';
        if (semantics.isRetryCall?.(expression)) return 'retry';
        if (expression.type === 'AwaitExpression') return 'retry';
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** A call that passes a `signal` the caller owns (a parameter or a parameter's property). */
function callsWithCallerSignal(call: TSESTree.CallExpression, context: ExtractionContext): boolean {
  for (const argument of call.arguments) {
    const object = stripCasts(argument);
    if (object.type !== 'ObjectExpression') continue;
    for (const property of object.properties) {
      if (property.type !== 'Property' || propertyName(property.key, property.computed) !== 'signal') continue;
      if (signalIsCallers(property.value, context)) return true;
    }
  }
  return false;
}

function signalIsCallers(expression: Node, context: ExtractionContext): boolean {
  const node = stripCasts(expression);
  const path = memberPath(node);
  if (path && path[0] !== 'this') {
    const declaration = context.index.lookup(path[0], node);
    if (declaration?.kind === 'parameter') return true;
  }
  if (node.type === 'CallExpression' && memberPath(node.callee)?.join('.') === 'AbortSignal.any') {
    const list = node.arguments[0];
    return list?.type === 'ArrayExpression' && list.elements.some((element) => element !== null && element.type !== 'SpreadElement' && signalIsCallers(element, context));
  }
  return false;
}

function helperReadsRetryAfter(helper: Node, context: ExtractionContext): boolean {
  return context.memo(`reads-retry-after:${helper.range[0]}`, () => {
    let found = false;
    walkWithinFunction(helper, (node) => {
      if (headerReadAt(node, context)) found = true;
      return !found;
    });
    return found;
  });
}

/**
 * Follows Retry-After values through the region's variables: which names hold them, how they
 * are parsed, whether a cap (`Math.min`, or a guard that gives up above a limit) applies.
 */
function retryAfterFlow(
  root: Node,
  reads: readonly HeaderRead[],
  waits: readonly Wait[],
  context: ExtractionContext,
): { names: Set<string>; forms: Set<ParseForm | 'ms'>; cap?: number } {
  const names = new Set<string>();
  const forms = new Set<ParseForm | 'ms'>();
  let cap: number | undefined;
  if (reads.length === 0) return { names, forms };
  const readNodes = new Set<Node>(reads.map((read) => read.node));
  for (const read of reads) if (read.header === 'retry-after-ms') forms.add('ms');
  const involvesValue = (expression: Node): boolean => {
    let found = false;
    walkWithinFunction(expression, (node) => {
      if (readNodes.has(node) || (node.type === 'Identifier' && names.has(node.name))) found = true;
      return !found;
    });
    return found;
  };
  const readForms = (expression: Node): void => {
    walkWithinFunction(expression, (node) => {
      const form = parseFormOf(node);
      if (form && involvesValueShallow(node)) forms.add(form);
      if (node.type === 'CallExpression' && memberPath(node.callee)?.join('.') === 'Math.min') {
        const limit = node.arguments.map((argument) => context.evaluate.number(argument)).find((value) => value !== undefined);
        if (limit !== undefined && node.arguments.some((argument) => involvesValue(argument))) cap = cap === undefined ? limit : Math.min(cap, limit);
      }
      return true;
    });
  };
  const involvesValueShallow = (node: Node): boolean => {
    const argument = node.type === 'CallExpression' || node.type === 'NewExpression' ? node.arguments[0] : node.type === 'UnaryExpression' ? node.argument : undefined;
    return argument !== undefined && involvesValue(argument);
  };
  // Declarations in document order: each one derived from a read or a derived name is derived.
  walkWithinFunction(root, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && involvesValue(node.init)) {
      names.add(node.id.name);
      readForms(node.init);
    }
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && involvesValue(node.right)) {
      names.add(node.left.name);
      readForms(node.right);
    }
    if (node.type === 'IfStatement' && involvesValue(node.test) && node.test.type === 'BinaryExpression' && (node.test.operator === '>' || node.test.operator === '>=')) {
      const limit = context.evaluate.number(node.test.right);
      const leaves = node.consequent.type === 'ThrowStatement' || node.consequent.type === 'ReturnStatement' || (node.consequent.type === 'BlockStatement' && node.consequent.body.some((s) => s.type === 'ThrowStatement' || s.type === 'ReturnStatement' || s.type === 'BreakStatement'));
      if (limit !== undefined && leaves) cap = cap === undefined ? limit : Math.min(cap, limit);
    }
    return true;
  });
  for (const wait of waits) if (wait.argument && involvesValue(wait.argument)) readForms(wait.argument);
  for (const read of reads) {
    const parent = context.index.parents.get(read.node);
    if (parent) {
      const form = parseFormOf(parent);
      if (form) forms.add(form);
    }
  }
  return cap === undefined ? { names, forms } : { names, forms, cap };
}

/** Whether a wait's duration comes from Retry-After. */
export function waitUsesRetryAfter(wait: Wait, region: RegionFacts): boolean {
  if (!wait.argument) return false;
  const reads = new Set<Node>(region.headerReads.map((read) => read.node));
  let found = false;
  walkWithinFunction(wait.argument, (node) => {
    if (reads.has(node) || (node.type === 'Identifier' && region.retryAfterNames.has(node.name))) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether a streaming call's chunks are consumed inside the region (a `for await` over its
 * result, or `yield*`), with no guard that stops retrying once something was received.
 */
export function streamConsumed(call: RecognizedCall, region: RegionFacts, context: ExtractionContext): Maybe<boolean> {
  if (call.facts.streaming.kind !== 'known' || !call.facts.streaming.value) return unknown();
  const holder = resultName(call.node, context);
  let consumed = false;
  const progressNames = new Set<string>();
  walkWithinFunction(region.root, (node) => {
    if (node.type === 'ForOfStatement' && iteratesResult(node.right, call.node, holder)) {
      consumed = true;
      walkWithinFunction(node.body, (inner) => {
        if (inner.type === 'AssignmentExpression' && inner.left.type === 'Identifier') progressNames.add(inner.left.name);
        if (inner.type === 'UpdateExpression' && inner.argument.type === 'Identifier') progressNames.add(inner.argument.name);
        return true;
      });
    }
    if (node.type === 'YieldExpression' && node.delegate && node.argument && iteratesResult(node.argument, call.node, holder)) consumed = true;
    return true;
  });
  if (!consumed) return known(false);
  let guarded = false;
  walkWithinFunction(region.root, (node) => {
    if (node.type === 'IfStatement' && mentionsAny(node.test, progressNames) && leavesWithoutRetry(node.consequent)) guarded = true;
    return !guarded;
  });
  return known(!guarded);
}

function leavesWithoutRetry(statement: Node): boolean {
  const statements = statement.type === 'BlockStatement' ? statement.body : [statement];
  return statements.some((current) => current.type === 'ThrowStatement' || current.type === 'ReturnStatement' || current.type === 'BreakStatement');
}

function mentionsAny(expression: Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walkWithinFunction(expression, (node) => {
    if (node.type === 'Identifier' && names.has(node.name)) found = true;
    return !found;
  });
  return found;
}

function resultName(call: Node, context: ExtractionContext): string | undefined {
  let current: Node = call;
  let parent = context.index.parents.get(current);
  while (parent && (parent.type === 'AwaitExpression' || parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression')) {
    current = parent;
    parent = context.index.parents.get(current);
  }
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier') return parent.left.name;
  return undefined;
}

function iteratesResult(expression: Node, call: Node, holder: string | undefined): boolean {
  const node = stripCasts(expression);
  if (node === call || (node.type === 'AwaitExpression' && stripCasts(node.argument) === call)) return true;
  const path = memberPath(node);
  // `for await (const chunk of stream)`, `of response.body`, `of stream.toReadableStream()`.
  if (path && holder && path[0] === holder) return true;
  if (node.type === 'CallExpression') {
    const calleePath = memberPath(node.callee);
    return !!calleePath && !!holder && calleePath[0] === holder;
  }
  return false;
}

/** The final CallFacts for a call in this region. */
export function finishCall(call: RecognizedCall, region: RegionFacts, context: ExtractionContext): CallFacts {
  return {
    ...call.facts,
    streamConsumedInRetry: streamConsumed(call, region, context),
    idempotencyKey: idempotencyKey(call, region, context),
  };
}

function idempotencyKey(call: RecognizedCall, region: RegionFacts, context: ExtractionContext): Maybe<'outside' | 'per-attempt' | 'none'> {
  const method = call.facts.method.kind === 'known' ? call.facts.method.value : undefined;
  if (!call.generic || (method !== 'POST' && method !== 'PATCH')) return unknown();
  if (!call.headers) return known('none');
  const headers = context.evaluate.objectLiteral(call.headers);
  if (!headers) return unknown('headers built elsewhere');
  for (const property of headers.properties) {
    if (property.type === 'SpreadElement') return unknown('headers spread');
    const name = propertyName(property.key, property.computed);
    if (!name || name.toLowerCase() !== 'idempotency-key') continue;
    const value = stripCasts(property.value);
    if (value.type === 'CallExpression') return known('per-attempt', context.span(value));
    if (value.type === 'Identifier') {
      const declaration = context.index.lookup(value.name, value);
      if (declaration?.kind === 'variable' && declaration.declarator.range[0] >= region.root.range[0] && declaration.declarator.range[1] <= region.root.range[1]) {
        const init = declaration.init ? stripCasts(declaration.init) : undefined;
        return init?.type === 'CallExpression' ? known('per-attempt', context.span(value)) : unknown();
      }
      return known('outside', context.span(value));
    }
    return unknown();
  }
  return known('none');
}
