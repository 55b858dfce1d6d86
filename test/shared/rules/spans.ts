import type { Span } from '@retrylint/shared';

/** A span on `line` (offsets spaced 100 per line), for sites built by hand in rule tests. */
export function at(line: number, column = 1, length = 3): Span {
  const start = line * 100 + column;
  return { start, end: start + length, line, column, endLine: line, endColumn: column + length };
}

/** A one-line span from offsets. */
export function span(start: number, end = start + 1): Span {
  return { start, end, line: 1, column: start + 1, endLine: 1, endColumn: end + 1 };
}
