import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noRetryOnCancel = defineRule({
  meta: {
    id: 'no-retry-on-cancel',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-retry-on-cancel'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
