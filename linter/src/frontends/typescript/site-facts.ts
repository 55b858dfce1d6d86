/**
 * Turns a retried region's facts into the RetrySite fact groups that hand-written retries
 * and wrapper libraries share: what is retried on, Retry-After handling, waits and sleeps.
 */
import { known, unknown, type CancellationFacts, type DelayFacts, type Maybe, type RetryAfterFacts, type RetryOnFacts, type SleepFacts, type Span } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { readDelay, type Counter } from './delay-expression.js';
import { waitUsesRetryAfter, type RegionFacts } from './region.js';
import { headerReadAt } from './retry-after.js';
import type { Wait } from './sleeps.js';
import { recognizeCall } from './recognizers/calls.js';
import { stripCasts, type FunctionNode, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

export interface RetryOnOptions {
  /** The place that catches every error, when the retry has one (a catch clause, the wrapper). */
  readonly catchAllSpan?: Span;
  /** Errors reach the retry at all (a catch, or a wrapper that retries on throw). */
  readonly catchesErrors: boolean;
  /** The catch takes HTTP errors without looking at them, whatever the response path tests. */
  readonly blindCatch?: boolean;
  /** The catch hands the error to a helper and tests its answer: the helper classifies. */
  readonly helperDecides?: boolean;
  /** The catch takes transport failures only, and the statuses are judged outside the retry. */
  readonly transportOnly?: boolean;
  /** The catch tests the error (its type, code or message) before it goes on. */
  readonly catchTests?: boolean;
}

export function retryOnFacts(region: RegionFacts, options: RetryOnOptions): Partial<RetryOnFacts> {
  const classified = region.classifies || options.transportOnly === true || options.catchTests === true;
  const catchAll = options.blindCatch === true || (options.catchesErrors && !classified && !region.stopsOnPermanent);
  return {
    statuses: known(region.retriedStatuses),
    ...(region.statusList ? { statusList: region.statusList } : {}),
    errorCodes: region.errorCodes,
    errorTypes: known(region.errorTypes),
    catchAll: catchAll && options.helperDecides === true ? unknown('a helper decides') : known(catchAll),
    ...(catchAll && options.catchAllSpan ? { catchAllSpan: options.catchAllSpan } : {}),
    abortsOnPermanent: known(region.stopsOnPermanent && options.blindCatch !== true),
    cancellation: cancellationFacts(region, catchAll),
  };
}

function cancellationFacts(region: RegionFacts, catchAll: boolean): CancellationFacts {
  const span = region.abortSpan ? { span: region.abortSpan } : {};
  if (region.abortRetried && !region.abortGuarded) return { retried: known(true), guarded: false, ...span };
  if (region.abortGuarded) return { retried: known(false), guarded: true, ...span };
  if (region.signalFromCaller) return { retried: catchAll ? known(true) : unknown('classification may exclude aborts'), guarded: false, ...span };
  return { retried: known(false), guarded: false };
}

/** The backoff wait: the first wait whose duration does not come from Retry-After, else the first wait. */
export function backoffWait(region: RegionFacts): Wait | undefined {
  return region.waits.find((wait) => !waitUsesRetryAfter(wait, region)) ?? region.waits[0];
}

export function delayFacts(region: RegionFacts, counter: Counter | undefined, context: ExtractionContext): Partial<DelayFacts> {
  const wait = backoffWait(region);
  if (!wait) {
    if (region.opaqueWaits) return {};
    return { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none') };
  }
  if (!wait.argument) {
    return { strategy: unknown('wait without a duration'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span: context.span(wait.node) };
  }
  if (wait.scale === undefined) return { span: context.span(wait.node) };
  return readDelay(backoffBranch(wait.argument, region, context), wait.scale, context, counter, region.growing, region.root);
}

/**
 * `const ms = retryAfter ? Number(retryAfter) * 1000 : calculateDelay(attempt)`: the branch that
 * does not come from Retry-After is the backoff (the other is judged by respect-retry-after).
 */
function backoffBranch(argument: Node, region: RegionFacts, context: ExtractionContext): Node {
  let node = stripCasts(argument);
  if (node.type === 'Identifier') {
    const init = context.index.constantInit(node);
    if (init && region.root.range[0] <= init.range[0] && init.range[1] <= region.root.range[1]) node = stripCasts(init);
  }
  if (node.type !== 'ConditionalExpression') return argument;
  const fromHeader = (branch: Node) => waitUsesRetryAfter({ node: branch, argument: branch, scale: 1, blocking: false }, region);
  const [consequent, alternate] = [fromHeader(node.consequent), fromHeader(node.alternate)];
  if (consequent === alternate) return argument;
  return consequent ? node.alternate : node.consequent;
}

export function retryAfterFacts(region: RegionFacts, context: ExtractionContext): Partial<RetryAfterFacts> {
  const rateLimitStatus = region.retriedStatuses.find((match) => (match.min <= 429 && 429 <= match.max) || (match.min <= 503 && 503 <= match.max));
  // Reading Retry-After in the retry itself says the code means to handle rate limits, even when
  // the statuses it retries are decided out of sight (`shouldRetry(response)`).
  const readsRetryAfter = region.headerReads.some((read) => read.header !== 'x-ratelimit-reset' && headerReadAt(read.node, context) !== undefined);
  const handlesRateLimit = rateLimitStatus !== undefined || region.handlesRateLimitType || readsRetryAfter;
  const read: Maybe<boolean> = region.headerReads.length > 0 ? known(true) : region.opaqueRetryAfterHelper ? unknown('helper') : known(false);
  const usedAsDelay = region.waits.some((wait) => waitUsesRetryAfter(wait, region));
  // `await helpers.default(retrySec * 1000)`: a call this file cannot see may be the sleep.
  const maybeUsed = !usedAsDelay && awaitsOpaqueCallWithRetryAfter(region, context);
  const readSpan = region.headerReads[0] ? context.span(region.headerReads[0].node) : undefined;
  const span = readSpan ?? rateLimitStatus?.span ?? region.rateLimitSpan;
  return {
    handlesRateLimit: known(handlesRateLimit),
    honouredByLibrary: known(false),
    read,
    usedAsDelay: read.kind === 'known' && read.value ? (maybeUsed ? unknown('an unknown call may sleep it') : known(usedAsDelay)) : read,
    forms: [...region.retryAfterForms],
    capMs: region.retryAfterCap !== undefined ? known(region.retryAfterCap) : usedAsDelay ? known('none') : unknown(),
    ...(span ? { span } : {}),
  };
}

/** An awaited call that is neither a known sleep nor a request, with a Retry-After value in its arguments. */
function awaitsOpaqueCallWithRetryAfter(region: RegionFacts, context: ExtractionContext): boolean {
  let found = false;
  walkWithinFunction(region.root, (node) => {
    if (found) return false;
    if (node.type !== 'AwaitExpression') return true;
    const call = stripCasts(node.argument);
    if (call.type !== 'CallExpression' || context.index.functionOf(call.callee) || recognizeCall(call, context)) return true;
    if (region.waits.some((wait) => wait.node === node)) return true;
    found = call.arguments.some((argument) => waitUsesRetryAfter({ node: argument, argument, scale: 1, blocking: false }, region));
    return !found;
  });
  return found;
}

/** `librarySleeps`: the library waits between attempts (wrappers), not only the region's own waits. */
export function sleepFacts(
  region: RegionFacts,
  fn: FunctionNode | undefined,
  permit: Node | undefined,
  context: ExtractionContext,
  librarySleeps = false,
): Partial<SleepFacts> {
  const sleeps = librarySleeps || region.waits.length > 0;
  const isAsync = fn?.async === true;
  const blocking = region.waits.filter((wait) => wait.blocking);
  const facts: { -readonly [K in keyof SleepFacts]?: SleepFacts[K] } = {
    blockingInAsync: fn ? known(isAsync && blocking.length > 0) : unknown(),
    permitHeld: known(permit !== undefined && sleeps),
  };
  if (blocking.length > 0 && isAsync) {
    facts.blockingCalls = blocking.map((wait) => ({
      span: context.span(wait.node),
      callee: context.span(wait.callee ?? wait.node),
      ...(wait.argument ? { argument: context.span(wait.argument) } : {}),
    }));
    facts.blockingCall = facts.blockingCalls[0];
  }
  if (permit && sleeps) facts.permitSpan = context.span(permit);
  return facts;
}
