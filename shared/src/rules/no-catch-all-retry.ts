import { isRetrying, valueOf } from '../site.js';
import { formatList } from './format.js';
import { defineRule, docsUrl } from './rule.js';

type MessageId = 'catchAll';

export const noCatchAllRetry = defineRule<MessageId>({
  meta: {
    id: 'no-catch-all-retry',
    type: 'problem',
    description: 'Disallow retrying on any error without testing the status or error type.',
    docsUrl: docsUrl('no-catch-all-retry'),
    defaultSeverity: 'warn',
    strictSeverity: 'warn',
    messages: {
      catchAll:
        'Retries on any error, so permanent failures such as a 401 for an expired key are retried too (retryable: {{retryable}}).',
    },
    // RULES.md asks for a "narrow the condition" suggestion; the site model has no lever for it yet.
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check(site, policy) {
    if (!isRetrying(site)) return [];
    const { retryOn } = site;
    if (valueOf(retryOn.catchAll) !== true) return [];
    if (valueOf(retryOn.abortsOnPermanent) === true) return [];
    // One finding per cause: a site that names statuses or error codes is judged by
    // no-retry-permanent-errors instead.
    const statuses = valueOf(retryOn.statuses);
    if ((statuses && statuses.length > 0) || retryOn.errorCodes.length > 0) return [];
    return [
      {
        messageId: 'catchAll',
        data: { retryable: formatList(policy.retryableStatuses) },
        span: retryOn.catchAllSpan ?? site.reportSpan,
      },
    ];
  },
});
