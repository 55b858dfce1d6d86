import { describe, expect, it } from 'vitest';
import { applySuppressions, parseDirectives } from '../../../linter/src/config/suppressions.js';

describe('parseDirectives', () => {
  it('reads the Python forms, with and without ids', () => {
    const text = [
      'x = 1  # retrylint: disable-next-line=bounded-attempts,require-jitter',
      '# retrylint: disable-file',
      '#retrylint:disable-next-line = no-stream-retry -- streamed on purpose',
    ].join('\n');
    expect(parseDirectives(text, 'python').map(({ kind, ruleIds, line }) => ({ kind, ruleIds, line }))).toEqual([
      { kind: 'disable-next-line', ruleIds: ['bounded-attempts', 'require-jitter'], line: 1 },
      { kind: 'disable-file', ruleIds: [], line: 2 },
      { kind: 'disable-next-line', ruleIds: ['no-stream-retry'], line: 3 },
    ]);
  });

  it('reads the TypeScript forms, including block comments and reasons', () => {
    const text = [
      '// retrylint-disable-next-line require-timeout, bounded-delay',
      '/* retrylint-disable-file no-catch-all-retry */',
      'fetch(url); // retrylint-disable-next-line -- the caller sets a deadline',
    ].join('\r\n');
    expect(parseDirectives(text, 'typescript').map(({ kind, ruleIds, line }) => ({ kind, ruleIds, line }))).toEqual([
      { kind: 'disable-next-line', ruleIds: ['require-timeout', 'bounded-delay'], line: 1 },
      { kind: 'disable-file', ruleIds: ['no-catch-all-retry'], line: 2 },
      { kind: 'disable-next-line', ruleIds: [], line: 3 },
    ]);
  });

  it("does not read one language's syntax in the other", () => {
    expect(parseDirectives('# retrylint-disable-file', 'typescript')).toEqual([]);
    expect(parseDirectives('// retrylint: disable-file', 'python')).toEqual([]);
  });
});

describe('applySuppressions', () => {
  const directives = parseDirectives(
    ['# retrylint: disable-next-line=bounded-attempts,require-jitter', 'line 2', '# retrylint: disable-file=no-stream-retry'].join('\n'),
    'python',
  );

  it('suppresses the named rules on the next line only, and file-wide ones everywhere', () => {
    const items = [
      { ruleId: 'bounded-attempts', line: 2 },
      { ruleId: 'bounded-attempts', line: 3 },
      { ruleId: 'bounded-delay', line: 2 },
      { ruleId: 'no-stream-retry', line: 40 },
    ];
    const outcome = applySuppressions(items, directives);
    expect(outcome.kept).toEqual([items[1], items[2]]);
    expect(outcome.suppressed).toEqual([items[0], items[3]]);
  });

  it('names each id of a directive that suppressed nothing', () => {
    const outcome = applySuppressions([{ ruleId: 'bounded-attempts', line: 2 }], directives);
    expect(outcome.unused.map((unused) => [unused.directive.line, unused.ruleId])).toEqual([
      [1, 'require-jitter'],
      [3, 'no-stream-retry'],
    ]);
  });
});
