import type { Fix } from '../fix.js';
import { DEFAULT_PERMANENT_ERROR_CODES, isPermanentErrorCode, permanentStatusesBetween } from '../permanent-failures.js';
import type { Policy } from '../policy/options.js';
import { isRetrying, type RetryOnFacts, type StatusMatch } from '../site.js';
import { formatList } from './format.js';
import { defineRule, docsUrl, type Report } from './rule.js';

type MessageId = 'permanentStatus' | 'permanentStatusRange' | 'permanentErrorCode';

interface Options {
  /** AI error codes that fail the same way on every attempt. */
  readonly permanentErrorCodes: readonly string[];
}

function permanentStatusesIn(match: StatusMatch, policy: Policy): number[] {
  return permanentStatusesBetween(match.min, match.max, policy);
}

function isSameSpan(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start === b.start && a.end === b.end;
}

/**
 * Removing one item of a literal list is only a fix when every permanent status the site
 * retries is such an item; otherwise a range or predicate would still retry it.
 */
function removeItemFix(retryOn: RetryOnFacts, match: StatusMatch, offending: readonly StatusMatch[]): Fix | undefined {
  const list = retryOn.statusList;
  if (!list) return undefined;
  const isListItem = (candidate: StatusMatch) =>
    candidate.min === candidate.max &&
    list.items.some((item) => item.value === candidate.min && isSameSpan(item.span, candidate.span));
  if (!offending.every(isListItem)) return undefined;
  return {
    title: `Remove ${match.min} from the retried statuses`,
    applicability: 'safe',
    intents: [{ kind: 'remove-list-items', list: list.span, items: [match.span] }],
  };
}

function statusReports(retryOn: RetryOnFacts, policy: Policy): Report<MessageId>[] {
  if (retryOn.statuses.kind !== 'known') return [];
  const offending = retryOn.statuses.value.filter((match) => permanentStatusesIn(match, policy).length > 0);
  return offending.map((match): Report<MessageId> => {
    const permanent = permanentStatusesIn(match, policy);
    if (match.min !== match.max) {
      return {
        messageId: 'permanentStatusRange',
        data: { range: `${match.min}-${match.max}`, statuses: formatList(permanent), count: permanent.length },
        span: match.span,
      };
    }
    const fix = removeItemFix(retryOn, match, offending);
    return {
      messageId: 'permanentStatus',
      data: { status: match.min },
      span: match.span,
      ...(fix ? { fix } : {}),
    };
  });
}

export const noRetryPermanentErrors = defineRule<MessageId, Options>({
  meta: {
    id: 'no-retry-permanent-errors',
    type: 'problem',
    description: 'Disallow retrying errors that fail the same way on every attempt (400, 401, 403, 404, 422, invalid_api_key).',
    docsUrl: docsUrl('no-retry-permanent-errors'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: {
      permanentStatus: 'Retries HTTP {{status}}, which never succeeds on another attempt (listed in neverRetryStatuses).',
      permanentStatusRange:
        'Retries every status in {{range}}, including {{statuses}}, which never succeed on another attempt (neverRetryStatuses).',
      permanentErrorCode: "Retries the error code '{{code}}', which fails the same way on every attempt.",
    },
    fixable: 'safe',
    languages: ['python', 'typescript'],
    optionsSchema: {
      type: 'object',
      properties: {
        permanentErrorCodes: {
          type: 'array',
          items: { type: 'string' },
          uniqueItems: true,
          default: [...DEFAULT_PERMANENT_ERROR_CODES],
          description: 'AI API error codes that must never be retried.',
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { permanentErrorCodes: DEFAULT_PERMANENT_ERROR_CODES },
  check(site, policy, options) {
    if (!isRetrying(site)) return [];
    const codeReports: Report<MessageId>[] = site.retryOn.errorCodes
      .filter((code) => isPermanentErrorCode(code.value, options.permanentErrorCodes))
      .map((code) => ({ messageId: 'permanentErrorCode', data: { code: code.value }, span: code.span }));
    return [...statusReports(site.retryOn, policy), ...codeReports];
  },
});
