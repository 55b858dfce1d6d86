/**
 * A cheap text scan that decides whether a file is parsed at all. Most files of a
 * codebase contain no retry code, and parsing is the expensive step, so a file is parsed
 * only when it mentions something a frontend recognizer anchors on.
 *
 * The contract is one-sided: it may keep a file that has nothing to report, but it must
 * never drop a file that a rule would flag (test/linter/prefilter.test.ts runs every
 * fixture through it). When a recognizer learns a new anchor, add its word here.
 */
import type { Language } from '@retrylint/shared';

/**
 * Words shared by both languages. `retr(y|ie[sd])` covers retry, retries, retried, Retrying,
 * RetryAgent, max_retries, maxRetries, Retry-After and the p-retry / async-retry /
 * axios-retry / urllib3 `Retry` names without matching retrieve or retract. `timeout`
 * covers setTimeout, ClientTimeout and AbortSignal.timeout. `429` catches a bare status
 * test in a loop that names nothing else.
 */
const SHARED_ANCHORS = [
  'retr(?:y|ie[sd])',
  'backoff',
  'attempt',
  'sleep',
  'timeout',
  'rate[_-]?limit',
  '\\b429\\b',
  'openai',
  'anthropic',
];

const PYTHON_ANCHORS = [
  'requests',
  'httpx',
  'aiohttp',
  'urllib',
  'tenacity',
  'stamina',
];

/**
 * `got` and `ky` are short words, so they count only as whole words; `fetch` and
 * `axios` are matched anywhere (a wrapped `fetchJson` may be the retried call).
 * `Atomics.wait` is the blocking sleep of async JS; `AbortError` is what a retry that
 * ignores the caller's cancellation catches.
 */
const TYPESCRIPT_ANCHORS = [
  'fetch',
  'axios',
  '\\bgot\\b',
  '\\bky\\b',
  'cockatiel',
  'undici',
  'atomics',
  'aborterror',
];

function anchorPattern(anchors: readonly string[]): RegExp {
  return new RegExp([...SHARED_ANCHORS, ...anchors].join('|'), 'i');
}

const PATTERNS: Readonly<Record<Language, RegExp>> = {
  python: anchorPattern(PYTHON_ANCHORS),
  typescript: anchorPattern(TYPESCRIPT_ANCHORS),
};

/** False only when no rule can flag the file: it is then not parsed at all. */
export function mayContainRetryCode(text: string, language: Language): boolean {
  return PATTERNS[language].test(text);
}
