import { RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, it } from 'vitest';
import plugin from '../../../linter/src/eslint-plugin/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const sleepHelper = 'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));';

/** ESLint's default parser (espree) for plain JavaScript. */
const jsTester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });

/** typescript-eslint's parser for TypeScript. */
const tsTester = new RuleTester({ languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' } });

const uploadLoop = (limit: number) => `${sleepHelper}
export async function upload(url) {
  for (let attempt = 0; attempt < ${limit}; attempt++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      await sleep(Math.random() * Math.min(500 * 2 ** attempt, 8000));
    }
  }
}`;

jsTester.run('bounded-attempts (espree)', plugin.rules['bounded-attempts'], {
  valid: [uploadLoop(4)],
  invalid: [
    {
      code: uploadLoop(12),
      output: uploadLoop(5),
      errors: [{ messageId: 'tooMany', line: 3 }],
    },
    {
      code: `import pRetry from 'p-retry';
export const load = (url) => pRetry(() => fetch(url), { retries: Infinity, maxTimeout: 10000, randomize: true });`,
      output: `import pRetry from 'p-retry';
export const load = (url) => pRetry(() => fetch(url), { retries: 4, maxTimeout: 10000, randomize: true });`,
      errors: [{ messageId: 'unbounded', line: 2 }],
    },
  ],
});

const nestedClient = (options: string) => `import OpenAI from 'openai';
const client = new OpenAI(${options});
export async function ask(prompt: string): Promise<unknown> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
    } catch (error) {
      if (!(error instanceof OpenAI.APIConnectionError)) throw error;
    }
  }
}`;

tsTester.run('no-nested-retries (@typescript-eslint/parser)', plugin.rules['no-nested-retries'], {
  valid: [nestedClient('{ maxRetries: 0, timeout: 30_000 }')],
  invalid: [
    {
      code: nestedClient('{ timeout: 30_000 }'),
      output: nestedClient('{ timeout: 30_000, maxRetries: 0 }'),
      errors: [{ messageId: 'clientRetries', line: 6, data: { total: 9, outer: 3, client: 'SDK', inner: 3 } }],
    },
    {
      code: nestedClient(''),
      output: nestedClient('{ maxRetries: 0 }'),
      errors: [{ messageId: 'clientRetries', line: 6 }],
    },
  ],
});

const searchClient = (retry: string) => `import ky from 'ky';
export const search = ky.create({ prefixUrl: 'https://search.example.com', retry: ${retry} });`;

tsTester.run('respect-retry-after (suggestion)', plugin.rules['respect-retry-after'], {
  valid: [searchClient('{ limit: 3, maxRetryAfter: 30_000 }')],
  invalid: [
    {
      code: searchClient('{ limit: 3 }'),
      errors: [
        {
          messageId: 'uncapped',
          suggestions: [{ desc: 'Cap the Retry-After wait at 120 s', output: searchClient('{ limit: 3, maxRetryAfter: 120000 }') }],
        },
      ],
    },
  ],
});

jsTester.run('no-catch-all-retry (espree, no fix)', plugin.rules['no-catch-all-retry'], {
  valid: [
    `${sleepHelper}
export async function get(url) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url, { signal: AbortSignal.timeout(5000) }); }
    catch (error) { if (!(error instanceof TypeError)) throw error; await sleep(Math.random() * 1000); }
  }
}`,
  ],
  invalid: [
    {
      code: `${sleepHelper}
export async function get(url) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url, { signal: AbortSignal.timeout(5000) }); }
    catch (error) { await sleep(Math.random() * 1000); }
  }
}`,
      errors: [{ messageId: 'catchAll', line: 5 }],
    },
  ],
});
