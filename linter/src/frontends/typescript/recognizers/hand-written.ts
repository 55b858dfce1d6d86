/**
 * Hand-written retries: loops (for / while / do) that make another attempt after a failure
 * (a catch that goes on, or a status test that goes on), and functions that call themselves
 * from their failure path. Attempts come from the loop header or the counter guard.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { known, makeSite, unknown, type AttemptsFacts, type OptionSlot, type RetrySite, type SlotUnit, type Span, type StatusMatch } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import type { Counter } from '../delay-expression.js';
import { catchDefersToHelper, catchTakesHttpErrorsBlindly, catchTakesTransportFailuresOnly, catchTestsError, mentions, rejectsOnErrorStatus } from '../blind-catch.js';
import { testsCounterKeptElsewhere } from '../counters.js';
import { permitAround } from '../permits.js';
import { analyseRegion, finishCall, type RegionSemantics } from '../region.js';
import { delayFacts, retryAfterFacts, retryOnFacts, sleepFacts } from '../site-facts.js';
import { onlyAuthStatuses, renewsCredentials } from '../reauth.js';
import { rerunStreamCalls } from '../rerun-streams.js';
import { retriesRemoteOperation } from '../retry-evidence.js';
import { isStatusExpression, statusTestAt } from '../status-tests.js';
import { alwaysLeaves, isFunction, isLoop, memberPath, propertyName, stripCasts, unwrap, type FunctionNode, type LoopNode, type Node } from '../syntax.js';
import { promisedWait, type Wait } from '../sleeps.js';
import { walk, walkWithinFunction } from '../walk.js';
import { iteratesOverWork } from '../work-iteration.js';

interface LoopShape {
  readonly tries: TSESTree.TryStatement[];
  readonly exits: Node[];
}

/** The try statements and exits that belong to this loop (not to a nested loop or function). */
function loopShape(loop: LoopNode): LoopShape {
  const tries: TSESTree.TryStatement[] = [];
  const exits: Node[] = [];
  walkWithinFunction(loop.body, (node) => {
    if (node !== loop.body && isLoop(node)) return false;
    if (node.type === 'TryStatement' && node.handler) tries.push(node);
    if (node.type === 'ReturnStatement' || (node.type === 'BreakStatement' && !node.label)) exits.push(node);
    return true;
  });
  return { tries, exits };
}

function within(node: Node, outer: Node): boolean {
  return outer.range[0] <= node.range[0] && node.range[1] <= outer.range[1];
}

export function recognizeLoop(loop: LoopNode, context: ExtractionContext): RetrySite | undefined {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') return undefined;
  const shape = loopShape(loop);
  const retryingTry = shape.tries.find((statement) => statement.handler && goesOn(statement.handler.body) && hasCall(statement.block));
  // A try that awaits nothing catches only synchronous errors: a local step, never a remote failure.
  if (retryingTry && !awaitsIn(retryingTry.block)) return undefined;
  if (retryingTry && pollsForState(retryingTry)) return undefined;
  const semantics: RegionSemantics = {
    throwRetries: (node) =>
      shape.tries.some((statement) => statement.handler && within(node, statement.block) && !catchFilters(statement.handler)),
  };
  const analysed = analyseRegion(loop.body, semantics, context);
  const success = successExit(loop, context);
  const attempts = loopAttempts(loop, context);
  if (!(retriesRemoteOperation(analysed, context, attempts.counter) || success) || iteratesOverWork(loop, analysed.waits, context)) return undefined;
  if (waitsForExistence(analysed.retriedStatuses)) return undefined;
  // Every failure is retried only where nothing else in the loop decides on the status or error.
  const region = success?.everyFailure && !analysed.classifies ? { ...analysed, retriedStatuses: [...analysed.retriedStatuses, { min: 400, max: 599, span: success.span }] } : analysed;
  // Polling for a 202 is not a retry: only error statuses count.
  const retriesErrorStatus = region.retriedStatuses.some((match) => match.max >= 400);
  const makesAttempt = region.calls.length > 0 || reassignsTestedResponse(loop);
  const statusLoop = !retryingTry && ((makesAttempt && retriesErrorStatus) || success !== undefined) && shape.exits.length > 0;
  if (!retryingTry && !statusLoop) return undefined;
  // A retry leaves the loop once an attempt succeeds; a loop that never leaves on success repeats work.
  if (retryingTry && !shape.exits.some((exit) => !within(exit, retryingTry.handler!))) return undefined;
  const fn = context.index.enclosingFunction(loop);
  const handler = retryingTry?.handler;
  const catchAllSpan = handler ? clauseHead(handler, context) : undefined;
  const blindCatch = retryingTry !== undefined && catchTakesHttpErrorsBlindly(retryingTry, context);
  const transportOnly = retryingTry !== undefined && catchTakesTransportFailuresOnly(retryingTry, fn, context);
  return makeSite(context.identity('loop', 'hand-written', loop, loopHead(loop, context)), {
    isAsync: fn ? known(fn.async) : known(false),
    attempts: attempts.facts,
    delay: delayFacts(region, attempts.counter, context),
    retryOn: retryOnFacts(region, {
      catchesErrors: handler !== undefined,
      blindCatch,
      transportOnly,
      catchTests: handler ? catchTestsError(handler.param, handler.body) : false,
      helperDecides: handler ? catchDefersToHelper(handler.param, handler.body) : false,
      ...(catchAllSpan ? { catchAllSpan } : {}),
    }),
    retryAfter: retryAfterFacts(region, context),
    calls: [...region.calls.map((call) => finishCall(call, region, context)), ...rerunStreamCalls(loop.body, context)],
    sleep: sleepFacts(region, fn, permitAround(loop, fn, context), context),
  });
}

/**
 * A loop that asks again on a 404 and on nothing else waits for something to be created (a
 * release, an upload being processed): it expects the 404 to go away, a poll rather than a
 * retry of a failure.
 */
function waitsForExistence(statuses: readonly StatusMatch[]): boolean {
  return statuses.length > 0 && statuses.every((match) => match.min === 404 && match.max === 404);
}

/** An await (or, in downleveled code, a yield) that a failure of the awaited call throws at. */
function awaitsIn(block: Node): boolean {
  let found = false;
  walkWithinFunction(block, (node) => {
    if (node.type === 'AwaitExpression' || node.type === 'YieldExpression' || (node.type === 'ForOfStatement' && node.await)) found = true;
    return !found;
  });
  return found;
}

/**
 * `if (job.state === 'done') return job;` inside the attempt, and otherwise another round: a
 * successful answer that is not there yet goes round again too. The loop waits for a state
 * (a poll); it does not retry a failure.
 */
function pollsForState(statement: TSESTree.TryStatement): boolean {
  if (alwaysLeaves(statement.block)) return false;
  let found = false;
  walkWithinFunction(statement.block, (node) => {
    if (found || isLoop(node)) return false;
    if (node.type === 'IfStatement' && !node.alternate && leavesOnSuccess(node.consequent) && testsState(node.test)) found = true;
    return !found;
  });
  return found;
}

/** A test on the data of an answer (`state.done`, `!job.running && seen`), not on its status or error. */
function testsState(test: Node): boolean {
  const node = stripCasts(test);
  const plain = node.type === 'Identifier' || (node.type === 'UnaryExpression' && stripCasts(node.argument).type === 'Identifier');
  return !plain && exitKind(test, new Set(), new Map()) === 'other';
}

/** Names bound to a call's result in the loop (`const response = await send()`, `response = await send()`). */
function callResults(loop: LoopNode): Set<string> {
  const names = new Set<string>();
  const isCallResult = (expression: Node): boolean => {
    const value = stripCasts(expression);
    return (value.type === 'AwaitExpression' ? stripCasts(value.argument) : value).type === 'CallExpression';
  };
  walkWithinFunction(loop.body, (node) => {
    if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'Identifier' && isCallResult(node.right)) names.add(node.left.name);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && isCallResult(node.init)) names.add(node.id.name);
  });
  return names;
}

/**
 * `response = await requestFn()` in a loop that tests `response.status`: that call makes the
 * next attempt, even when this file cannot tell what it calls (a parameter, a callback).
 */
function reassignsTestedResponse(loop: LoopNode): boolean {
  const tested = new Set<string>();
  walkWithinFunction(loop.body, (node) => {
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && isStatusExpression(node)) tested.add(node.object.name);
  });
  return [...callResults(loop)].some((name) => tested.has(name));
}

/**
 * `if (response.ok) return response;` and otherwise another round: the loop retries every
 * status that is not a success. Beside another condition (`response.ok || !shouldRetry(response)`)
 * the statuses are decided out of sight, but the loop still retries.
 */
function successExit(loop: LoopNode, context: ExtractionContext): { span: Span; everyFailure: boolean } | undefined {
  const responses = callResults(loop);
  if (responses.size === 0) return undefined;
  let found: { span: Span; everyFailure: boolean } | undefined;
  walkWithinFunction(loop.body, (node) => {
    if (found || (node !== loop.body && isLoop(node))) return false;
    if (node.type !== 'IfStatement' || !alwaysLeaves(node.consequent)) return true;
    const conditions = disjuncts(node.test);
    const okTest = conditions.find((condition) => {
      const path = memberPath(condition);
      return path?.length === 2 && path[1] === 'ok' && responses.has(path[0]);
    });
    if (okTest) found = { span: context.span(okTest), everyFailure: conditions.length === 1 };
    return true;
  });
  return found;
}

function disjuncts(test: Node): Node[] {
  const node = stripCasts(test);
  return node.type === 'LogicalExpression' && node.operator === '||' ? [...disjuncts(node.left), ...disjuncts(node.right)] : [node];
}

/**
 * A catch that re-throws some errors (`if (!(error instanceof TypeError)) throw error`):
 * an error thrown in the try block is then not known to be retried.
 */
function catchFilters(handler: TSESTree.CatchClause): boolean {
  const name = handler.param?.type === 'Identifier' ? handler.param.name : undefined;
  if (!name) return false;
  let testsError = false;
  let throws = false;
  walkWithinFunction(handler.body, (node) => {
    if (node.type === 'IfStatement' && mentions(node.test, name)) testsError = true;
    if (node.type === 'ThrowStatement') throws = true;
    return true;
  });
  return testsError && throws;
}

function loopHead(loop: LoopNode, context: ExtractionContext) {
  return headSpan(loop.range[0], loop.type === 'DoWhileStatement' ? loop.range[0] + 2 : loop.body.range[0], context);
}

/** `catch (error)`: where a catch-all is reported. */
function clauseHead(handler: TSESTree.CatchClause, context: ExtractionContext) {
  return headSpan(handler.range[0], handler.body.range[0], context);
}

function headSpan(start: number, end: number, context: ExtractionContext) {
  let trimmed = end;
  while (trimmed > start && /\s/.test(context.text[trimmed - 1])) trimmed--;
  return context.spanOf(start, trimmed);
}

/** The catch body can lead to the next iteration: it continues, or it can complete normally. */
function goesOn(body: Node): boolean {
  if (!alwaysLeaves(body)) return true;
  let continues = false;
  walkWithinFunction(body, (node) => {
    if (isLoop(node)) return false;
    if (node.type === 'ContinueStatement' && !node.label) continues = true;
    return !continues;
  });
  return continues;
}

function hasCall(node: Node): boolean {
  let found = false;
  walkWithinFunction(node, (inner) => {
    if (inner.type === 'CallExpression' || inner.type === 'AwaitExpression' || inner.type === 'NewExpression') found = true;
    return !found;
  });
  return found;
}

function isTrue(node: Node | null | undefined): boolean {
  if (!node) return true;
  const value = stripCasts(node);
  return value.type === 'Literal' && (value.value === true || value.value === 1);
}

interface LoopAttempts {
  readonly facts: Partial<AttemptsFacts>;
  readonly counter?: Counter;
}

function loopAttempts(loop: LoopNode, context: ExtractionContext): LoopAttempts {
  if (loop.type === 'ForStatement') {
    const counted = forCounter(loop, context);
    if (counted) return counted;
    if (loop.test && !isTrue(loop.test)) return { facts: { max: unknown('loop condition not understood') } };
  } else if (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement') {
    if (!isTrue(loop.test)) {
      const counted = whileCounter(loop, context);
      return counted ?? { facts: { max: unknown('loop condition not understood') } };
    }
  }
  return unboundedOrGuarded(loop, context);
}

/** `for (let i = a; i < N; i++)` and its `<=` / `>` spellings. */
function forCounter(loop: TSESTree.ForStatement, context: ExtractionContext): LoopAttempts | undefined {
  const init = loop.init;
  if (init?.type !== 'VariableDeclaration' || init.declarations.length !== 1) return undefined;
  const declarator = init.declarations[0];
  if (declarator.id.type !== 'Identifier' || !declarator.init) return undefined;
  const name = declarator.id.name;
  const start = context.evaluate.number(declarator.init);
  if (start === undefined || !loop.test || !increments(loop.update, name)) return undefined;
  return boundedBy(loop.test, name, start, context);
}

function increments(update: Node | null | undefined, name: string): boolean {
  if (!update) return false;
  if (update.type === 'UpdateExpression') return update.operator === '++' && update.argument.type === 'Identifier' && update.argument.name === name;
  if (update.type === 'AssignmentExpression' && update.left.type === 'Identifier' && update.left.name === name) {
    return update.operator === '+=' && stripCasts(update.right).type === 'Literal' && (stripCasts(update.right) as TSESTree.Literal).value === 1;
  }
  return false;
}

/** `counter < N` (or `<=`, or flipped) with the counter starting at `start`: the attempt count. */
function boundedBy(test: Node, name: string, start: number, context: ExtractionContext): LoopAttempts | undefined {
  const node = stripCasts(test);
  if (node.type !== 'BinaryExpression' || node.left.type === 'PrivateIdentifier') return undefined;
  const leftIsCounter = counterName(node.left) === name;
  const rightIsCounter = counterName(node.right) === name;
  if (!leftIsCounter && !rightIsCounter) return undefined;
  const bound = leftIsCounter ? node.right : node.left;
  const operator = leftIsCounter ? node.operator : ({ '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as Record<string, string>)[node.operator];
  if (operator !== '<' && operator !== '<=') return undefined;
  const limit = context.evaluate.number(bound);
  const counter: Counter = { name, firstValue: start };
  if (limit === undefined) return { facts: { max: unknown('limit not visible', context.span(bound)) }, counter };
  if (limit === Infinity) return { facts: { max: known('unbounded', context.span(bound)) }, counter };
  const attempts = Math.max(0, operator === '<' ? limit - start : limit - start + 1);
  const unit: SlotUnit | undefined =
    start === 0 && operator === '<' ? 'attempts' : start === 0 && operator === '<=' ? 'retries' : start === 1 && operator === '<=' ? 'attempts' : undefined;
  const slot = unit ? literalSlot(bound, unit, context) : undefined;
  return { facts: { max: known(attempts, context.span(bound)), ...(slot ? { slot } : {}) }, counter };
}

function counterName(node: Node): string | undefined {
  const value = stripCasts(node);
  if (value.type === 'Identifier') return value.name;
  if (value.type === 'UpdateExpression' && value.prefix && value.argument.type === 'Identifier') return value.argument.name;
  return undefined;
}

/** The literal that sets a limit (inline, or in the constant's declaration), as a lever. */
function literalSlot(bound: Node, unit: SlotUnit, context: ExtractionContext): OptionSlot | undefined {
  let node = stripCasts(bound);
  let name = 'maxAttempts';
  if (node.type === 'Identifier') {
    name = node.name;
    const init = context.index.constantInit(node);
    if (!init) return undefined;
    node = stripCasts(init);
  }
  if (node.type !== 'Literal' || typeof node.value !== 'number') return undefined;
  const span = context.span(node);
  return { name, style: 'object-property', container: span, valueSpan: span, unit };
}

/** `while (attempt < N)` / `do { ... } while (++attempt < N)` with a counter declared before the loop. */
function whileCounter(loop: TSESTree.WhileStatement | TSESTree.DoWhileStatement, context: ExtractionContext): LoopAttempts | undefined {
  const test = stripCasts(loop.test);
  if (test.type !== 'BinaryExpression' || test.left.type === 'PrivateIdentifier') return undefined;
  const name = counterName(test.left) ?? counterName(test.right);
  if (!name) return undefined;
  const declaration = context.index.lookup(name, loop);
  if (declaration?.kind !== 'variable' || !declaration.init) return undefined;
  const start = context.evaluate.number(declaration.init);
  if (start === undefined || !incrementedIn(loop, name)) return undefined;
  const result = boundedBy(test, name, start, context);
  if (!result || loop.type !== 'DoWhileStatement' || result.facts.max?.kind !== 'known') return result;
  // A do-while runs its body once before the first test.
  const max = result.facts.max.value;
  return typeof max === 'number' ? { ...result, facts: { max: known(Math.max(1, max), result.facts.max.span) } } : result;
}

function incrementedIn(loop: LoopNode, name: string): boolean {
  let found = false;
  walkWithinFunction(loop, (node) => {
    if (node.type === 'UpdateExpression' && node.operator === '++' && node.argument.type === 'Identifier' && node.argument.name === name) found = true;
    if (node.type === 'AssignmentExpression' && node.operator === '+=' && node.left.type === 'Identifier' && node.left.name === name) found = true;
    return !found;
  });
  return found;
}

/**
 * `while (true)` / `for (;;)`: bounded only by exits inside. An exit tested on a counter
 * bounds it; on the clock, a deadline; on the error or the response, nothing; anything
 * else is unknown.
 */
function unboundedOrGuarded(loop: LoopNode, context: ExtractionContext): LoopAttempts {
  const updated = updatedNames(loop);
  const growing = growingNames(loop, context);
  let verdict = 'unbounded' as 'unbounded' | 'bounded' | 'unknown';
  let counterGuard = undefined as { name: string; limit?: number; inclusive: boolean; preIncrement: boolean } | undefined;
  let growthBound: LoopAttempts | undefined;
  walkWithinFunction(loop.body, (node) => {
    if (node !== loop.body && isLoop(node)) return false;
    if (node.type !== 'IfStatement' || !alwaysLeaves(node.consequent)) return true;
    const kind = exitKind(node.test, updated, growing);
    // A counter or a growing delay tested against a limit is a bound whatever the branch returns.
    if (kind === 'counter') {
      verdict = verdict === 'unknown' ? 'unknown' : 'bounded';
      // `if (!isRetryable(res.status) || attempt >= 4) throw`: the counter's disjunct bounds the tries.
      counterGuard ??= readCounterGuard(node.test, context) ?? disjuncts(node.test).map((test) => readCounterGuard(test, context)).find((guard) => guard !== undefined);
    } else if (kind === 'growth') {
      verdict = 'unknown';
      growthBound ??= growthAttempts(node, loop, growing, context);
    } else if (leavesOnSuccess(node.consequent)) {
      return true;
    } else if (kind === 'deadline' || kind === 'other') {
      verdict = 'unknown';
    }
    return true;
  });
  if (verdict === 'unbounded') return { facts: { max: known('unbounded', loopHead(loop, context)) } };
  if (verdict === 'bounded' && counterGuard?.limit !== undefined) {
    const guard = counterGuard;
    const limit = guard.limit!;
    const declaration = context.index.lookup(guard.name, loop);
    const start = declaration?.kind === 'variable' && declaration.init ? context.evaluate.number(declaration.init) : undefined;
    if (start === 0) {
      // `if (++attempt >= N) throw` stops after N tries; `> N` after N + 1.
      const attempts = guard.inclusive ? limit : limit + 1;
      return { facts: { max: known(attempts) }, counter: { name: guard.name, firstValue: guard.preIncrement ? 1 : 0 } };
    }
  }
  if (growthBound) return growthBound;
  return { facts: { max: unknown('bounded by a guard that is not understood') } };
}

/** Names multiplied on each pass of the loop (`delay *= 2`, `delay = delay * 2`), with the factor. */
function growingNames(loop: LoopNode, context: ExtractionContext): Map<string, { factor: number; node: Node }> {
  const names = new Map<string, { factor: number; node: Node }>();
  walkWithinFunction(loop.body, (node) => {
    if (node.type !== 'AssignmentExpression' || node.left.type !== 'Identifier') return true;
    const right = stripCasts(node.right);
    let factor: number | undefined;
    if (node.operator === '*=') factor = context.evaluate.number(node.right);
    else if (node.operator === '=' && right.type === 'BinaryExpression' && right.operator === '*') {
      const [a, b] = [stripCasts(right.left as Node), stripCasts(right.right)];
      const name = node.left.name;
      const other = a.type === 'Identifier' && a.name === name ? b : b.type === 'Identifier' && b.name === name ? a : undefined;
      factor = other ? context.evaluate.number(other) : undefined;
    }
    if (factor !== undefined && factor > 1) names.set(node.left.name, { factor, node });
    return true;
  });
  return names;
}

/**
 * `delay *= 2; if (delay > LIMIT) throw`: the attempts until the delay passes the limit,
 * when the start, factor and limit are known (0.125 s doubling past 60 s: 9 attempts).
 */
function growthAttempts(statement: TSESTree.IfStatement, loop: LoopNode, growing: ReadonlyMap<string, { factor: number; node: Node }>, context: ExtractionContext): LoopAttempts | undefined {
  const test = stripCasts(statement.test);
  if (test.type !== 'BinaryExpression' || test.left.type === 'PrivateIdentifier') return undefined;
  const left = stripCasts(test.left);
  if (left.type !== 'Identifier' || (test.operator !== '>' && test.operator !== '>=')) return undefined;
  const growth = growing.get(left.name);
  const limit = context.evaluate.number(test.right);
  const declaration = context.index.lookup(left.name, loop);
  const start = declaration?.kind === 'variable' && declaration.init ? context.evaluate.number(declaration.init) : undefined;
  if (!growth || limit === undefined || start === undefined || start <= 0) return { facts: { max: unknown('bounded by a growing delay') } };
  // The failures before the test: one multiplication each when the growth comes first.
  const grownFirst = growth.node.range[0] < statement.range[0];
  let failures = 0;
  let value = start;
  while (failures < 1_000) {
    failures++;
    if (grownFirst) value *= growth.factor;
    if (test.operator === '>' ? value > limit : value >= limit) break;
    if (!grownFirst) value *= growth.factor;
  }
  return { facts: { max: known(failures, context.span(test)) } };
}

/** A `return res` after a success test (`if (res.ok) return res`) is not a limit. */
function leavesOnSuccess(statement: Node): boolean {
  const statements = statement.type === 'BlockStatement' ? statement.body : [statement];
  return statements.some((current) => current.type === 'ReturnStatement' && current.argument !== null);
}

function updatedNames(loop: LoopNode): Set<string> {
  const names = new Set<string>();
  walkWithinFunction(loop, (node) => {
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') names.add(node.argument.name);
    if (node.type === 'AssignmentExpression' && (node.operator === '+=' || node.operator === '-=') && node.left.type === 'Identifier') names.add(node.left.name);
    if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'Identifier' && isStep(node.right, node.left.name)) names.add(node.left.name);
    return true;
  });
  return names;
}

/** `n + 1` / `n - 1` for a counter `n`. */
function isStep(expression: Node, name: string): boolean {
  const node = stripCasts(expression);
  return node.type === 'BinaryExpression' && (node.operator === '+' || node.operator === '-') && node.left.type === 'Identifier' && node.left.name === name && stripCasts(node.right).type === 'Literal';
}

function exitKind(test: Node, updated: ReadonlySet<string>, growing: ReadonlyMap<string, unknown>): 'counter' | 'growth' | 'deadline' | 'classification' | 'other' {
  let kind: 'counter' | 'growth' | 'deadline' | 'classification' | 'other' = 'other';
  walkWithinFunction(test, (node) => {
    if (node.type === 'Identifier' && updated.has(node.name)) kind = 'counter';
    if (kind === 'counter') return false;
    if (node.type === 'Identifier' && growing.has(node.name)) kind = 'growth';
    if (node.type === 'CallExpression') {
      const path = memberPath(node.callee)?.join('.');
      if (path === 'Date.now' || path === 'performance.now') kind = 'deadline';
    }
    if (kind === 'other' && (isStatusExpression(node) || isErrorName(node) || isOkTest(node))) kind = 'classification';
    return true;
  });
  return kind;
}

function isErrorName(node: Node): boolean {
  if (node.type === 'Identifier') return /^(e|err|error|ex|exception|reason|cause)$/.test(node.name);
  return false;
}

function isOkTest(node: Node): boolean {
  const path = memberPath(node);
  return !!path && path.length >= 2 && path[path.length - 1] === 'ok';
}

function readCounterGuard(test: Node, context: ExtractionContext): { name: string; limit?: number; inclusive: boolean; preIncrement: boolean } | undefined {
  const node = stripCasts(test);
  if (node.type !== 'BinaryExpression' || node.left.type === 'PrivateIdentifier') return undefined;
  if (node.operator !== '>=' && node.operator !== '>') return undefined;
  const left = stripCasts(node.left);
  const preIncrement = left.type === 'UpdateExpression' && left.prefix && left.operator === '++';
  const name = counterName(node.left);
  if (!name) return undefined;
  const limit = context.evaluate.number(node.right);
  return { name, ...(limit !== undefined ? { limit } : {}), inclusive: node.operator === '>=', preIncrement };
}

/**
 * A function that calls itself from its failure path: `catch (e) { ...; return f(x, n + 1) }`.
 */
export function recognizeRecursion(fn: FunctionNode, context: ExtractionContext): RetrySite | undefined {
  const name = functionName(fn, context);
  if (!name || fn.body.type !== 'BlockStatement') return undefined;
  const selfCalls: TSESTree.CallExpression[] = [];
  // Into nested functions too: a self call in `.catch(() => run(n + 1))` retries through the callback.
  walk(fn.body, (node) => {
    if (node.type === 'CallExpression' && isSelfCall(node, name, fn, context) && inFailurePath(node, fn, context)) selfCalls.push(node);
  });
  if (selfCalls.length === 0) return undefined;
  // `return run(n + 1)`, and `return new Promise((r) => setTimeout(() => r(run(n + 1)), d))`.
  const isRetryCall = (node: Node): boolean => {
    const value = unwrap(node);
    if (value.type === 'CallExpression' && selfCalls.includes(value)) return true;
    return (value.type === 'NewExpression' || value.type === 'CallExpression') && selfCalls.some((call) => within(call, value));
  };
  const semantics: RegionSemantics = {
    throwRetries: () => false,
    isRetryCall,
  };
  const analysed = analyseRegion(fn.body, semantics, context);
  // What the retry's callbacks do before the self call (`.catch(async () => { await sleep(d); return run() })`).
  const callbacks = retryCallbacks(selfCalls, fn, context).map((callback) => analyseRegion(callback.body, semantics, context));
  const region = {
    ...analysed,
    waits: [...analysed.waits, ...callbacks.flatMap((callback) => callback.waits), ...deferredWaits(selfCalls, fn, context)],
    opaqueWaits: analysed.opaqueWaits || callbacks.some((callback) => callback.opaqueWaits),
    opaqueWaitArguments: [...analysed.opaqueWaitArguments, ...callbacks.flatMap((callback) => callback.opaqueWaitArguments)],
    headerReads: [...analysed.headerReads, ...callbacks.flatMap((callback) => callback.headerReads)],
    retryAfterNames: new Set([...analysed.retryAfterNames, ...callbacks.flatMap((callback) => [...callback.retryAfterNames])]),
    growing: new Map([...analysed.growing, ...growingArguments(fn, selfCalls, context)]),
    // The status tests of `.then((res) => { if (res.status === 503) ... })` decide the retry too.
    retriedStatuses: [...analysed.retriedStatuses, ...callbacks.flatMap((callback) => callback.retriedStatuses)],
    classifies: analysed.classifies || callbacks.some((callback) => callback.classifies),
    stopsOnPermanent: analysed.stopsOnPermanent || callbacks.some((callback) => callback.stopsOnPermanent),
    handlesRateLimitType: analysed.handlesRateLimitType || callbacks.some((callback) => callback.handlesRateLimitType),
    testsStatus: analysed.testsStatus || callbacks.some((callback) => callback.testsStatus),
  };
  const attempts = recursionAttempts(fn, selfCalls, context);
  if (!retriesRemoteOperation(region, context, attempts.counter)) return undefined;
  const handler = enclosingCatch(selfCalls[0], fn, context);
  // A `.catch` on fetch alone sees transport failures only: a 401 resolves, it is not retried.
  const rejection = handler ? undefined : failureCallback(selfCalls[0], fn, context);
  const onFailure = rejection && region.calls.some((call) => rejectsOnErrorStatus(call.facts.library, context)) ? rejection : undefined;
  const catchAllSpan = handler ? clauseHead(handler, context) : onFailure ? headSpan(onFailure.range[0], onFailure.body.range[0], context) : undefined;
  const tryStatement = handler ? context.index.parents.get(handler) : undefined;
  const blindCatch = tryStatement?.type === 'TryStatement' && catchTakesHttpErrorsBlindly(tryStatement, context);
  const [errorParam, catchBody] = handler ? [handler.param, handler.body] : onFailure ? [onFailure.params[0] ?? null, onFailure.body] : [null, undefined];
  const helperDecides = catchBody ? catchDefersToHelper(errorParam, catchBody) : false;
  const catchTests = catchBody ? catchTestsError(errorParam, catchBody) : false;
  return makeSite(context.identity('recursion', 'hand-written', fn, selfCalls[0]), {
    isAsync: known(fn.async),
    attempts: attempts.facts,
    delay: delayFacts(region, attempts.counter, context),
    retryOn: retryOnFacts(region, { catchesErrors: handler !== undefined || onFailure !== undefined, blindCatch, helperDecides, catchTests, ...(catchAllSpan ? { catchAllSpan } : {}) }),
    retryAfter: retryAfterFacts(region, context),
    calls: region.calls.map((call) => finishCall(call, region, context)),
    sleep: sleepFacts(region, fn, undefined, context),
  });
}

function functionName(fn: FunctionNode, context: ExtractionContext): string | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id?.name;
  const parent = context.index.parents.get(fn);
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && !parent.computed) {
    const key = propertyName(parent.key, false);
    return key === undefined ? undefined : `this.${key}`;
  }
  return undefined;
}

function isSelfCall(call: TSESTree.CallExpression, name: string, fn: FunctionNode, context: ExtractionContext): boolean {
  const path = memberPath(call.callee)?.join('.');
  if (path !== name) return false;
  if (name.startsWith('this.')) return true;
  return context.index.functionOf(call.callee) === fn;
}

function enclosingCatch(node: Node, fn: FunctionNode, context: ExtractionContext): TSESTree.CatchClause | undefined {
  let current = context.index.parents.get(node);
  while (current && current !== fn) {
    if (current.type === 'CatchClause') return current;
    current = context.index.parents.get(current);
  }
  return undefined;
}

/** `.catch((error) => ...)`, `.then(ok, (error) => ...)`: the callback that takes every rejection, when the self call is in it. */
function failureCallback(call: Node, fn: FunctionNode, context: ExtractionContext): FunctionNode | undefined {
  let current = context.index.parents.get(call);
  while (current && current !== fn) {
    if (isFunction(current) && callbackRole(current, context) === 'on-failure') return current;
    current = context.index.parents.get(current);
  }
  return undefined;
}

/** A self call in a catch clause or after a status test is a retry; elsewhere it is plain recursion. */
function inFailurePath(call: Node, fn: FunctionNode, context: ExtractionContext): boolean {
  let current = context.index.parents.get(call);
  while (current && current !== fn) {
    if (current.type === 'CatchClause') {
      const statement = context.index.parents.get(current);
      return statement?.type !== 'TryStatement' || awaitsIn(statement.block);
    }
    if (current.type === 'IfStatement' && mentionsStatus(current.test)) {
      return !reauthentication(current, context) && !oneShotRedispatch(current.test, call, fn) && !followsRedirect(current.test);
    }
    if (isFunction(current)) {
      const callback = callbackRole(current, context);
      if (callback === 'on-failure') return true;
      if (callback !== 'deferred') return false;
    }
    current = context.index.parents.get(current);
  }
  return false;
}

/**
 * A callback that runs on failure (`.catch(cb)`, `.then(ok, cb)`), or later on the same path
 * (`setTimeout(cb, ms)`, `.then(cb)`): a self call inside it retries through the callback.
 */
function callbackRole(fn: Node, context: ExtractionContext): 'on-failure' | 'deferred' | undefined {
  const call = context.index.parents.get(fn);
  // `new Promise((resolve) => setTimeout(...))`: the executor runs at once, on the way to the timer.
  if (call?.type === 'NewExpression' && call.arguments[0] === fn && call.callee.type === 'Identifier' && call.callee.name === 'Promise') return 'deferred';
  if (call?.type !== 'CallExpression') return undefined;
  const index = call.arguments.indexOf(fn as TSESTree.CallExpressionArgument);
  const callee = stripCasts(call.callee);
  if (callee.type === 'MemberExpression') {
    const method = propertyName(callee.property, callee.computed);
    if ((method === 'catch' && index === 0) || (method === 'then' && index === 1)) return 'on-failure';
    if (method === 'then' && index === 0) return 'deferred';
    return undefined;
  }
  return callee.type === 'Identifier' && callee.name === 'setTimeout' && index === 0 ? 'deferred' : undefined;
}

/** The callbacks (on failure, or deferred) that hold self calls, innermost first. */
function retryCallbacks(selfCalls: readonly TSESTree.CallExpression[], fn: FunctionNode, context: ExtractionContext): FunctionNode[] {
  const callbacks = new Set<FunctionNode>();
  for (const selfCall of selfCalls) {
    let current = context.index.parents.get(selfCall);
    while (current && current !== fn) {
      if (isFunction(current)) callbacks.add(current as FunctionNode);
      current = context.index.parents.get(current);
    }
  }
  return [...callbacks];
}

/** `setTimeout(() => run(n + 1), delay)`, `sleep(delay).then(() => run(n + 1))`: the wait before the next attempt. */
function deferredWaits(selfCalls: readonly TSESTree.CallExpression[], fn: FunctionNode, context: ExtractionContext): Wait[] {
  const waits: Wait[] = [];
  for (const selfCall of selfCalls) {
    let current = context.index.parents.get(selfCall);
    while (current && current !== fn && !isFunction(current)) current = context.index.parents.get(current);
    if (!current || current === fn || callbackRole(current, context) !== 'deferred') continue;
    const timer = context.index.parents.get(current) as TSESTree.CallExpression;
    const callee = stripCasts(timer.callee);
    if (callee.type === 'MemberExpression') {
      // `sleep(delay).then(() => run(n + 1))`
      const wait = promisedWait(callee.object, callee.object, context);
      if (wait) waits.push(wait);
      continue;
    }
    const argument = timer.arguments[1];
    waits.push({ node: timer, ...(argument ? { argument } : {}), scale: 1, blocking: false });
  }
  return waits;
}

/** `run(url, delay * 2)`: parameters the self call multiplies, as a loop's `delay *= 2`. */
function growingArguments(fn: FunctionNode, selfCalls: readonly TSESTree.CallExpression[], context: ExtractionContext): Map<string, number> {
  const growing = new Map<string, number>();
  const [selfCall] = selfCalls;
  fn.params.forEach((param, index) => {
    const name = param.type === 'Identifier' ? param.name : param.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
    const argument = selfCall?.arguments[index] ? stripCasts(selfCall.arguments[index]) : undefined;
    if (!name || argument?.type !== 'BinaryExpression' || argument.operator !== '*') return;
    const [named, other] = argument.left.type === 'Identifier' && argument.left.name === name ? [argument.left, argument.right] : [argument.right, argument.left];
    if (named.type !== 'Identifier' || named.name !== name) return;
    const factor = context.evaluate.number(other);
    if (factor !== undefined && factor > 1) growing.set(name, factor);
  });
  return growing;
}

/** `if (res.status === 401 && ...) { refreshToken(); return f(...) }`: a new request with new credentials. */
function reauthentication(statement: TSESTree.IfStatement, context: ExtractionContext): boolean {
  const matches: StatusMatch[] = [];
  walkWithinFunction(statement.test, (node) => {
    const test = statusTestAt(node, context);
    if (test && !test.negated) matches.push(...test.matches);
    return true;
  });
  return onlyAuthStatuses(matches) && renewsCredentials(statement.consequent, context);
}

/**
 * `if (res.status === 421 && !isNewConnection) return f(params, true)`: the failure path runs
 * only while a flag is off and the self call turns it on, so it sends one different request
 * (on a new connection, with new credentials), not a retry of the same one.
 */
/**
 * `if (isRedirect(res.statusCode))` or `if (res.status === 301 || res.status === 302)`: asking
 * again at the Location a 3xx names follows a redirect; it is not a retry of a failure.
 */
function followsRedirect(test: Node): boolean {
  let redirectWords = false;
  const statuses: number[] = [];
  walkWithinFunction(test, (node) => {
    if (node.type === 'Identifier' && /redirect/i.test(node.name)) redirectWords = true;
    // Numbers that can be statuses; a hop counter's `< 20` is not one.
    if (node.type === 'Literal' && typeof node.value === 'number' && node.value >= 100 && node.value < 600) statuses.push(node.value);
  });
  if (statuses.length > 0) return statuses.every((status) => status >= 300 && status < 400);
  return redirectWords;
}

function oneShotRedispatch(test: Node, call: Node, fn: FunctionNode): boolean {
  const flags = flagsRequiredOff(test);
  if (flags.size === 0 || call.type !== 'CallExpression') return false;
  return call.arguments.some((argument, index) => {
    const param = fn.params[index];
    const name = param?.type === 'Identifier' ? param.name : param?.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
    if (name && flags.has(name) && isTrueLiteral(argument)) return true;
    let found = false;
    walkWithinFunction(argument, (node) => {
      if (node.type === 'Property' && flags.has(propertyName(node.key, node.computed) ?? '') && isTrueLiteral(node.value)) found = true;
      return !found;
    });
    return found;
  });
}

/** Names tested as `!flag` / `!a.b.flag` / `!a?.['flag']`. */
function flagsRequiredOff(test: Node): Set<string> {
  const names = new Set<string>();
  walkWithinFunction(test, (node) => {
    if (node.type === 'UnaryExpression' && node.operator === '!') {
      const path = memberPath(node.argument);
      const last = path?.[path.length - 1];
      if (last) names.add(last);
    }
    return true;
  });
  return names;
}

function isTrueLiteral(node: Node): boolean {
  const value = stripCasts(node);
  return value.type === 'Literal' && value.value === true;
}

function mentionsStatus(test: Node): boolean {
  let found = false;
  walkWithinFunction(test, (node) => {
    if (isStatusExpression(node) || isOkTest(node)) found = true;
    return !found;
  });
  return found;
}

/** The counter parameter the self call changes, and the guard that stops it. */
function recursionAttempts(fn: FunctionNode, selfCalls: readonly TSESTree.CallExpression[], context: ExtractionContext): LoopAttempts {
  const selfCall = selfCalls[0];
  for (let index = 0; index < fn.params.length; index++) {
    const param = fn.params[index];
    const name = param.type === 'Identifier' ? param.name : param.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : undefined;
    const argument = selfCall.arguments[index];
    if (!name || !argument) continue;
    const step = stepOf(argument, name, context);
    if (step === undefined) continue;
    const start = param.type === 'AssignmentPattern' ? context.evaluate.number(param.right) : undefined;
    const guard = guardOn(fn, name, selfCalls, context);
    if (!guard) return { facts: { max: known('unbounded', context.span(selfCall)) } };
    if (start === undefined || guard.limit === undefined) return { facts: { max: unknown('counter start or limit not visible') } };
    const attempts = step > 0 ? guardedAttemptsUp(start, guard) : guardedAttemptsDown(start, guard);
    return attempts === undefined ? { facts: { max: unknown() } } : { facts: { max: known(attempts, guard.span) }, counter: { name, firstValue: start } };
  }
  // No counter passed along: nothing stops the recursion, unless a guard we cannot read does.
  const guarded = hasLeavingGuard(fn, selfCalls, context) || testsCounterKeptElsewhere(fn, selfCalls, context);
  return guarded ? { facts: { max: unknown('guard not understood') } } : { facts: { max: known('unbounded', context.span(selfCall)) } };
}

function stepOf(argument: Node, name: string, context: ExtractionContext): number | undefined {
  const node = stripCasts(argument);
  if (node.type === 'BinaryExpression' && (node.operator === '+' || node.operator === '-') && node.left.type === 'Identifier' && node.left.name === name) {
    const amount = context.evaluate.number(node.right);
    return amount === undefined ? undefined : node.operator === '+' ? amount : -amount;
  }
  if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier' && node.argument.name === name) {
    return node.operator === '++' ? 1 : -1;
  }
  return undefined;
}

interface Guard {
  readonly operator: string;
  readonly limit?: number;
  readonly span: ReturnType<ExtractionContext['span']>;
}

/** The function's body and the callbacks its retry runs through (`.catch(e => { if (n <= 0) throw e; ... })`). */
function retryPathWalk(fn: FunctionNode, selfCalls: readonly TSESTree.CallExpression[], context: ExtractionContext, visit: (node: Node) => boolean): void {
  for (const body of [fn.body, ...retryCallbacks(selfCalls, fn, context).map((callback) => callback.body)]) walkWithinFunction(body, visit);
}

function guardOn(fn: FunctionNode, name: string, selfCalls: readonly TSESTree.CallExpression[], context: ExtractionContext): Guard | undefined {
  let guard: Guard | undefined;
  retryPathWalk(fn, selfCalls, context, (node) => {
    if (guard) return false;
    if (node.type !== 'IfStatement') return true;
    const comparison = comparisonOn(node.test, name);
    if (!comparison) return true;
    const leftIsCounter = comparison.left.type === 'Identifier' && comparison.left.name === name;
    const flipped: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };
    const operator = leftIsCounter ? comparison.operator : (flipped[comparison.operator] ?? comparison.operator);
    const limit = context.evaluate.number(leftIsCounter ? comparison.right : (comparison.left as Node));
    const retries = selfCalls.some((call) => node.consequent.range[0] <= call.range[0] && call.range[1] <= node.consequent.range[1]);
    // `if (n < N) return f(n + 1)` guards the retry branch; `if (n >= N) throw` the stop branch.
    const effective = !retries && alwaysLeaves(node.consequent) ? operator : (negate(operator) ?? operator);
    guard = { operator: effective, ...(limit !== undefined ? { limit } : {}), span: context.span(comparison) };
    return false;
  });
  return guard;
}

/** The comparison of the counter in a test, also inside `a && b` / `a || b`. */
function comparisonOn(test: Node, name: string): TSESTree.BinaryExpression | undefined {
  const node = stripCasts(test);
  if (node.type === 'LogicalExpression') return comparisonOn(node.left, name) ?? comparisonOn(node.right, name);
  if (node.type !== 'BinaryExpression' || node.left.type === 'PrivateIdentifier') return undefined;
  const isCounter = (side: Node): boolean => side.type === 'Identifier' && side.name === name;
  return isCounter(node.left) || isCounter(node.right) ? node : undefined;
}

function negate(operator: string): string | undefined {
  return ({ '<': '>=', '<=': '>', '>': '<=', '>=': '<', '===': '!==', '!==': '===' } as Record<string, string>)[operator];
}

/** Counter counts up from `start`; the guard stops once it holds. */
function guardedAttemptsUp(start: number, guard: Guard): number | undefined {
  const limit = guard.limit!;
  switch (guard.operator) {
    case '>=':
    case '===':
    case '==':
      return limit - start + 1;
    case '>':
      return limit - start + 2;
    default:
      return undefined;
  }
}

function guardedAttemptsDown(start: number, guard: Guard): number | undefined {
  const limit = guard.limit!;
  switch (guard.operator) {
    case '<=':
    case '===':
    case '==':
      return start - limit + 1;
    case '<':
      return start - limit + 2;
    default:
      return undefined;
  }
}

function hasLeavingGuard(fn: FunctionNode, selfCalls: readonly TSESTree.CallExpression[], context: ExtractionContext): boolean {
  let found = false;
  retryPathWalk(fn, selfCalls, context, (node) => {
    if (node.type === 'IfStatement' && node.consequent.type !== 'EmptyStatement' && /ThrowStatement/.test(node.consequent.type)) found = true;
    if (node.type === 'IfStatement' && node.consequent.type === 'BlockStatement' && node.consequent.body.some((s) => s.type === 'ThrowStatement')) found = true;
    return !found;
  });
  return found;
}
