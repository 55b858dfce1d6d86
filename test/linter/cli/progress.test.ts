import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../linter/src/cli/progress.js';

function fakeStream() {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('createProgress', () => {
  it('stays quiet for the first second, then counts files and clears its line', () => {
    let now = 0;
    const { writes, stream } = fakeStream();
    const progress = createProgress(stream, true, () => now);
    now = 900;
    progress.update(10, 100);
    expect(writes).toEqual([]);
    now = 1200;
    progress.update(40, 100);
    expect(writes.at(-1)).toContain('40/100 files');
    progress.clear();
    expect(writes.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing when stderr is not a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream();
    const progress = createProgress(stream, false, () => now);
    now = 5000;
    progress.update(1, 2);
    progress.clear();
    expect(writes).toEqual([]);
  });
});
