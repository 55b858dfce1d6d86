import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const noBackoffHoldingPermit = defineRule({
  meta: {
    id: 'no-backoff-holding-permit',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('no-backoff-holding-permit'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
