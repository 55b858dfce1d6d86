import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const boundedAttempts = defineRule({
  meta: {
    id: 'bounded-attempts',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('bounded-attempts'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
