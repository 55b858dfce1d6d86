import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noNestedRetries = defineRule({
  meta: {
    id: 'no-nested-retries',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-nested-retries'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
