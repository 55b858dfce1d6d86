import type { Applicability, Fix } from '../fix.js';
import type { Policy } from '../policy/options.js';
import { isRetrying, valueOf, type CallFacts } from '../site.js';
import { formatDuration } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';
import { fixTimeoutMs } from './site-budget.js';

type MessageId = 'missing' | 'missingOutsideNode' | 'disabled' | 'tooLong' | 'libraryDefaultTooLong';

/**
 * Adding a missing timeout is safe, except on a stream: some timeouts (fetch's
 * `AbortSignal.timeout`) bound the whole body and would cut a long stream. Lowering a
 * timeout somebody chose may cut off calls that are slow on purpose. Both wait for
 * --unsafe-fixes.
 *
 * The value is what the site's budget leaves each attempt (site-budget.ts), so a retry's
 * new timeout keeps it within maxTotalMs. When its sleeps alone exceed the budget
 * (bounded-total-time reports that), the per-attempt limit is written.
 */
function timeoutFix(call: CallFacts, timeoutMs: number | undefined, applicability: Applicability): Fix | undefined {
  const slot = call.timeoutSlot;
  if (!slot || timeoutMs === undefined) return undefined;
  return {
    title: `Set a ${formatDuration(timeoutMs)} timeout`,
    applicability,
    intents: [{ kind: 'set-option', slot, value: timeoutMs }],
  };
}

function judgeCall(call: CallFacts, policy: Policy, timeoutToWriteMs: number | undefined): Report<MessageId> | undefined {
  const timeout = valueOf(call.timeout);
  if (!timeout) return undefined;
  const limit = formatDuration(policy.maxTimeoutMs);
  const base = { span: call.span };
  let report: Report<MessageId> | undefined;
  const streaming = valueOf(call.streaming);
  let applicability: Applicability = streaming === true ? 'unsafe' : 'safe';
  // Long streams are legitimate: only a missing or disabled timeout is judged for them.
  const judgeLength = streaming === false;
  switch (timeout.kind) {
    case 'missing':
      report =
        timeout.runtimeLimitMs === undefined
          ? { ...base, messageId: 'missing', data: { library: call.library, limit } }
          : { ...base, messageId: 'missingOutsideNode', data: { library: call.library, runtime: formatDuration(timeout.runtimeLimitMs), limit } };
      break;
    case 'disabled':
      report = { ...base, messageId: 'disabled', data: { library: call.library, limit } };
      break;
    case 'explicit':
      if (!judgeLength || timeout.ms <= policy.maxTimeoutMs) return undefined;
      report = { ...base, messageId: 'tooLong', data: { timeout: formatDuration(timeout.ms), limit } };
      applicability = 'unsafe';
      break;
    case 'library-default':
      if (!policy.judgeLibraryDefaults || !judgeLength || timeout.ms <= policy.maxTimeoutMs) return undefined;
      report = {
        ...base,
        messageId: 'libraryDefaultTooLong',
        data: { library: call.library, timeout: formatDuration(timeout.ms), limit },
      };
      break;
  }
  const fix = timeoutFix(call, timeoutToWriteMs, applicability);
  return fix ? { ...report, fix } : report;
}

export const requireTimeout = defineRule<MessageId>({
  meta: {
    id: 'require-timeout',
    type: 'problem',
    description: 'Require HTTP and AI-SDK calls to have a per-attempt timeout no longer than maxTimeoutMs.',
    docsUrl: docsUrl('require-timeout'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      missing: 'The {{library}} call has no timeout and can wait forever (limit {{limit}} per attempt).',
      missingOutsideNode:
        "The {{library}} call has no timeout: in a browser it can wait forever, and Node's fetch gives up only after {{runtime}} without response headers (limit {{limit}} per attempt).",
      disabled: 'The {{library}} call has its timeout switched off and can wait forever (limit {{limit}} per attempt).',
      tooLong: 'Timeout of {{timeout}} per attempt (limit {{limit}}).',
      libraryDefaultTooLong: 'No timeout set: the {{library}} default of {{timeout}} per attempt applies (limit {{limit}}).',
    },
    messageSeverity: { missing: 'error', missingOutsideNode: 'warn', disabled: 'error', tooLong: 'warn', libraryDefaultTooLong: 'warn' },
    fixable: 'safe',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    // Plain calls are judged wherever they are; other sites only when they really retry.
    if (site.kind !== 'call' && !isRetrying(site)) return [];
    const timeoutToWriteMs = fixTimeoutMs(site, policy);
    return site.calls.flatMap((call) => judgeCall(call, policy, timeoutToWriteMs) ?? []);
  },
});
