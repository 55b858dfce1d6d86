import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noRetryPermanentErrors = defineRule({
  meta: {
    id: 'no-retry-permanent-errors',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-retry-permanent-errors'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
