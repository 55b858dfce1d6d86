/**
 * The code of a Python file as the prefilter reads it: comments and string statements
 * (docstrings, and any other string that stands alone as a statement) blanked out, and where
 * its logical lines start (the lines a statement can start on: not inside brackets or strings,
 * not after a backslash that continues the line).
 *
 * Neither can hold what a recognizer starts from: a sleep or an HTTP call is a call, a library
 * comes in through an import, and a retry loop is named in its header or its function's name,
 * all of which are code. Library sources document retries in prose everywhere ("the number of
 * attempts", "see requests"), so without this most of their files would be parsed for nothing.
 * Strings inside code (arguments, a loop header's `settings['retries']`) are kept.
 *
 * What is left out is replaced by spaces (line breaks kept), and so are backslash
 * continuations: offsets, lines and indentation stay those of the file, and a statement
 * continued over several lines reads as one.
 *
 * A one-pass scanner, not a tokenizer: when it loses track (an unterminated string, brackets
 * that do not balance, such as a Python 3.12 f-string that nests its own quotes), it gives up
 * and the prefilter parses the file, so a surprise costs time, never a finding.
 */

export interface PythonCode {
  /** The file's text with comments, string statements and continuations blanked out. */
  readonly text: string;
  /** Offsets where logical lines start, in order (blank ones included). */
  readonly lineStarts: readonly number[];
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const BACKSLASH = 92;
const HASH = 35;
const SEMICOLON = 59;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

/** `r`, `b`, `f`, `u`, `t` and their two-letter combinations, in any case. */
const STRING_PREFIX = /^(?:[rbfut]|[rR][bBfFtT]|[bBfFtT][rR])$/i;

function isQuote(code: number): boolean {
  return code === SINGLE_QUOTE || code === DOUBLE_QUOTE;
}

function isLineBreak(code: number): boolean {
  return code === NEWLINE || code === CARRIAGE_RETURN;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 12;
}

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128;
}

/** The index of the line break that ends the line at `index` (or the text's end). */
function lineEnd(text: string, index: number, hasCarriageReturns: boolean): number {
  const newline = text.indexOf('\n', index);
  const end = newline < 0 ? text.length : newline;
  if (!hasCarriageReturns) return end;
  const carriageReturn = text.indexOf('\r', index);
  return carriageReturn >= 0 && carriageReturn < end ? carriageReturn : end;
}

/** After a backslash that continues the line: the index past the line break, or -1. */
function afterContinuation(text: string, index: number): number {
  if (text.charCodeAt(index) !== BACKSLASH) return -1;
  const next = text.charCodeAt(index + 1);
  if (next === NEWLINE) return index + 2;
  if (next === CARRIAGE_RETURN) return text.charCodeAt(index + 2) === NEWLINE ? index + 3 : index + 2;
  return -1;
}

/** The index past the string literal whose quote is at `quote`, or -1 when it does not end. */
function stringEnd(text: string, quote: number): number {
  const mark = text.charCodeAt(quote);
  const triple = text.charCodeAt(quote + 1) === mark && text.charCodeAt(quote + 2) === mark;
  // Jumps to the next character that can matter (the quote, a backslash, a line break for a
  // one-line string): docstrings are long and hold few of them.
  const stop = STRING_STOPS[(mark === SINGLE_QUOTE ? 0 : 2) + (triple ? 1 : 0)];
  stop.lastIndex = quote + (triple ? 3 : 1);
  for (let found = stop.exec(text); found; found = stop.exec(text)) {
    const index = found.index;
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) {
      stop.lastIndex = index + (text.charCodeAt(index + 1) === CARRIAGE_RETURN && text.charCodeAt(index + 2) === NEWLINE ? 3 : 2);
    } else if (code === mark) {
      if (!triple) return index + 1;
      if (text.charCodeAt(index + 1) === mark && text.charCodeAt(index + 2) === mark) return index + 3;
    } else {
      return -1;
    }
  }
  return -1;
}

/** What ends or escapes a `'`, `'''`, `"` and `"""` string. */
const STRING_STOPS = [/['\\\n\r]/g, /['\\]/g, /["\\\n\r]/g, /["\\]/g];

/** Where a string literal (with its prefix) starts at `index`: the quote's index, or -1. */
function quoteOfLiteral(text: string, index: number): number {
  if (isQuote(text.charCodeAt(index))) return index;
  let end = index;
  while (end < text.length && end - index <= 2 && isWordCharacter(text.charCodeAt(end))) end++;
  return isQuote(text.charCodeAt(end)) && STRING_PREFIX.test(text.slice(index, end)) ? end : -1;
}

/**
 * The end of a statement made only of string literals starting at `index` (implicit
 * concatenation included), or -1 when something else follows them on the logical line.
 * -2 when a literal does not end.
 */
function stringStatementEnd(text: string, index: number): number {
  let position = index;
  for (;;) {
    const quote = quoteOfLiteral(text, position);
    if (quote < 0) break;
    const end = stringEnd(text, quote);
    if (end < 0) return -2;
    position = end;
    for (;;) {
      while (isBlank(text.charCodeAt(position))) position++;
      const continued = afterContinuation(text, position);
      if (continued < 0) break;
      position = continued;
    }
  }
  if (position === index) return -1;
  if (position >= text.length) return position;
  const code = text.charCodeAt(position);
  return isLineBreak(code) || code === SEMICOLON || code === HASH ? position : -1;
}

/**
 * The text with the left-out spans turned into spaces, line breaks kept, and continuations
 * turned into spaces whole. Written into a buffer: building it from string pieces cost more
 * than the scan itself.
 */
function blankedText(text: string, leftOut: readonly number[], continuations: readonly number[]): string {
  if (leftOut.length === 0 && continuations.length === 0) return text;
  // Native and fast: every UTF-16 unit is one UTF-8 byte exactly when the text is ASCII.
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  const encoding = ascii ? 'latin1' : 'utf16le';
  const bytes = Buffer.from(text, encoding);
  const width = ascii ? 1 : 2;
  const blank = (index: number): void => {
    bytes[index * width] = 32;
    if (!ascii) bytes[index * 2 + 1] = 0;
  };
  for (let pair = 0; pair < leftOut.length; pair += 2) {
    for (let index = leftOut[pair]; index < leftOut[pair + 1]; index++) if (!isLineBreak(text.charCodeAt(index))) blank(index);
  }
  for (let pair = 0; pair < continuations.length; pair += 2) {
    for (let index = continuations[pair]; index < continuations[pair + 1]; index++) blank(index);
  }
  return bytes.toString(encoding);
}

/** The code of a Python text, or undefined when the scan lost track. */
export function pythonCode(text: string): PythonCode | undefined {
  const lineStarts = [0];
  /** Start and end of each span left out, in pairs. */
  const leftOut: number[] = [];
  const leaveOut = (start: number, end: number): void => {
    leftOut.push(start, end);
  };
  /** Start and end of each backslash continuation (the backslash and its line break), in pairs. */
  const continuations: number[] = [];
  const hasCarriageReturns = text.includes('\r');
  let depth = 0;
  let statementStart = true;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === HASH) {
      const end = lineEnd(text, index, hasCarriageReturns);
      leaveOut(index, end);
      index = end;
    } else if (isLineBreak(code)) {
      index += code === CARRIAGE_RETURN && text.charCodeAt(index + 1) === NEWLINE ? 2 : 1;
      if (depth === 0) {
        statementStart = true;
        lineStarts.push(index);
      }
    } else if (isBlank(code)) {
      index++;
    } else if (code === BACKSLASH) {
      const continued = afterContinuation(text, index);
      if (continued < 0) return undefined;
      continuations.push(index, continued);
      index = continued;
    } else if (isQuote(code) || isWordCharacter(code)) {
      const quote = quoteOfLiteral(text, index);
      if (quote >= 0) {
        const statementEnd = statementStart && depth === 0 ? stringStatementEnd(text, index) : -1;
        if (statementEnd === -2) return undefined;
        if (statementEnd >= 0) {
          leaveOut(index, statementEnd);
          index = statementEnd;
        } else {
          const end = stringEnd(text, quote);
          if (end < 0) return undefined;
          index = end;
        }
      } else {
        while (index < text.length && isWordCharacter(text.charCodeAt(index))) index++;
      }
      statementStart = false;
    } else {
      if (code === 40 || code === 91 || code === 123) depth++;
      else if (code === 41 || code === 93 || code === 125) {
        depth--;
        if (depth < 0) return undefined;
      }
      statementStart = code === SEMICOLON && depth === 0;
      index++;
    }
  }
  if (depth !== 0) return undefined;
  return { text: blankedText(text, leftOut, continuations), lineStarts };
}

/** The code alone (see `pythonCode`), or undefined when the scan lost track. */
export function pythonCodeText(text: string): string | undefined {
  return pythonCode(text)?.text;
}
