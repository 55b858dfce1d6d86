import fs from 'node:fs';
import type { Finding } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { frontendFor } from '../../linter/src/frontends/index.js';
import { applyFixes } from '../../linter/src/fixes/index.js';
import { isFatal, lintText } from '../../linter/src/lint.js';
import { ALL_RULES_ON, listFixtures, readFixture } from './fixture-harness.js';

for (const language of ['python', 'typescript'] as const) {
  const files = listFixtures(language);
  describe.skipIf(files.length === 0)(`${language} fixtures`, () => {
    for (const file of files) {
      const fixture = readFixture(file);
      const options = { policy: fixture.policy, rules: ALL_RULES_ON };

      it(`${fixture.name}: every finding is marked and every mark is found`, async () => {
        const result = await lintText(fixture.text, file, options);
        const actual = result.messages
          .map((message) => `${message.span.line}:${isFatal(message) ? 'parse-error' : message.ruleId}`)
          .sort();
        const describeMessage = (key: string) => {
          const [line, id] = key.split(':');
          const message = result.messages.find(
            (m) => String(m.span.line) === line && (isFatal(m) ? 'parse-error' : m.ruleId) === id,
          );
          return message ? `${key}  ${message.message}` : key;
        };
        const missing = fixture.expected.filter((key) => !actual.includes(key));
        const extra = actual.filter((key) => !fixture.expected.includes(key)).map(describeMessage);
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      if (fixture.fixedFile) {
        const fixedFile = fixture.fixedFile;
        it(`${fixture.name}: safe fixes give ${fixedFile.split('/').pop()}`, async () => {
          const frontend = await frontendFor(language);
          const outcome = await applyFixes(fixture.text, {
            language,
            unsafe: false,
            parses: (text) => frontend.parses(text, file),
            lint: async (text) =>
              (await lintText(text, file, options)).messages.filter((message): message is Finding => !isFatal(message)),
          });
          expect(outcome.rejected).toEqual([]);
          expect(outcome.text).toBe(fs.readFileSync(fixedFile, 'utf8'));
        });
      }
    }
  });
}
