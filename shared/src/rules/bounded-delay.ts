import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const boundedDelay = defineRule({
  meta: {
    id: 'bounded-delay',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('bounded-delay'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
