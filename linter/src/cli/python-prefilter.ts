/**
 * The prefilter's test for Python: could a recognizer find a site in this file? It mirrors the
 * recognizers' entry points (test/linter/prefilter.test.ts holds it to every fixture):
 *
 * - a library site or an HTTP/SDK call is found only through a name the file imports
 *   (`file.qualify`, `file.importsModule`), so an import brings in such a name;
 * - a hand-written loop or a recursion is a site only when it has a failure path (a handler,
 *   a status test, a deciding helper) and retries a remote operation (`retriesRemoteOperation`):
 *   a recognized call (an import again), a sleep (an imported `time.sleep` or its kin), a call
 *   named like a backoff, or, in its function, a status test, a helper that decides
 *   (`self._should_retry(resp)` in a condition), a Retry-After read or a handler for an
 *   exception only network clients raise (named, or held in a name the file assigns:
 *   `except RETRYABLE:`).
 *
 * The last group is looked for in the text of each function that holds a loop or calls itself
 * (the values the recognizers follow from a loop are bound in its function, or in the module
 * for a loop outside functions). That is what keeps library code out: an HTTP client's sources
 * speak of statuses and timeouts everywhere, but their loops walk headers and chunks.
 *
 * Everything is read from the code alone (`python-code.ts`); when that scan loses track, an
 * import does not read as one, or indentation is written with tabs, the file is parsed.
 */
import {
  ADAPTERS,
  DECIDING_HELPER,
  REMOTE_ERROR_NAMES,
  RETRY_CLASSES,
  SESSION_CONSTRUCTORS,
  SLEEPS,
  STATUS_ATTRIBUTE_NAMES,
  STATUS_VARIABLE_NAMES,
  VOCABULARY,
} from '../frontends/python/entry-names.js';
import { pythonCode, type PythonCode } from './python-code.js';
import { importedNames } from './python-imports.js';

/**
 * Imports a site or a recognized call can come through. Names of these modules with at most two
 * parts (`requests.get`, `httpx.Client`, `openai.OpenAI`, the module itself) can all be one;
 * tenacity and backoff are recognized by their module alone; deeper names only as the
 * recognizers spell them (`requests.adapters.HTTPAdapter`, `urllib3.util.retry.Retry`), so
 * `from urllib3.exceptions import ProtocolError` brings in nothing a site is made of.
 */
const SHALLOW_MODULES: ReadonlySet<string> = new Set(['requests', 'httpx', 'aiohttp', 'openai', 'anthropic']);
const WHOLE_MODULES: ReadonlySet<string> = new Set(['tenacity', 'backoff']);
const SITE_NAMES: readonly string[] = [...RETRY_CLASSES, ...ADAPTERS, ...SESSION_CONSTRUCTORS];

function bringsInSite(name: string): boolean {
  const parts = name.split('.');
  if (WHOLE_MODULES.has(parts[0]) || (SHALLOW_MODULES.has(parts[0]) && parts.length <= 2)) return true;
  return SITE_NAMES.some((site) => site === name || site.startsWith(`${name}.`));
}

/** `import time`, `from asyncio import sleep`: a sleep the recognizers know can be called. */
function bringsInSleep(name: string): boolean {
  return [...SLEEPS].some((sleep) => sleep === name || sleep.startsWith(`${name}.`));
}

const SLEEP_WORD = /sleep/i;
/** A call to a callee named like a backoff (`BACKOFF_CALLEE` in remote-evidence.ts), in the loop or in a helper it calls. */
const BACKOFF_CALL = /back_?off\w*\s*\(/i;

const STATUS_WORDS = [...new Set([...STATUS_ATTRIBUTE_NAMES, ...STATUS_VARIABLE_NAMES])].filter((name) => name !== 'code');
/** In the function of a loop or a recursion: a status test (`.code` counts on some objects) or a Retry-After header. */
const FUNCTION_EVIDENCE = new RegExp(String.raw`\b(?:${STATUS_WORDS.join('|')})\b|\.\s*code\b|retry-after`, 'i');
/** A call to a deciding helper (its last name segment matches), which counts in an `if` or `elif` condition. */
const DECIDING_CALL = new RegExp(String.raw`(?:${DECIDING_HELPER.source})\w*\s*\(`, 'i');
const CONDITION_HEADER = /(?:if|elif)\b/y;
/** Handled exception types that only network clients raise, by the last part of their name. */
const REMOTE_ERRORS: ReadonlySet<string> = new Set(REMOTE_ERROR_NAMES);
const EXCEPT = /\bexcept\b/;
/** The exception types of an `except` clause (up to its colon). */
const EXCEPT_CLAUSE = /\bexcept\b\*?([^:]*)/g;
const BOUND_NAME = /\bas\s+\w+\s*$/;
const DOTTED_NAME = /[A-Za-z_][\w.]*/g;

/** False only when no recognizer can find a site in the file. */
export function mayContainPythonRetry(text: string): boolean {
  // The frontend itself reads no file without any of these words.
  if (!VOCABULARY.test(text)) return false;
  const code = pythonCode(text);
  if (!code) return true;
  const source = code.text;
  const imported = importedNames(source);
  if (imported === undefined || imported.some(bringsInSite)) return true;
  // Without a failure path to go round on (a handler, a status test, a deciding helper) nothing retries.
  const found: FailurePaths = { handlers: EXCEPT.test(source), statusTests: FUNCTION_EVIDENCE.test(source), decidingCalls: DECIDING_CALL.test(source) };
  if (!found.handlers && !found.statusTests && !found.decidingCalls) return false;
  const lines = logicalLines(code);
  if (!lines) return true;
  const candidates = retryCandidates(source, lines);
  if (candidates.length === 0) return false;
  // A helper called from the loop may sleep or back off: their words anywhere in the file count.
  if (BACKOFF_CALL.test(source) || (imported.some(bringsInSleep) && SLEEP_WORD.test(source))) return true;
  // A status test may read a name bound at the module's top level (`if rate_limited:`).
  if (found.statusTests && moduleStatements(source, lines).some((text) => FUNCTION_EVIDENCE.test(text))) return true;
  const assigned = new AssignedNames(source);
  return candidates.some((candidate) => hasEvidence(source, lines, candidate, found, assigned));
}

/** Which kinds of failure path the file's text has anywhere: the others need no looking for. */
interface FailurePaths {
  readonly handlers: boolean;
  /** Status tests, and Retry-After reads with them. */
  readonly statusTests: boolean;
  readonly decidingCalls: boolean;
}

const BLOCK_HEADER = /(?:async\s+)?(?:def|class)\b|@/y;

/** The text of the module's own statements (not inside a function or a class). */
function moduleStatements(source: string, lines: readonly LogicalLine[]): string[] {
  const statements: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].indent > 0) continue;
    BLOCK_HEADER.lastIndex = lines[index].codeStart;
    if (BLOCK_HEADER.test(source)) continue;
    statements.push(source.slice(lines[index].start, offsetOfLine(source, lines, index + 1)));
  }
  return statements;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Logical lines `first` up to (not including) `end`. */
interface LineRange {
  readonly first: number;
  readonly end: number;
}

/** A logical line of code (not blank), with its indentation in columns. */
interface LogicalLine {
  readonly start: number;
  readonly indent: number;
  /** Where its code starts, after the indentation. */
  readonly codeStart: number;
}

const LOOP_HEADER = /(?:async\s+)?(?:for|while)\b/y;
const FUNCTION_HEADER = /(?:async\s+)?def\s+([A-Za-z_]\w*)/y;

interface OpenFunction {
  readonly name: string;
  /** Index of its header line. */
  readonly line: number;
  readonly indent: number;
  /** Where the text after its name starts (parameters, body). */
  readonly afterName: number;
}

/**
 * The lines a loop or a recursion could be judged on: the outermost function around each loop
 * (the whole module for a loop outside functions) and around each function that calls itself.
 */
function retryCandidates(source: string, lines: readonly LogicalLine[]): LineRange[] {
  const candidates: LineRange[] = [];
  const open: OpenFunction[] = [];
  /** The outermost open function holds a loop or a recursion. */
  let outermostRetries = false;
  const close = (index: number): void => {
    const fn = open.pop() as OpenFunction;
    if (!outermostRetries && callsItself(source, fn, { start: fn.afterName, end: offsetOfLine(source, lines, index) })) outermostRetries = true;
    if (open.length === 0 && outermostRetries) candidates.push({ first: fn.line, end: index });
    if (open.length === 0) outermostRetries = false;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    while (open.length > 0 && open[open.length - 1].indent >= line.indent) close(index);
    LOOP_HEADER.lastIndex = line.codeStart;
    if (LOOP_HEADER.test(source)) {
      if (open.length === 0) return [{ first: 0, end: lines.length }];
      outermostRetries = true;
      continue;
    }
    FUNCTION_HEADER.lastIndex = line.codeStart;
    const header = FUNCTION_HEADER.exec(source);
    if (header) open.push({ name: header[1], line: index, indent: line.indent, afterName: line.codeStart + header[0].length });
  }
  while (open.length > 0) close(lines.length);
  return candidates;
}

/** Where logical line `index` starts (the end of the text past the last one). */
function offsetOfLine(source: string, lines: readonly LogicalLine[], index: number): number {
  return index < lines.length ? lines[index].start : source.length;
}

/** Indentation with tabs or form feeds: undefined (their width is the parser's business). */
function logicalLines(code: PythonCode): LogicalLine[] | undefined {
  const source = code.text;
  const lines: LogicalLine[] = [];
  for (const start of code.lineStarts) {
    let position = start;
    while (source.charCodeAt(position) === 32) position++;
    const next = source.charCodeAt(position);
    if (next === 9 || next === 12) return undefined;
    // Blank lines (and what the code scan blanked out) do not end a block.
    if (position >= source.length || next === 10 || next === 13) continue;
    lines.push({ start, indent: position - start, codeStart: position });
  }
  return lines;
}

/**
 * A call the recursion recognizer takes for the function itself: `name(...)` for a function
 * of the module, `self.name(...)` or `cls.name(...)` for a method.
 */
function callsItself(source: string, fn: OpenFunction, body: Span): boolean {
  for (const at of wordsNamed(source, fn.name, body)) {
    if (source.charCodeAt(skipBlanks(source, at + fn.name.length)) !== OPEN_PAREN) continue;
    const dot = skipBlanksBack(source, at) - 1;
    const dotted = source.charCodeAt(dot) === DOT;
    if (fn.indent === 0 ? !dotted : dotted && endsWithSelfOrCls(source, skipBlanksBack(source, dot))) return true;
  }
  return false;
}

function endsWithSelfOrCls(source: string, end: number): boolean {
  return ['self', 'cls'].some((word) => source.startsWith(word, end - word.length) && !isWordCode(source.charCodeAt(end - word.length - 1)));
}

const OPEN_PAREN = 40;
const DOT = 46;
const EQUALS = 61;
const COLON = 58;

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function skipBlanks(source: string, index: number): number {
  let at = index;
  while (source.charCodeAt(at) === 32 || source.charCodeAt(at) === 9) at++;
  return at;
}

function skipBlanksBack(source: string, index: number): number {
  let at = index;
  while (at > 0 && (source.charCodeAt(at - 1) === 32 || source.charCodeAt(at - 1) === 9)) at--;
  return at;
}

/** Offsets of `name` as a whole word within `span` (no regular expression to compile per name). */
function* wordsNamed(source: string, name: string, span: Span): Generator<number> {
  for (let at = source.indexOf(name, span.start); at >= 0 && at + name.length <= span.end; at = source.indexOf(name, at + 1)) {
    if (!isWordCode(source.charCodeAt(at - 1)) && !isWordCode(source.charCodeAt(at + name.length))) yield at;
  }
}

function hasEvidence(source: string, lines: readonly LogicalLine[], candidate: LineRange, found: FailurePaths, assigned: AssignedNames): boolean {
  const text = source.slice(lines[candidate.first].start, offsetOfLine(source, lines, candidate.end));
  if (found.statusTests && FUNCTION_EVIDENCE.test(text)) return true;
  if (found.handlers) {
    for (const clause of text.matchAll(EXCEPT_CLAUSE)) {
      for (const dotted of clause[1].replace(BOUND_NAME, '').match(DOTTED_NAME) ?? []) {
        const name = dotted.split('.').pop() as string;
        if (REMOTE_ERRORS.has(name) || assigned.mayHoldValue(name)) return true;
      }
    }
  }
  if (!found.decidingCalls || !DECIDING_CALL.test(text)) return false;
  for (let index = candidate.first; index < candidate.end; index++) {
    CONDITION_HEADER.lastIndex = lines[index].codeStart;
    if (!CONDITION_HEADER.test(source)) continue;
    // The logical line holds the whole condition, however many lines its brackets take.
    if (DECIDING_CALL.test(source.slice(lines[index].codeStart, offsetOfLine(source, lines, index + 1)))) return true;
  }
  return false;
}

/**
 * Where the recognizers may follow an `except NAME:` (or `except self.NAME:`) to a tuple of
 * remote error types: `NAME = ...`, `self.NAME = ...`, `NAME: T = ...`, a parameter default or
 * keyword argument `NAME=...`, a class field `NAME: T` filled by a constructor argument.
 */
class AssignedNames {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly source: string) {}

  mayHoldValue(name: string): boolean {
    let holds = this.known.get(name);
    if (holds === undefined) {
      holds = this.findBinding(name);
      this.known.set(name, holds);
    }
    return holds;
  }

  private findBinding(name: string): boolean {
    const { source } = this;
    for (const at of wordsNamed(source, name, { start: 0, end: source.length })) {
      const after = skipBlanks(source, at + name.length);
      const next = source.charCodeAt(after);
      if (next === EQUALS && source.charCodeAt(after + 1) !== EQUALS) return true;
      if (next !== COLON) continue;
      const lineStart = Math.max(source.lastIndexOf('\n', at), source.lastIndexOf('\r', at)) + 1;
      if (skipBlanks(source, lineStart) === at) return true;
      // `NAME: T = value`: an `=` (not `==`) later on the line.
      const rest = ANNOTATED_VALUE.exec(source.slice(after + 1, lineEndOf(source, after)));
      if (rest) return true;
    }
    return false;
  }
}

const ANNOTATED_VALUE = /^[^=]*=(?!=)/;

function lineEndOf(source: string, from: number): number {
  let at = from;
  while (at < source.length && source.charCodeAt(at) !== 10 && source.charCodeAt(at) !== 13) at++;
  return at;
}
