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

/**
 * Python: a hand-written loop is a retry only when it sleeps (`*.sleep`), makes an HTTP or
 * SDK call, or is named like one (header or function matching retr|attempt|tries|backoff);
 * library sites and calls are resolved through imports, so the module name is in the file.
 */
const PYTHON_ANCHORS = [
  'retr',
  'attempt',
  'tries',
  'backoff',
  'sleep',
  'requests',
  'httpx',
  'aiohttp',
  'urllib3',
  '\\bopenai\\b',
  '\\banthropic\\b',
  'tenacity',
  'stamina',
];

/**
 * TypeScript: a loop with a try/catch around a call, or a function calling itself from a
 * catch clause, is a retry by shape alone, so `catch` is an anchor, and so is a status test
 * (a status loop or recursion). Libraries and clients are resolved through their import
 * specifiers (a comment that mentions OpenAI is not enough); `fetch(` is the platform
 * fetch; waits are `setTimeout` and the `sleep` / `wait` / `delay` / `pause` helpers;
 * `Atomics.wait` is the blocking sleep of async JS. `retr(y|ie[sd])` covers retry, retries,
 * retried, p-retry, async-retry, axios-retry and Retry-After but not retrieve.
 */
const TYPESCRIPT_ANCHORS = [
  'retr(?:y|ie[sd])',
  'backoff',
  'attempt',
  'sleep',
  'settimeout',
  '\\b(?:wait|delay|pause)(?:ms)?\\s*\\(',
  'atomics',
  '\\bcatch\\b',
  '\\.status\\b|statuscode|httpstatus',
  '\\b429\\b',
  'ratelimiterror|toomanyrequests',
  'aborterror',
  'axios',
  `['"](?:openai|@anthropic-ai/sdk|got|ky|undici|cockatiel)['"/]`,
  '\\bfetch\\s*\\(',
];

const PATTERNS: Readonly<Record<Language, RegExp>> = {
  python: new RegExp(PYTHON_ANCHORS.join('|'), 'i'),
  typescript: new RegExp(TYPESCRIPT_ANCHORS.join('|'), 'i'),
};

/** False only when no rule can flag the file: it is then not parsed at all. */
export function mayContainRetryCode(text: string, language: Language): boolean {
  return PATTERNS[language].test(text);
}
