/**
 * backoff: `@backoff.on_exception(wait_gen, exception, max_tries=, max_time=, jitter=,
 * giveup=, **wait_gen_kwargs)` and `@backoff.on_predicate(...)`. Without max_tries and
 * max_time it retries forever; jitter defaults to full_jitter (`jitter=None` turns it off).
 */
import { known, makeSite, unknown, type AttemptsFacts, type DelayFacts, type JitterLever, type RetryOnFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { decoratedFunction, functionRegion, regionFacts, type LibrarySite } from './library-sites.js';
import { childByField, namedChildren, unwrap, walk, type PyNode } from './syntax-tree.js';

function backoffName(analysis: Analysis, node: PyNode | undefined): string | undefined {
  const qualified = analysis.file.qualify(node);
  return qualified && /^backoff(\.|$)/.test(qualified) ? qualified.split('.').pop() : undefined;
}

function attemptsOf(analysis: Analysis, args: CallArguments): AttemptsFacts {
  const { values, file } = analysis;
  const tries = args.keyword('max_tries');
  const time = args.keyword('max_time');
  const slot = args.slot('max_tries', 'attempts');
  const deadline = time ? values.evaluateNumber(time) : undefined;
  const deadlineMs = time ? (deadline !== undefined ? known(deadline * 1000, file.span(time)) : unknown('not constant')) : undefined;
  if (tries) {
    const value = values.evaluateNumber(tries);
    return {
      max: value !== undefined ? known(value, file.span(tries)) : unknown('not constant'),
      ...(slot && tries.type === 'integer' ? { slot } : {}),
      ...(deadlineMs ? { deadlineMs } : {}),
    };
  }
  if (args.mayHide('max_tries')) return { max: unknown('**kwargs') };
  if (time) return { max: unknown('deadline only'), ...(deadlineMs ? { deadlineMs } : {}) };
  return { max: known('unbounded'), ...(slot ? { slot } : {}) };
}

function delayOf(analysis: Analysis, args: CallArguments): DelayFacts {
  const { values, file } = analysis;
  const waitGen = args.positional[0];
  const generator = backoffName(analysis, waitGen);
  const jitterNode = args.keyword('jitter');
  const jitterName = jitterNode ? backoffName(analysis, jitterNode) : 'full_jitter';
  const jitterValue = jitterNode ? values.evaluate(jitterNode) : undefined;
  const jitter =
    jitterNode && jitterValue === null ? known('none' as const) : jitterName === 'full_jitter' ? known('full' as const) : jitterName === 'random_jitter' ? known('additive' as const) : unknown('custom jitter');
  const module = [...analysis.file.imports].find(([, target]) => target === 'backoff')?.[0];
  const jitterLever: JitterLever | undefined =
    jitterNode && jitterValue === null && module ? { kind: 'replace', span: file.span(jitterNode), text: `${module}.full_jitter` } : undefined;
  const seconds = (name: string, fallback: number): number | undefined => {
    const node = args.keyword(name);
    return node ? values.evaluateNumber(node) : args.mayHide(name) ? undefined : fallback;
  };
  const ms = (value: number | undefined) => (value === undefined ? unknown('not constant') : known(value * 1000));
  const capNode = args.keyword('max_value');
  const capSlot = args.slot('max_value', 'seconds');
  const cap = capNode ? ms(values.evaluateNumber(capNode)) : known<number | 'none'>('none');
  const common = { jitter, span: file.span(args.call), ...(jitterLever ? { jitterLever } : {}) };
  switch (generator) {
    case 'expo': {
      const factor = seconds('factor', 1);
      const base = seconds('base', 2);
      return { strategy: known('exponential'), baseMs: ms(factor), factor: base !== undefined ? known(base) : unknown(), capMs: cap, ...(capSlot ? { capSlot } : {}), ...common };
    }
    case 'fibo':
      return { strategy: known('fibonacci'), baseMs: ms(seconds('factor', 1)), capMs: cap, ...(capSlot ? { capSlot } : {}), ...common };
    case 'constant': {
      const interval = seconds('interval', 1);
      return { strategy: known('constant'), baseMs: ms(interval), capMs: ms(interval), ...common };
    }
    default:
      return { strategy: unknown('wait generator'), baseMs: unknown(), capMs: unknown(), jitter };
  }
}

function retryOnOf(analysis: Analysis, args: CallArguments, predicate: boolean): RetryOnFacts {
  const { file, values } = analysis;
  const classified = args.keyword('giveup') !== undefined;
  if (predicate) {
    return { statuses: known([]), errorCodes: [], errorTypes: known([]), catchAll: known(false), cancellation: { retried: known(false), guarded: false } };
  }
  const exceptionNode = args.get('exception', 1);
  if (!exceptionNode) return { statuses: unknown(), errorCodes: [], errorTypes: unknown(), catchAll: unknown(), cancellation: { retried: unknown(), guarded: false } };
  const target = unwrap(values.follow(exceptionNode));
  const types = (target.type === 'tuple' ? namedChildren(target) : [target]).map((type) => file.textOf(type).split('.').pop() as string);
  const broad = types.some((type) => /^(Exception|BaseException)$/.test(type));
  return {
    statuses: classified ? unknown('giveup predicate') : known([]),
    errorCodes: [],
    errorTypes: known(types),
    catchAll: known(broad && !classified),
    ...(broad && !classified ? { catchAllSpan: file.span(exceptionNode) } : {}),
    cancellation: { retried: known(types.some((type) => /BaseException|CancelledError/.test(type))), guarded: false },
  };
}

export function backoffSites(analysis: Analysis): LibrarySite[] {
  const { file } = analysis;
  if (!file.importsModule('backoff')) return [];
  const sites: LibrarySite[] = [];
  walk(file.root, (node) => {
    if (node.opaque) return false;
    if (node.type !== 'decorator' || node.hasError) return true;
    const call = unwrap(namedChildren(node)[0] ?? node);
    const name = call.type === 'call' ? backoffName(analysis, childByField(call, 'function')) : undefined;
    const fn = decoratedFunction(node);
    if ((name !== 'on_exception' && name !== 'on_predicate') || !fn) return false;
    const args = new CallArguments(file, call);
    const retryOn = retryOnOf(analysis, args, name === 'on_predicate');
    const facts = regionFacts(analysis, functionRegion(fn));
    const span = file.span(node);
    const rateLimited = retryOn.errorTypes.kind === 'known' && retryOn.errorTypes.value.some((type) => /RateLimit|TooManyRequests/.test(type));
    const site = makeSite(
      { id: `decorator@${node.start}`, kind: 'decorator', language: 'python', library: 'backoff', span, reportSpan: span },
      {
        isAsync: facts.isAsync,
        attempts: attemptsOf(analysis, args),
        delay: delayOf(analysis, args),
        retryOn,
        retryAfter: { handlesRateLimit: known(rateLimited), honouredByLibrary: known(false), read: known(false), usedAsDelay: known(false), forms: [], capMs: unknown(), span },
        calls: facts.calls,
        sleep: facts.sleep,
      },
    );
    sites.push({ site, decorated: fn, decorator: node });
    return false;
  });
  return sites;
}
