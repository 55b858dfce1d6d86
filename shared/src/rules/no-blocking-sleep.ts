import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noBlockingSleep = defineRule({
  meta: {
    id: 'no-blocking-sleep',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-blocking-sleep'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
