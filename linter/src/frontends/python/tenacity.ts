/**
 * tenacity: `@retry` (bare or called), `Retrying` / `AsyncRetrying` (as a loop or a
 * wrapper). Without stop= it retries forever, without wait= it does not wait, without
 * retry= it retries every Exception.
 */
import {
  known,
  makeSite,
  unknown,
  type AttemptsFacts,
  type DelayFacts,
  type JitterLever,
  type RetryOnFacts,
  type RetrySite,
  type Span,
  type StatusMatch,
} from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { decoratedFunction, functionRegion, regionFacts, type LibrarySite, type Region } from './library-sites.js';
import { sdkErrorStatuses } from './sdk-errors.js';
import { childByField, namedChildren, unwrap, walk, type PyNode } from './syntax-tree.js';

const MAX_WAIT_S = Number.MAX_SAFE_INTEGER;

/** `tenacity.stop_after_attempt` -> `stop_after_attempt` (for any tenacity submodule). */
function tenacityName(analysis: Analysis, node: PyNode | undefined): string | undefined {
  const qualified = analysis.file.qualify(node);
  if (!qualified || !/^tenacity(\.|$)/.test(qualified)) return undefined;
  return qualified.split('.').pop();
}

function calleeOf(node: PyNode): PyNode | undefined {
  const inner = unwrap(node);
  return inner.type === 'call' ? childByField(inner, 'function') : inner;
}

export function parseStop(analysis: Analysis, node: PyNode | undefined, container: PyNode | undefined): AttemptsFacts {
  const { file, values } = analysis;
  // No lever when stop= is missing: the value would have to be `stop_after_attempt(n)`.
  if (!node) return { max: known('unbounded', container ? file.span(container) : undefined) };
  const inner = unwrap(values.follow(node));
  if (inner.type === 'binary_operator' && file.textOf(childByField(inner, 'operator') as PyNode) === '|') {
    const left = parseStop(analysis, childByField(inner, 'left'), undefined);
    const right = parseStop(analysis, childByField(inner, 'right'), undefined);
    const attempts = [left, right].find((part) => part.max.kind === 'known');
    const deadline = [left, right].find((part) => part.deadlineMs?.kind === 'known');
    return {
      max: attempts?.max ?? (deadline ? unknown('deadline only') : unknown()),
      ...(attempts?.slot ? { slot: attempts.slot } : {}),
      ...(deadline?.deadlineMs ? { deadlineMs: deadline.deadlineMs } : {}),
    };
  }
  const name = tenacityName(analysis, calleeOf(inner));
  if (name === 'stop_never') return { max: known('unbounded', file.span(inner)) };
  if (inner.type !== 'call') return { max: unknown('stop not recognised') };
  const args = new CallArguments(file, inner);
  if (name === 'stop_after_attempt') {
    const value = values.evaluateNumber(args.get('max_attempt_number', 0));
    const slot = args.slot('max_attempt_number', 'attempts', 0);
    const literal = args.get('max_attempt_number', 0);
    return {
      max: value !== undefined ? known(value, file.span(inner)) : unknown('not constant'),
      ...(slot && literal?.type === 'integer' ? { slot } : {}),
    };
  }
  if (name === 'stop_after_delay' || name === 'stop_before_delay') {
    const seconds = values.evaluateNumber(args.get('max_delay', 0));
    return { max: unknown('deadline only'), deadlineMs: seconds !== undefined ? known(seconds * 1000, file.span(inner)) : unknown() };
  }
  return { max: unknown('stop not recognised') };
}

export function parseWait(analysis: Analysis, node: PyNode | undefined): DelayFacts {
  const { file, values } = analysis;
  if (!node) return { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none') };
  const inner = unwrap(values.follow(node));
  const span = file.span(inner);
  if (inner.type === 'binary_operator' && file.textOf(childByField(inner, 'operator') as PyNode) === '+') {
    const left = parseWait(analysis, childByField(inner, 'left'));
    const right = parseWait(analysis, childByField(inner, 'right'));
    const growing = [left, right].find((part) => part.strategy.kind === 'known' && part.strategy.value !== 'constant' && part.strategy.value !== 'none');
    const randomPart = [left, right].find((part) => part !== growing && part.jitter.kind === 'known' && part.jitter.value !== 'none');
    if (growing && randomPart) return { ...growing, jitter: known('additive'), span };
    return { strategy: unknown('combined wait'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span };
  }
  if (inner.type !== 'call') return { strategy: unknown('wait not recognised'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span };
  const name = tenacityName(analysis, childByField(inner, 'function'));
  const args = new CallArguments(file, inner);
  const seconds = (keyword: string, index: number | undefined, fallback: number): number | undefined => {
    const given = args.get(keyword, index);
    if (!given) return args.mayHide(keyword) ? undefined : fallback;
    return values.evaluateNumber(given);
  };
  const ms = (value: number | undefined) => (value === undefined ? unknown('not constant') : known(value * 1000));
  switch (name) {
    case 'wait_none':
      return { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), span };
    case 'wait_fixed': {
      const wait = seconds('wait', 0, NaN);
      return { strategy: known('constant'), baseMs: ms(wait), capMs: ms(wait), jitter: known('none'), span };
    }
    case 'wait_random': {
      const low = seconds('min', 0, 0);
      const high = seconds('max', 1, 1);
      return { strategy: known('constant'), baseMs: ms(high), capMs: ms(high), jitter: known(low === 0 ? 'full' : 'additive'), span };
    }
    case 'wait_exponential':
    case 'wait_random_exponential':
    case 'wait_exponential_jitter': {
      const jitterKind = name === 'wait_exponential' ? 'none' : name === 'wait_random_exponential' ? 'full' : 'additive';
      const initialName = name === 'wait_exponential_jitter' ? 'initial' : 'multiplier';
      const multiplier = seconds(initialName, 0, 1);
      const defaultCap = name === 'wait_exponential_jitter' ? 60 : MAX_WAIT_S;
      const cap = seconds('max', name === 'wait_exponential_jitter' ? 1 : 1, defaultCap);
      const minimum = name === 'wait_exponential_jitter' ? 0 : seconds('min', 3, 0);
      const base = seconds('exp_base', name === 'wait_exponential_jitter' ? 2 : 2, 2);
      const capGiven = args.get('max', 1) !== undefined || name === 'wait_exponential_jitter';
      const capSlot = args.slot('max', 'seconds', name === 'wait_exponential_jitter' ? 1 : 1);
      const lever = name === 'wait_exponential' ? jitterRename(analysis, inner) : undefined;
      return {
        strategy: known('exponential'),
        baseMs: multiplier !== undefined && minimum !== undefined ? known(Math.max(multiplier, minimum) * 1000) : unknown(),
        factor: base !== undefined ? known(base) : unknown(),
        capMs: !capGiven ? known('none') : cap !== undefined ? known(cap * 1000) : unknown('cap not constant'),
        jitter: known(jitterKind),
        ...(capSlot ? { capSlot } : {}),
        ...(lever ? { jitterLever: lever } : {}),
        span,
      };
    }
    case 'wait_incrementing': {
      const start = seconds('start', 0, 0);
      const increment = seconds('increment', 1, 100);
      const cap = args.get('max', 2);
      return {
        strategy: known('linear'),
        baseMs: ms(start),
        stepMs: ms(increment),
        capMs: cap ? ms(values.evaluateNumber(cap)) : known('none'),
        jitter: known('none'),
        span,
      };
    }
    default:
      return { strategy: unknown('wait not recognised'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span };
  }
}

/** `wait_exponential` -> `wait_random_exponential`, when that name resolves here. */
function jitterRename(analysis: Analysis, call: PyNode): JitterLever | undefined {
  const callee = childByField(call, 'function');
  if (!callee) return undefined;
  if (callee.type === 'attribute') {
    const attribute = childByField(callee, 'attribute') as PyNode;
    return { kind: 'replace', span: analysis.file.span(attribute), text: 'wait_random_exponential' };
  }
  const local = analysis.file.localNameFor('tenacity.wait_random_exponential');
  if (local) return { kind: 'replace', span: analysis.file.span(callee), text: local };
  const module = [...analysis.file.imports].find(([, target]) => target === 'tenacity')?.[0];
  return module ? { kind: 'replace', span: analysis.file.span(callee), text: `${module}.wait_random_exponential` } : undefined;
}

function parseRetryCondition(analysis: Analysis, node: PyNode | undefined, whole: Span): Pick<RetryOnFacts, 'statuses' | 'errorTypes' | 'catchAll' | 'catchAllSpan' | 'cancellation'> {
  const { file, values } = analysis;
  if (!node) {
    return {
      statuses: known([]),
      errorTypes: known(['Exception']),
      catchAll: known(true),
      catchAllSpan: whole,
      cancellation: { retried: known(false), guarded: false },
    };
  }
  const types: string[] = [];
  const statuses: StatusMatch[] = [];
  let catchAll = false;
  let understood = true;
  const visit = (expression: PyNode): void => {
    const inner = unwrap(values.follow(expression));
    if (inner.type === 'binary_operator') {
      const left = childByField(inner, 'left');
      const right = childByField(inner, 'right');
      if (left) visit(left);
      if (right) visit(right);
      return;
    }
    const name = tenacityName(analysis, calleeOf(inner));
    if (name === 'retry_if_exception_type' && inner.type === 'call') {
      const args = new CallArguments(file, inner);
      const typeArg = args.get('exception_types', 0);
      if (!typeArg) {
        catchAll = true;
        types.push('Exception');
        return;
      }
      const target = unwrap(values.follow(typeArg));
      for (const type of target.type === 'tuple' ? namedChildren(target) : [target]) {
        const text = file.textOf(type).split('.').pop() as string;
        types.push(text);
        const sdkStatuses = sdkErrorStatuses(analysis, unwrap(type));
        if (sdkStatuses) statuses.push(sdkStatuses);
        if (/^(Exception|BaseException)$/.test(text)) catchAll = true;
      }
      return;
    }
    if (name === 'retry_always') {
      catchAll = true;
      return;
    }
    if (name && /^retry_(if|unless|never)/.test(name)) return;
    understood = false;
  };
  visit(node);
  const span = file.span(node);
  return {
    statuses: understood ? known(statuses) : unknown('predicate'),
    errorTypes: understood ? known(types) : unknown('predicate'),
    catchAll: understood ? known(catchAll) : unknown('predicate'),
    ...(catchAll ? { catchAllSpan: span } : {}),
    cancellation: { retried: known(types.some((type) => /BaseException|CancelledError/.test(type))), guarded: false, span },
  };
}

function buildSite(
  analysis: Analysis,
  id: string,
  kind: 'decorator' | 'wrapper',
  node: PyNode,
  call: PyNode | undefined,
  region: Region | undefined,
): RetrySite {
  const { file } = analysis;
  const args = call ? new CallArguments(file, call) : undefined;
  const span = file.span(node);
  const hidden = (name: string) => args?.mayHide(name) ?? false;
  const attempts = hidden('stop') ? { max: unknown('**kwargs') } : parseStop(analysis, args?.keyword('stop'), args?.list);
  const delay = hidden('wait') ? { strategy: unknown(), baseMs: unknown(), capMs: unknown(), jitter: unknown() } : parseWait(analysis, args?.keyword('wait'));
  const condition = hidden('retry')
    ? { statuses: unknown(), errorTypes: unknown(), catchAll: unknown(), cancellation: { retried: unknown(), guarded: false } }
    : parseRetryCondition(analysis, args?.keyword('retry'), span);
  const rateLimited = condition.errorTypes.kind === 'known' && condition.errorTypes.value.some((type) => /RateLimit|TooManyRequests/.test(type));
  const facts = regionFacts(analysis, region);
  return makeSite(
    { id, kind, language: 'python', library: 'tenacity', span, reportSpan: span },
    {
      isAsync: facts.isAsync,
      attempts,
      delay,
      retryOn: { ...condition, errorCodes: [] },
      retryAfter: {
        handlesRateLimit: known(rateLimited),
        honouredByLibrary: known(false),
        read: known(false),
        usedAsDelay: known(false),
        forms: [],
        capMs: unknown(),
        span,
      },
      calls: facts.calls,
      sleep: facts.sleep,
    },
  );
}

export function tenacitySites(analysis: Analysis): LibrarySite[] {
  const { file } = analysis;
  if (!file.importsModule('tenacity')) return [];
  const sites: LibrarySite[] = [];
  walk(file.root, (node) => {
    if (node.opaque) return false;
    if (node.hasError) return true;
    if (node.type === 'decorator') {
      const expression = namedChildren(node)[0];
      if (!expression) return false;
      const call = unwrap(expression).type === 'call' ? unwrap(expression) : undefined;
      const name = tenacityName(analysis, call ? childByField(call, 'function') : expression);
      const fn = decoratedFunction(node);
      if (name === 'retry' && fn) {
        const site = buildSite(analysis, `decorator@${node.start}`, 'decorator', node, call, functionRegion(fn));
        sites.push({ site, decorated: fn, decorator: node });
      }
      return false;
    }
    if (node.type === 'call') {
      const name = tenacityName(analysis, childByField(node, 'function'));
      if (name === 'Retrying' || name === 'AsyncRetrying') {
        sites.push({ site: buildSite(analysis, `wrapper@${node.start}`, 'wrapper', node, node, wrapperRegion(analysis, node)) });
      }
    }
    return true;
  });
  return sites;
}

/** `for attempt in Retrying(...):` -> the loop body; `Retrying(...)(fn)` -> fn. */
function wrapperRegion(analysis: Analysis, call: PyNode): Region | undefined {
  let holder = call;
  while (holder.parent?.type === 'parenthesized_expression') holder = holder.parent;
  const parent = holder.parent;
  if (parent?.type === 'for_statement' && childByField(parent, 'right') === holder) {
    const body = childByField(parent, 'body');
    const isAsync = parent.children.some((child) => child.type === 'async');
    return body ? { node: body, isAsync } : undefined;
  }
  if (parent?.type === 'call' && childByField(parent, 'function') === holder) {
    const first = namedChildren(childByField(parent, 'arguments') ?? parent)[0];
    const fn = first?.type === 'identifier' ? analysis.file.functions.get(analysis.file.textOf(first)) : undefined;
    return fn ? functionRegion(fn) : undefined;
  }
  return undefined;
}
