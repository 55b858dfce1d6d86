import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type CallFacts, type ChainStep, type ReachedRetry, type RetrySite } from '../site.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId =
  | 'clientRetries'
  | 'clientRetriesUnbounded'
  | 'clientRetriesThrough'
  | 'clientRetriesThroughUnbounded'
  | 'nestedRetry'
  | 'nestedRetryUnbounded'
  | 'retryThrough'
  | 'retryThroughUnbounded';

type AttemptCount = number | 'unbounded';

export const noNestedRetries = defineRule<MessageId>({
  meta: {
    id: 'no-nested-retries',
    type: 'problem',
    description: 'Disallow retries around clients that retry themselves, and retries inside other retries.',
    docsUrl: docsUrl('no-nested-retries'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      clientRetries:
        'Up to {{total}} requests per call (outer {{outer}} x {{client}} {{inner}}): the client retries by itself inside this retry.',
      clientRetriesUnbounded:
        'Unbounded requests per call (outer unbounded x {{client}} {{inner}}): the client retries by itself inside a retry with no attempt limit.',
      clientRetriesThrough:
        'Up to {{total}} requests per call (outer {{outer}} x {{client}} {{inner}}): the client retries by itself inside this retry, through {{chain}}.',
      clientRetriesThroughUnbounded:
        'Unbounded requests per call (outer unbounded x {{client}} {{inner}}): the client retries by itself inside a retry with no attempt limit, through {{chain}}.',
      retryThrough:
        'Up to {{total}} attempts per call (outer {{outer}} x inner {{inner}}): another retry ({{library}}) runs inside this one, through {{chain}}.',
      retryThroughUnbounded:
        'Unbounded attempts per call (outer {{outer}} x inner {{inner}}): another retry ({{library}}) runs inside this one, through {{chain}}.',
      nestedRetry: 'Up to {{total}} attempts per call (outer {{outer}} x inner {{inner}}): this retry runs inside another retry.',
      nestedRetryUnbounded:
        'Unbounded attempts per call (outer {{outer}} x inner {{inner}}): this retry runs inside another retry.',
    },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site) {
    if (!isRetrying(site)) return [];
    return [...retryingClients(site), ...enclosingRetry(site), ...reachedRetries(site)];
  },
});

/** (a) An SDK or HTTP client with its own retries, called inside this retry. */
function retryingClients(site: RetrySite): Report<MessageId>[] {
  // A client site is the client's own retry configuration, not a retry around it.
  if (site.kind === 'client') return [];
  const outer = retryCount(site.attempts.max);
  if (outer === undefined) return [];
  return site.calls.flatMap((call): Report<MessageId>[] => {
    const inner = valueOf(call.clientAttempts);
    if (inner === undefined || inner <= 1) return [];
    const client = call.kind === 'sdk' ? 'SDK' : call.library;
    const through = call.chain?.length ? { chain: describeChain(call.chain) } : undefined;
    const report: Report<MessageId> =
      outer === 'unbounded'
        ? { messageId: through ? 'clientRetriesThroughUnbounded' : 'clientRetriesUnbounded', data: { client, inner, ...through }, span: call.span }
        : { messageId: through ? 'clientRetriesThrough' : 'clientRetries', data: { total: outer * inner, outer, client, inner, ...through }, span: call.span };
    const fix = switchOffClientRetries(call);
    return [fix ? { ...report, fix } : report];
  });
}

/** (b) This retry runs inside another one (stacked decorators, a retried function called from a retry). */
function enclosingRetry(site: RetrySite): Report<MessageId>[] {
  if (!site.nestedIn) return [];
  const outer = retryCount(site.nestedIn.attempts);
  const inner = retryCount(site.attempts.max);
  if (outer === undefined || inner === undefined) return [];
  const data = { outer, inner };
  if (outer === 'unbounded' || inner === 'unbounded') {
    return [{ messageId: 'nestedRetryUnbounded', data, span: site.reportSpan }];
  }
  return [{ messageId: 'nestedRetry', data: { ...data, total: outer * inner }, span: site.reportSpan }];
}

/** (c) A retry in another module that this retry's code reaches through calls (project mode). */
function reachedRetries(site: RetrySite): Report<MessageId>[] {
  const outer = retryCount(site.attempts.max);
  if (outer === undefined) return [];
  return (site.reachedRetries ?? []).flatMap((reached: ReachedRetry): Report<MessageId>[] => {
    const inner = retryCount(reached.attempts);
    if (inner === undefined) return [];
    const data = { outer, inner, library: reached.library, chain: describeChain(reached.chain) };
    if (outer === 'unbounded' || inner === 'unbounded') return [{ messageId: 'retryThroughUnbounded', data, span: reached.span }];
    return [{ messageId: 'retryThrough', data: { ...data, total: outer * inner }, span: reached.span }];
  });
}

/** `summarise.ts:12 -> llm/ask.ts:30 -> client built at llm/client.ts:5` */
export function describeChain(chain: readonly ChainStep[]): string {
  return chain
    .map((step) => {
      const place = `${step.file}:${step.line}`;
      if (step.role === 'client') return `client built at ${place}`;
      if (step.role === 'retry') return `retry at ${place}`;
      return place;
    })
    .join(' -> ');
}

/** Attempts when they multiply (more than one, or unbounded); undefined when unknown or single. */
function retryCount(max: RetrySite['attempts']['max']): AttemptCount | undefined {
  const value = valueOf(max);
  if (value === undefined) return undefined;
  if (value === 'unbounded') return value;
  return value > 1 ? value : undefined;
}

/**
 * One attempt: the renderer writes 0 for a `retries` option, 1 for an `attempts` option. A
 * client built in another file is edited there: the fix changes every caller of that client,
 * so it is unsafe (`--unsafe-fixes`).
 */
function switchOffClientRetries(call: CallFacts): Fix | undefined {
  const slot = call.clientRetriesSlot;
  if (!slot || (slot.unit !== 'retries' && slot.unit !== 'attempts')) return undefined;
  const written = slot.unit === 'retries' ? 0 : 1;
  const where = call.chain?.find((step) => step.role === 'client');
  return {
    title: slot.file
      ? `Switch off the client's own retries where it is built${where ? ` (${where.file}:${where.line})` : ''}: ${slot.name} = ${written}`
      : `Switch off the client's own retries (${slot.name} = ${written})`,
    applicability: slot.file ? 'unsafe' : 'safe',
    intents: [{ kind: 'set-option', slot, value: 1 }],
  };
}
