import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const requireTimeout = defineRule({
  meta: {
    id: 'require-timeout',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('require-timeout'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
