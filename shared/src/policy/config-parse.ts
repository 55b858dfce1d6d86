/**
 * Reads `retrylint.config.json` text: JSON with comments and trailing commas, checked
 * against the config schema. Every problem names the file, the JSON path, the line and
 * column of the offending value, what was expected and what was found.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../span.js';
import type { ConfigFile, ConfigProblem } from './config.js';
import { buildConfigSchema } from './config-schema.js';
import { didYouMean } from './did-you-mean.js';
import type { JsonSchema } from './json-schema.js';
import { isPresetName, PRESET_NAMES, PRESET_PREFIX } from './presets.js';
import { INVALID, SchemaValidator, type JsonPath, type SchemaIssue } from './schema-validator.js';

export interface ParsedConfig {
  /**
   * Present when the text is a JSON object. Values with problems are left out, so a caller
   * may go on with the rest (the editor) or stop at the first problem (the CLI).
   */
  readonly config?: ConfigFile;
  /** Sorted by position. */
  readonly problems: readonly ConfigProblem[];
}

/** A binary or badly broken file would give one problem per byte: the first few say enough. */
const MAX_SYNTAX_PROBLEMS = 10;

let cachedSchema: JsonSchema | undefined;

function configSchema(): JsonSchema {
  cachedSchema ??= buildConfigSchema();
  return cachedSchema;
}

export function parseConfigText(text: string, file: string): ParsedConfig {
  // Editors do not count a byte order mark as a column.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const at = (path: JsonPath, offset: number, length: number, message: string): ConfigProblem => {
    const { line, column } = lines.position(offset);
    return { file, path: formatJsonPath(path), line, column, message, span: lines.span(offset, offset + length) };
  };

  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (!root && errors.every((error) => printParseErrorCode(error.error) === 'ValueExpected')) {
    return { problems: [at([], source.length, 0, 'expected an object, found nothing (the file is empty)')] };
  }
  if (!root || errors.length > 0) {
    const problems = errors
      .slice(0, MAX_SYNTAX_PROBLEMS)
      // No JSON path: where a broken text "is" in the tree is a guess; the line and column are not.
      .map((error) => at([], error.offset, error.length, syntaxMessage(source, error)));
    return { problems };
  }

  const schema = configSchema();
  const issues: SchemaIssue[] = [];
  const checked = new SchemaValidator(schema, source, unknownKeyNoun).validate(root, schema, [], issues);
  const config = checked === INVALID ? undefined : withoutUnknownPresets(checked as ConfigFile, root, issues);
  const problems = issues
    .slice()
    .sort((a, b) => a.node.offset - b.node.offset)
    .map((issue) => at(issue.path, issue.node.offset, issue.node.length, issue.message));
  return config ? { config, problems } : { problems };
}

/** `retrylint.config.json:4:5 policy.maxAttempts: expected an integer >= 1, found "five"` */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
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

/** What an unknown key inside the object at `objectPath` is called in messages. */
function unknownKeyNoun(objectPath: JsonPath): string {
  const inConfigObject = objectPath.length === 1 || (objectPath.length === 3 && objectPath[0] === 'overrides');
  const last = objectPath[objectPath.length - 1];
  if (inConfigObject && last === 'rules') return 'rule';
  if (inConfigObject && last === 'policy') return 'policy option';
  if (objectPath.length >= 3 && objectPath[objectPath.length - 3] === 'rules' && last === 1) return 'rule option';
  return 'key';
}

/** `extends` entries that look like presets (`retrylint:...`) but name none are problems. */
function withoutUnknownPresets(config: ConfigFile, root: Node, issues: SchemaIssue[]): ConfigFile {
  const extendsNode = findNodeAtLocation(root, ['extends']);
  if (!extendsNode || config.extends === undefined) return config;
  const entries = extendsNode.type === 'array' ? (extendsNode.children ?? []) : [extendsNode];
  const unknown = new Set<string>();
  entries.forEach((node, index) => {
    if (node.type !== 'string') return;
    const name = node.value as string;
    if (!name.startsWith(PRESET_PREFIX) || isPresetName(name)) return;
    unknown.add(name);
    const hint = didYouMean(name, PRESET_NAMES) || `; the presets are ${PRESET_NAMES.map((preset) => JSON.stringify(preset)).join(' and ')}`;
    const path = extendsNode.type === 'array' ? ['extends', index] : ['extends'];
    issues.push({ path, node, message: `unknown preset ${JSON.stringify(name)}${hint}` });
  });
  if (unknown.size === 0) return config;
  const { extends: entriesValue, ...rest } = config;
  if (typeof entriesValue === 'string') return rest;
  return { ...rest, extends: (entriesValue ?? []).filter((name) => !unknown.has(name)) };
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
