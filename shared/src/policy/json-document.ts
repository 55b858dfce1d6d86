/**
 * JSON-with-comments text as a node tree, or the syntax problems that stop it being one,
 * each at its line and column. Config files and Retry Lab scenario files both read this way.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../span.js';
import type { ConfigProblem } from './config.js';
import type { JsonPath } from './schema-validator.js';

/** A binary or badly broken file would give one problem per byte: the first few say enough. */
const MAX_SYNTAX_PROBLEMS = 10;

export interface JsonDocument {
  /** The text without a byte order mark (editors do not count it as a column). */
  readonly source: string;
  /** Present when the text parsed without errors. */
  readonly root?: Node;
  /** Syntax problems; empty when `root` is present. */
  readonly problems: readonly ConfigProblem[];
  /** A problem at a place in the text. */
  problemAt(path: JsonPath, offset: number, length: number, message: string): ConfigProblem;
}

export function readJsonDocument(text: string, file: string): JsonDocument {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const problemAt = (path: JsonPath, offset: number, length: number, message: string): ConfigProblem => {
    const { line, column } = lines.position(offset);
    return { file, path: formatJsonPath(path), line, column, message, span: lines.span(offset, offset + length) };
  };
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (!root && errors.every((error) => printParseErrorCode(error.error) === 'ValueExpected')) {
    return { source, problems: [problemAt([], source.length, 0, 'expected an object, found nothing (the file is empty)')], problemAt };
  }
  if (!root || errors.length > 0) {
    const problems = errors
      .slice(0, MAX_SYNTAX_PROBLEMS)
      // No JSON path: where a broken text "is" in the tree is a guess; the line and column are not.
      .map((error) => problemAt([], error.offset, error.length, syntaxMessage(source, error)));
    return { source, problems, problemAt };
  }
  return { source, root, problems: [], problemAt };
}

/** `policy.maxAttempts`, `rules["bounded-attempts"][1]`, `overrides[0].files`; the root is "". */
export function formatJsonPath(path: JsonPath): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) result += result ? `.${segment}` : segment;
    else result += `[${JSON.stringify(segment)}]`;
  }
  return result;
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

function syntaxMessage(source: string, error: ParseError): string {
  const expected = SYNTAX_MESSAGES[printParseErrorCode(error.error)] ?? 'syntax error';
  const token = source.slice(error.offset, error.offset + Math.max(error.length, 1));
  const found = error.offset >= source.length ? 'the end of the file' : JSON.stringify(token.length > 20 ? `${token.slice(0, 17)}...` : token);
  return `JSON syntax error: ${expected}, found ${found}`;
}
