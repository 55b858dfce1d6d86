import type { Fix } from '../fix.js';
import { isRetrying, valueOf, type CallFacts, type RetrySite } from '../site.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'clientRetries' | 'clientRetriesUnbounded' | 'nestedRetry' | 'nestedRetryUnbounded';

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
    return [...retryingClients(site), ...enclosingRetry(site)];
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
    const report: Report<MessageId> =
      outer === 'unbounded'
        ? { messageId: 'clientRetriesUnbounded', data: { client, inner }, span: call.span }
        : { messageId: 'clientRetries', data: { total: outer * inner, outer, client, inner }, span: call.span };
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

/** Attempts when they multiply (more than one, or unbounded); undefined when unknown or single. */
function retryCount(max: RetrySite['attempts']['max']): AttemptCount | undefined {
  const value = valueOf(max);
  if (value === undefined) return undefined;
  if (value === 'unbounded') return value;
  return value > 1 ? value : undefined;
}

/** One attempt: the renderer writes 0 for a `retries` option, 1 for an `attempts` option. */
function switchOffClientRetries(call: CallFacts): Fix | undefined {
  const slot = call.clientRetriesSlot;
  if (!slot || (slot.unit !== 'retries' && slot.unit !== 'attempts')) return undefined;
  const written = slot.unit === 'retries' ? 0 : 1;
  return {
    title: `Switch off the client's own retries (${slot.name} = ${written})`,
    applicability: 'safe',
    intents: [{ kind: 'set-option', slot, value: 1 }],
  };
}
