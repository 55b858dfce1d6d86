/**
 * The TypeScript/JavaScript half of the prefilter: whether a file holds anything the
 * frontend's recognizers start from. Every finding comes from a retry site (fetch and axios
 * calls are judged only inside one). A site is either a library or SDK client, resolved
 * through its import specifier, or a hand-written loop or recursion, which the frontend
 * accepts only with a failure path and evidence that the retried operation is remote. So a
 * file is parsed when it imports such a library, or has both a failure path and a piece of
 * evidence. Each anchor below is the text form of what a recognizer tests in the tree; a
 * recognizer that starts from a new shape needs its anchor here (test/linter/prefilter.test.ts).
 */
import { NETWORK_ERROR_CODE_PATTERN, NETWORK_ERROR_GUARD_PATTERN, NETWORK_ERROR_NAME_LIST } from '../frontends/typescript/network-errors.js';

const LIBRARY_IMPORT = /['"](?:openai|@anthropic-ai\/sdk|p-retry|async-retry|axios-retry|fetch-retry|got|ky|cockatiel|undici|ai|@langchain\/[\w-]+|langchain|modelfusion)['"/]/;

/**
 * Where a recognizer finds a failure path, in one pattern (it runs over every file): a catch
 * clause (`} catch`, comments allowed between), a rejection callback (`.catch(cb)`,
 * `['catch'](cb)`, `.then(ok, cb)`), a success test (`res.ok`), and a status (`res.status`,
 * `statusCode`, `httpStatus`, `res.code`), which a loop tests and a recursion's `if` mentions.
 */
const FAILURE_PATH =
  /\}(?:\s|\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/|\/\/[^\n\r]*[\n\r])*catch\b|\.\s*(?:catch|then|ok|code)\b|\[\s*['"`](?:catch|then|status|statusCode)['"`]|(?<![\w$])(?:status|statusCode|httpStatus|httpStatusCode)(?![\w$])/;

/** `status`, `res.statusCode`, `httpStatus`, `res['status']`: what status-tests.ts reads as a status. */
const STATUS_NAME = /(?:(?<![\w$])(?:status|statusCode|httpStatus|httpStatusCode)|\[\s*['"`](?:status|statusCode)['"`]\s*\])(?![\w$])/g;
/** `response.code`, `res.code`: a code is a status only as a member of a response. */
const RESPONSE_CODE = /\b(?:response|res|resp)\s*\??!?\.\s*code(?![\w$])/gi;
const MEMBER_CHAIN = String.raw`(?:[\w$]+\s*\??!?\.\s*)*`;
/**
 * What follows a status in a test: a comparison (not the start of a longer operator) whose other
 * side is a number or a constant naming one, never a string, `undefined` or a boolean; or `in`.
 */
const TESTED_AFTER = /\s*!?(?:\s+as\s+[\w$.]+)?\s*\)*\s*(?:[!=]==?|[<>]=?)(?!=)(?!\s*(?:['"`]|(?:undefined|null|true|false)(?![\w$])))|\s+in\b/y;
/** What precedes a status in a test: a comparison (not `=>`, and not after a string) or `.includes(` / `.has(`. */
const TESTED_BEFORE = new RegExp(String.raw`(?:(?<!['"\x60]\s*)(?:[!=]==?|<=?|(?<![=-])>=?)|\b(?:includes|has)\s*\()\s*\(*\s*${MEMBER_CHAIN}$`);
const BEFORE_WINDOW = 80;

function isTestedAt(code: string, start: number, end: number): boolean {
  TESTED_AFTER.lastIndex = end;
  return TESTED_AFTER.test(code) || TESTED_BEFORE.test(code.slice(Math.max(0, start - BEFORE_WINDOW), start));
}

/**
 * `res.status === 429`, `500 <= err.response?.status`, `[429, 503].includes(status)`: the tests
 * that make a status list (and, in a helper, evidence that the failure is remote). Each status
 * in the text is looked at in its context, which is cheaper than one pattern for every form.
 */
function hasStatusTest(code: string): boolean {
  for (const names of [STATUS_NAME, RESPONSE_CODE]) {
    for (const match of code.matchAll(names)) {
      if (isTestedAt(code, match.index, match.index + match[0].length)) return true;
    }
  }
  return false;
}

const NETWORK_ERROR_NAMES = NETWORK_ERROR_NAME_LIST.join('|');
/**
 * Direct evidence of a remote operation (besides a status test): an HTTP or SDK call, a
 * Retry-After or rate-limit header (a literal or a constant's value), a network error tested by
 * class (`instanceof`) or by a guard (`isAxiosError(e)`). One pattern: most texts have none of
 * them, and one scan costs less than one per form. Every form starts with fixed text (the SDK
 * call is found by its method first), which is what lets the scan skip ahead.
 */
const REMOTE_EVIDENCE = new RegExp(
  [
    String.raw`\bfetch\s*\(`,
    'axios',
    String.raw`\b[Rr]equest\s*\(`,
    String.raw`\.(?:create|stream|parse|generate|edit)\s*\((?<=(?:completions|messages|responses|embeddings|images|moderations|audio\.\w+)\.\w+\s*\()`,
    '[Rr]etry-?[Aa]fter|RETRY-?AFTER|[Xx]-[Rr]ate[Ll]imit-[Rr]eset|X-RATELIMIT-RESET',
    String.raw`\binstanceof\s*\(?\s*${MEMBER_CHAIN}(?:${NETWORK_ERROR_NAMES})(?![\w$])`,
    String.raw`\b${NETWORK_ERROR_GUARD_PATTERN}\s*\(`,
  ].join('|'),
);
/** `if (res.ok) return res`: a loop that leaves on success retries every other answer. */
const OK_TEST = /ok\b(?<=\.\s*ok)/;
/** A network error's name or code as a whole string (`'ECONNRESET'`, `"TimeoutError"`), found by the name first. */
const QUOTED_ERROR = new RegExp(String.raw`(?:${NETWORK_ERROR_NAMES}|${NETWORK_ERROR_CODE_PATTERN})['"\x60]`, 'g');
const QUOTES = new Set(["'", '"', '`']);

function quotesNetworkError(code: string): boolean {
  for (const match of code.matchAll(QUOTED_ERROR)) {
    if (QUOTES.has(code[match.index - 1] ?? '')) return true;
  }
  return false;
}

/** `request({ method: 'POST', url })`: the options of an HTTP request, handed to any callee. */
const REQUEST_OPTIONS: readonly RegExp[] = [/\bmethod\s*[:,}]/, /\bur[il]\s*[:,}]/];

function hasRemoteEvidence(code: string): boolean {
  return (
    REMOTE_EVIDENCE.test(code) ||
    OK_TEST.test(code) ||
    hasStatusTest(code) ||
    quotesNetworkError(code) ||
    REQUEST_OPTIONS.every((pattern) => pattern.test(code))
  );
}

/**
 * A wait is evidence only when its delay grows (exponential backoff, retry-evidence.ts): a
 * constant sleep is also how code polls a UI or a local server. A wait is an awaited call named
 * like one (`await sleep(ms)`, `await this.limiter.wait()`; in code compiled to `__awaiter`, a
 * `yield`), a timer (`setTimeout`, also from timers/promises), `Atomics.wait`, a busy loop on
 * the clock, or a sleep chained with `.then` (`sleep(ms).then(() => run(n + 1))`).
 */
const WAIT_CALL = String.raw`(?:[\w$#]+\s*\??!?\.\s*)*[\w$#]*(?:sleep|delay|wait|backoff|pause|throttle|limit)[\w$]*\s*(?:<[^()]*>\s*)?\(`;
const WAIT = new RegExp(String.raw`(?<![\w$.])await\s*(?:\(\s*)*${WAIT_CALL}|setTimeout|\bAtomics\b|\bwhile\s*\([^{};]*(?:Date|performance)\s*\.\s*now\b`, 'i');
const YIELDED_WAIT = new RegExp(String.raw`(?<![\w$.])yield\s*(?:\(\s*)*${WAIT_CALL}`, 'i');
const CHAINED_SLEEP = /\b(?:sleep|delay|wait|pause|sleepMs|waitMs|delayMs|backoffSleep)\s*(?:<[^()]*>\s*)?\(/;
const THEN = /\.\s*then\b/;

function hasWait(code: string): boolean {
  return WAIT.test(code) || (CHAINED_SLEEP.test(code) && THEN.test(code)) || (code.includes('__awaiter') && YIELDED_WAIT.test(code));
}

/** What makes a delay exponential in delay-expression.ts: `**`, `<<`, `Math.pow`, a variable multiplied each round. */
const GROWTH = [
  /(?<!\/)\*\*(?!\/)|<<|\bpow\s*\(|\*=/,
  /(?<![\w$.])([\w$]+)\s*=(?!=)[^;\n\r]*?(?:(?<![\w$.])\1\s*\)?\s*\*(?![*/])|\*\s*\(?\s*\1(?![\w$]))/,
];

function hasGrowingWait(code: string): boolean {
  return hasWait(code) && GROWTH.some((pattern) => pattern.test(code));
}

function mayHaveAnchors(text: string): boolean {
  return LIBRARY_IMPORT.test(text) || FAILURE_PATH.test(text);
}

function hasTypeScriptAnchors(code: string): boolean {
  return LIBRARY_IMPORT.test(code) || (FAILURE_PATH.test(code) && (hasRemoteEvidence(code) || hasGrowingWait(code)));
}

/**
 * Comments that start a line: JSDoc blocks and `//` lines. No recognizer reads a comment, and
 * in documented libraries they are most of the text and full of anchor words from their
 * examples (`catch`, `Effect.sleep(...)`: 83% of effect's Effect.ts is comments).
 *
 * Inside a template literal or JSX text a line may start with `/*` or `//` without being a
 * comment. Dropping such text is harmless as long as it holds no code, and code there sits in
 * `${...}`, or after the closing backtick or tag. So only these go: a one-line comment without
 * a backtick or `${`, and a block whose every further line starts with `*` (text running on
 * into code would have to put a `*` at the start of each line of that code).
 */
const LINE_START_COMMENT = /^[ \t]*(?:\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/|\/\/[^\n\r]*)/gm;
const LINE_BREAK = /[\n\r]/;
/** A line of the block (after the first) that does not start with `*`. */
const NON_CONTINUATION_LINE = /[\n\r](?![ \t]*\*|\n)/;

function isPlainOneLineComment(comment: string): boolean {
  return !comment.includes('`') && !comment.includes('${');
}

function isCommentBlock(comment: string): boolean {
  return LINE_BREAK.test(comment) ? !NON_CONTINUATION_LINE.test(comment) : isPlainOneLineComment(comment);
}

function isDroppable(comment: string): boolean {
  return comment.trimStart().startsWith('/*') ? isCommentBlock(comment) : isPlainOneLineComment(comment);
}

function withoutLineStartComments(text: string): string {
  return text.replace(LINE_START_COMMENT, (comment) => (isDroppable(comment) ? '' : comment));
}

/**
 * Most files have neither a library import nor a failure path even with their comments: they
 * are not copied without them. The evidence is looked for in the code only.
 */
export function mayContainTypeScriptRetry(text: string): boolean {
  return mayHaveAnchors(text) && hasTypeScriptAnchors(withoutLineStartComments(text));
}

/** An import or a require: the module may be one whose code gives the evidence (project mode). */
const IMPORTS_A_MODULE = /\bimport\b[^;]*?\bfrom\s*['"]|\bimport\s*\(|\brequire\s*\(/;

/**
 * Project mode: the evidence of a remote call may sit in another module (`await ask(prompt)`
 * inside a `try`), so a failure path and an import are enough to parse the file.
 */
export function mayContainTypeScriptRetryAcrossModules(text: string): boolean {
  if (mayContainTypeScriptRetry(text)) return true;
  if (!FAILURE_PATH.test(text) || !IMPORTS_A_MODULE.test(text)) return false;
  const code = withoutLineStartComments(text);
  return FAILURE_PATH.test(code) && IMPORTS_A_MODULE.test(code);
}
