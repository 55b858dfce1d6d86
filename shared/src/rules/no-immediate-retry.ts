import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noImmediateRetry = defineRule({
  meta: {
    id: 'no-immediate-retry',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-immediate-retry'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
