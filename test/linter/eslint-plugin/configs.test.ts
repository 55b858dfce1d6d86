import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { rules as sharedRules } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import plugin from '../../../linter/src/eslint-plugin/index.js';

const code = `import OpenAI from 'openai';
const client = new OpenAI();
export async function ask(prompt) {
  for (;;) {
    try {
      return await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
`;

describe('eslint plugin configs', () => {
  it('has one ESLint rule per retrylint rule, with the shared meta', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(sharedRules.map((rule) => rule.meta.id).sort());
    const meta = plugin.rules['bounded-delay'].meta!;
    expect(meta.docs?.url).toMatch(/bounded-delay\.md$/);
    expect(meta.fixable).toBe('code');
  });

  it('recommended: the same findings as the CLI pipeline, through espree', () => {
    const messages = new Linter({ configType: 'flat' }).verify(code, [plugin.configs.recommended], 'ask.js');
    expect(messages.map((message) => `${message.line}:${message.ruleId}`).sort()).toEqual([
      '4:retrylint/bounded-attempts',
      '6:retrylint/no-nested-retries',
      '7:retrylint/no-catch-all-retry',
    ]);
    expect(messages.find((message) => message.ruleId === 'retrylint/bounded-attempts')?.severity).toBe(2);
  });

  it('strict: library defaults are judged and off-by-default rules are on', () => {
    const messages = new Linter({ configType: 'flat' }).verify(
      code,
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, plugin.configs.strict],
      'ask.ts',
    );
    expect(messages.map((message) => message.ruleId)).toContain('retrylint/require-timeout');
    expect(plugin.configs.strict.rules?.['retrylint/require-idempotency-key']).not.toBe('off');
    expect(plugin.configs.recommended.rules?.['retrylint/require-idempotency-key']).toBe('off');
  });

  it('settings change the policy', () => {
    const messages = new Linter({ configType: 'flat' }).verify(
      code.replace('for (;;)', 'for (let i = 0; i < 4; i++)'),
      [plugin.configs.recommended, { settings: { retrylint: { policy: { maxAttempts: 3 } } } }],
      'ask.js',
    );
    expect(messages.filter((message) => message.ruleId === 'retrylint/bounded-attempts')).toHaveLength(1);
  });
});
