/** Small text facts a renderer needs: line endings, indentation, top-level list elements. */

/**
 * `compute(text)`, remembered for the last text seen: the renderers ask the same question
 * of one text once per fix, and a file can have thousands of fixes.
 */
export function perText<T>(compute: (text: string) => T): (text: string) => T {
  let lastText: string | undefined;
  let lastValue: T;
  return (text) => {
    if (text !== lastText) {
      lastValue = compute(text);
      lastText = text;
    }
    return lastValue;
  };
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

export const detectEol = perText((text: string): '\n' | '\r\n' => {
  const crlf = countOf(text, '\r\n');
  const lf = countOf(text, '\n') - crlf;
  return crlf > lf ? '\r\n' : '\n';
});

export function lineStartOf(text: string, offset: number): number {
  const newline = text.lastIndexOf('\n', offset - 1);
  return newline + 1;
}

export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  const match = /^[ \t]*/.exec(text.slice(start, offset + 1));
  return match ? match[0] : '';
}

export function lastNonSpaceBefore(text: string, from: number, limit: number): number {
  let index = from - 1;
  while (index > limit && /\s/.test(text[index])) index--;
  return index;
}

export interface ElementRange {
  readonly start: number;
  readonly end: number;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * The top-level comma-separated elements between `open + 1` and `close` (exclusive),
 * skipping strings and nested brackets. Returns undefined when the text holds a comment
 * or something it cannot scan safely, so callers can decline to edit.
 */
export function splitTopLevelElements(text: string, open: number, close: number): ElementRange[] | undefined {
  const elements: ElementRange[] = [];
  const stack: string[] = [];
  let elementStart = -1;
  let elementEnd = -1;
  let index = open + 1;
  const finish = () => {
    if (elementStart >= 0) elements.push({ start: elementStart, end: elementEnd });
    elementStart = -1;
    elementEnd = -1;
  };
  while (index < close) {
    const ch = text[index];
    if (ch === '#' || (ch === '/' && (text[index + 1] === '/' || text[index + 1] === '*'))) return undefined;
    if (ch === '"' || ch === "'" || ch === '`') {
      const endQuote = text.indexOf(ch, index + 1);
      if (endQuote < 0 || endQuote >= close) return undefined;
      if (elementStart < 0) elementStart = index;
      elementEnd = endQuote + 1;
      index = endQuote + 1;
      continue;
    }
    if (ch in OPENERS) stack.push(OPENERS[ch]);
    else if (stack.length && ch === stack[stack.length - 1]) stack.pop();
    if (ch === ',' && stack.length === 0) {
      finish();
    } else if (!/\s/.test(ch)) {
      if (elementStart < 0) elementStart = index;
      elementEnd = index + 1;
    }
    index++;
  }
  if (stack.length) return undefined;
  finish();
  return elements;
}

/** True when `text` has a comma outside brackets and strings (needs parentheses to nest). */
export function hasTopLevelComma(text: string): boolean {
  const elements = splitTopLevelElements(`(${text})`, 0, text.length + 1);
  return elements === undefined || elements.length > 1;
}
