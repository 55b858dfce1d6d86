/**
 * urllib3 `Retry(...)` and requests `HTTPAdapter(max_retries=...)`: a client that retries
 * by itself. total defaults to 10 (11 attempts), backoff_factor to 0 (no wait), backoff_max
 * to 120 s; Retry-After is honoured unless respect_retry_after_header=False. An int
 * max_retries is Retry(total=n) with no backoff and no status retries.
 */
import { known, makeSite, unknown, type AttemptsFacts, type DelayFacts, type RetryOnFacts, type RetrySite } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { ADAPTERS, RETRY_CLASSES } from './entry-names.js';
import { childByField, enclosingFunction, isAsyncFunction, type PyNode } from './syntax-tree.js';

const DEFAULT_TOTAL = 10;
const DEFAULT_BACKOFF_MAX_S = 120;

/** Attempts a `Retry(...)` call allows in all (total + 1); unknown when total is not constant. */
export function retryAttempts(analysis: Analysis, retryCall: PyNode): AttemptsFacts['max'] {
  return retryConfiguration(analysis, retryCall).attempts.max;
}

function retryConfiguration(analysis: Analysis, call: PyNode): { attempts: AttemptsFacts; delay: DelayFacts; retryOn: RetryOnFacts; honoured: boolean | undefined } {
  const { file, values } = analysis;
  const args = new CallArguments(file, call);
  const totalNode = args.get('total', 0);
  const total = totalNode ? values.evaluate(totalNode) : args.mayHide('total') ? undefined : DEFAULT_TOTAL;
  const attemptsSlot = args.slot('total', 'retries', 0);
  const attempts: AttemptsFacts = {
    max: typeof total === 'number' ? known(total + 1, file.span(totalNode ?? call)) : total === false ? known(1) : unknown('total not constant'),
    ...(attemptsSlot ? { slot: attemptsSlot } : {}),
  };
  const factorNode = args.keyword('backoff_factor');
  const factor = factorNode ? values.evaluateNumber(factorNode) : args.mayHide('backoff_factor') ? undefined : 0;
  const maxNode = args.keyword('backoff_max');
  const cap = maxNode ? values.evaluateNumber(maxNode) : DEFAULT_BACKOFF_MAX_S;
  const jitterNode = args.keyword('backoff_jitter');
  const jitter = jitterNode ? values.evaluateNumber(jitterNode) : 0;
  const span = file.span(call);
  const delay: DelayFacts =
    factor === undefined
      ? { strategy: unknown('backoff_factor not constant'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span }
      : factor === 0
        ? { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), baseSlot: args.slot('backoff_factor', 'seconds')!, span }
        : {
            strategy: known('exponential'),
            baseMs: known(factor * 1000),
            factor: known(2),
            capMs: cap !== undefined ? known(cap * 1000) : unknown(),
            jitter: jitter === undefined ? unknown() : known(jitter > 0 ? 'additive' : 'none'),
            capSlot: args.slot('backoff_max', 'seconds')!,
            span,
          };
  const listNode = args.keyword('status_forcelist');
  const list = listNode ? values.listLiteral(listNode) : undefined;
  const statusItems = list?.items.filter((item): item is { value: number; node: PyNode } => typeof item.value === 'number') ?? [];
  const retryOn: RetryOnFacts = {
    statuses: listNode && !list ? unknown('status_forcelist not literal') : known(statusItems.map((item) => ({ min: item.value, max: item.value, span: file.span(item.node) }))),
    ...(list ? { statusList: { span: file.span(list.node), items: statusItems.map((item) => ({ value: item.value, span: file.span(item.node) })) } } : {}),
    errorCodes: [],
    errorTypes: known(['ConnectionError', 'ReadTimeoutError']),
    catchAll: known(false),
    cancellation: { retried: known(false), guarded: false },
  };
  const respect = args.keyword('respect_retry_after_header');
  const honoured = respect ? (values.evaluate(respect) === false ? false : values.evaluate(respect) === true ? true : undefined) : true;
  return { attempts, delay, retryOn, honoured };
}

function site(analysis: Analysis, node: PyNode, config: ReturnType<typeof retryConfiguration>): RetrySite {
  const { file } = analysis;
  const span = file.span(node);
  const statuses = config.retryOn.statuses.kind === 'known' ? config.retryOn.statuses.value : [];
  const rateLimited = statuses.some((status) => status.min === 429 || status.min === 503);
  const fn = enclosingFunction(node);
  return makeSite(
    { id: `client@${node.start}`, kind: 'client', language: 'python', library: 'urllib3', span, reportSpan: span },
    {
      isAsync: known(fn ? isAsyncFunction(fn) : false),
      attempts: config.attempts,
      delay: config.delay,
      retryOn: config.retryOn,
      retryAfter: {
        handlesRateLimit: known(rateLimited),
        honouredByLibrary: config.honoured === undefined ? unknown() : known(config.honoured),
        read: config.honoured === undefined ? unknown() : known(config.honoured),
        usedAsDelay: config.honoured === undefined ? unknown() : known(config.honoured),
        forms: config.honoured ? ['seconds', 'date'] : [],
        capMs: unknown(),
        span,
      },
      sleep: { blockingInAsync: known(false), permitHeld: known(false) },
    },
  );
}

export function urllib3Sites(analysis: Analysis): RetrySite[] {
  const { file, values } = analysis;
  if (!file.importsModule('urllib3') && !file.importsModule('requests')) return [];
  const sites: RetrySite[] = [];
  for (const node of file.nodesOf('call')) {
    if (node.opaque || node.hasError) continue;
    const name = file.qualify(childByField(node, 'function'));
    if (name && RETRY_CLASSES.has(name)) {
      sites.push(site(analysis, node, retryConfiguration(analysis, node)));
    } else if (name && ADAPTERS.has(name)) {
      const args = new CallArguments(file, node);
      const maxRetries = args.get('max_retries', 3);
      const value = maxRetries ? values.evaluate(maxRetries) : undefined;
      if (typeof value === 'number' && value > 0 && maxRetries) {
        const slot = args.slot('max_retries', 'retries', 3);
        const span = file.span(node);
        sites.push(
          site(analysis, node, {
            attempts: { max: known(value + 1, file.span(maxRetries)), ...(slot ? { slot } : {}) },
            delay: { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), span },
            retryOn: { statuses: known([]), errorCodes: [], errorTypes: known(['ConnectionError']), catchAll: known(false), cancellation: { retried: known(false), guarded: false } },
            honoured: false,
          }),
        );
      }
    }
  }
  return sites;
}
