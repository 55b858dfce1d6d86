import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const boundedTotalTime = defineRule({
  meta: {
    id: 'bounded-total-time',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('bounded-total-time'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
