import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const requireJitter = defineRule({
  meta: {
    id: 'require-jitter',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('require-jitter'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
