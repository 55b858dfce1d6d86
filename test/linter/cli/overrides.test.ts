import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { overrideApplies } from '../../../linter/src/config/overrides.js';

const root = path.resolve('/project');
const at = (relative: string) => path.join(root, relative);

describe('overrideApplies', () => {
  it('matches globs relative to the config folder', () => {
    expect(overrideApplies({ files: 'db/**' }, root, at('db/pool/client.py'))).toBe(true);
    expect(overrideApplies({ files: 'db/**' }, root, at('app/db/client.py'))).toBe(false);
    expect(overrideApplies({ files: ['src/**/*.ts'] }, root, at('src/a/b.ts'))).toBe(true);
  });

  it('matches a pattern without a slash against the file name anywhere below', () => {
    expect(overrideApplies({ files: '*_stream.py' }, root, at('deep/er/chat_stream.py'))).toBe(true);
    expect(overrideApplies({ files: './*.py' }, root, at('deep/x.py'))).toBe(true);
  });

  it('honours excludedFiles and never matches outside the folder', () => {
    const override = { files: '**/*.py', excludedFiles: 'tests/**' };
    expect(overrideApplies(override, root, at('tests/test_a.py'))).toBe(false);
    expect(overrideApplies(override, root, at('src/a.py'))).toBe(true);
    expect(overrideApplies({ files: '**' }, root, path.resolve('/elsewhere/a.py'))).toBe(false);
  });
});
