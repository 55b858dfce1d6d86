import { defineRule, docsUrl } from './rule.js';

// Placeholder: replaced by the real rule.
export const requireIdempotencyKey = defineRule({
  meta: {
    id: 'require-idempotency-key',
    type: 'problem',
    description: 'TODO',
    docsUrl: docsUrl('require-idempotency-key'),
    defaultSeverity: 'error',
    strictSeverity: 'error',
    messages: { todo: 'TODO' },
    fixable: 'none',
    languages: ['python', 'typescript'],
  },
  defaultOptions: {},
  check: () => [],
});
