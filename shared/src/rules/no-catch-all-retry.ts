import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noCatchAllRetry = defineRule({
  meta: {
    id: 'no-catch-all-retry',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-catch-all-retry'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
