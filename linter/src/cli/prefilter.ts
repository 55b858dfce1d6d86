/**
 * A cheap text scan that decides whether a file is parsed at all. Most files of a
 * codebase contain no retry code, and parsing is the expensive step, so a file is parsed
 * only when it contains something a frontend recognizer starts from.
 *
 * The contract is one-sided: it may keep a file that has nothing to report, but it must
 * never drop a file that a rule would flag. So the anchors below mirror the recognizers'
 * entry points, not a guess at what retry code usually says: a recognizer that starts from
 * a new name or shape needs its anchor here (test/linter/prefilter.test.ts runs every
 * fixture, with its markers removed, and anchor-free retry shapes through it).
 */
import type { Language } from '@retrylint/shared';
import { NETWORK_ERROR_NAME_LIST } from '../frontends/typescript/network-errors.js';
import { mayContainPythonRetry } from './python-prefilter.js';

/**
 * TypeScript: every finding comes from a retry site (fetch and axios calls are judged only
 * inside one). A site is either a library or SDK client, resolved through its import
 * specifier, or a hand-written loop or recursion, which the frontend accepts only with a
 * failure path (a catch or a status test) and evidence of a remote call: an HTTP or SDK call,
 * a wait, a status test, a Retry-After read or a network error name. So a file is parsed
 * when it imports such a library, or has both a failure path and a piece of evidence.
 */
const LIBRARY_IMPORT = /['"](?:openai|@anthropic-ai\/sdk|p-retry|async-retry|axios-retry|fetch-retry|got|ky|cockatiel|undici|ai|@langchain\/[\w-]+|langchain|modelfusion)['"/]/;
const STATUS_TEST = String.raw`\.status\b|\bstatus(?:Code)?\s*(?:[!=]==?|[<>]=?|in\b)|\.ok\b|statusCode`;
const FAILURE_PATH = new RegExp(String.raw`\bcatch\b|` + STATUS_TEST);
const REMOTE_EVIDENCE = new RegExp(
  [
    STATUS_TEST,
    String.raw`\bfetch\s*\(|axios|\brequest\s*\(`,
    String.raw`(?:completions|messages|responses|embeddings|images|moderations|audio\.\w+)\.(?:create|stream|parse|generate|edit)\s*\(`,
    String.raw`(?:sleep|delay|wait|backoff|pause|throttle|limit)\w*\s*\(|settimeout|atomics`,
    String.raw`retry-after|ratelimit`,
  ].join('|'),
  'i',
);
/** Error names and codes are matched as spelled (case-insensitively, `E[A-Z]+` is every word). */
const NETWORK_ERROR_EVIDENCE = new RegExp(
  String.raw`\bE[A-Z]{4,}\b|UND_ERR|\bis\w*Error\s*\(|` + `\\b(?:${NETWORK_ERROR_NAME_LIST.join('|')})\\b`,
);

function hasTypeScriptAnchors(text: string): boolean {
  return LIBRARY_IMPORT.test(text) || (FAILURE_PATH.test(text) && (REMOTE_EVIDENCE.test(text) || NETWORK_ERROR_EVIDENCE.test(text)));
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
const LINE_START_BLOCK_COMMENT = /^[ \t]*\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//gm;
const LINE_START_LINE_COMMENT = /^[ \t]*\/\/[^\n\r]*/gm;
const LINE_BREAK = /[\n\r]/;
/** A line of the block (after the first) that does not start with `*`. */
const NON_CONTINUATION_LINE = /[\n\r](?![ \t]*\*|\n)/;

function isPlainOneLineComment(comment: string): boolean {
  return !comment.includes('`') && !comment.includes('${');
}

function isCommentBlock(comment: string): boolean {
  return LINE_BREAK.test(comment) ? !NON_CONTINUATION_LINE.test(comment) : isPlainOneLineComment(comment);
}

function withoutLineStartComments(text: string): string {
  return text
    .replace(LINE_START_BLOCK_COMMENT, (comment) => (isCommentBlock(comment) ? '' : comment))
    .replace(LINE_START_LINE_COMMENT, (comment) => (isPlainOneLineComment(comment) ? '' : comment));
}

function mayContainTypeScriptRetry(text: string): boolean {
  return hasTypeScriptAnchors(text) && hasTypeScriptAnchors(withoutLineStartComments(text));
}

/** False only when no rule can flag the file: it is then not parsed at all. */
export function mayContainRetryCode(text: string, language: Language): boolean {
  return language === 'python' ? mayContainPythonRetry(text) : mayContainTypeScriptRetry(text);
}
