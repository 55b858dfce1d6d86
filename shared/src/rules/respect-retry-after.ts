import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const respectRetryAfter = defineRule({
  meta: {
    id: 'respect-retry-after',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('respect-retry-after'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
