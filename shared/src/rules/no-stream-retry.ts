import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noStreamRetry = defineRule({
  meta: {
    id: 'no-stream-retry',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-stream-retry'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
