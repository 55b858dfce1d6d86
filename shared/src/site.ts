/**
 * The RetrySite model: the one contract between language frontends and rules.
 *
 * A frontend turns source text into sites; rules read only sites. Every fact is a
 * `Maybe`: either known (with the span it was read from) or unknown. Rules never report
 * on unknown values, so a frontend that cannot evaluate an expression says `unknown()`
 * rather than guessing.
 *
 * Units are normalised: times in milliseconds, attempt counts as total tries including
 * the first. Where a frontend knows how to change an aspect in source (an option it can
 * set, an expression it can wrap), it records a lever (`OptionSlot`, `Span`) so that rules
 * can build fixes without knowing the syntax.
 */
import type { Span } from './span.js';

export interface Known<T> {
  readonly kind: 'known';
  readonly value: T;
  readonly span?: Span;
}

export interface Unknown {
  readonly kind: 'unknown';
  readonly span?: Span;
  /** For debugging frontends: why the value could not be evaluated. */
  readonly why?: string;
}

export type Maybe<T> = Known<T> | Unknown;

export function known<T>(value: T, span?: Span): Known<T> {
  return span ? { kind: 'known', value, span } : { kind: 'known', value };
}

export function unknown(why?: string, span?: Span): Unknown {
  const result: { kind: 'unknown'; why?: string; span?: Span } = { kind: 'unknown' };
  if (why !== undefined) result.why = why;
  if (span !== undefined) result.span = span;
  return result;
}

export function isKnown<T>(value: Maybe<T> | undefined): value is Known<T> {
  return value !== undefined && value.kind === 'known';
}

/** The value when known, otherwise undefined. */
export function valueOf<T>(value: Maybe<T> | undefined): T | undefined {
  return value !== undefined && value.kind === 'known' ? value.value : undefined;
}

export type Language = 'python' | 'typescript';

/**
 * How an option is (or can be) spelled at a site, so a fix can set it. The renderer of
 * the file's language writes `name=value` (keyword argument) or `name: value` (object
 * property), or replaces `valueSpan` when the option is already present.
 */
export interface OptionSlot {
  /** The option as the library spells it here: `max_retries`, `maxRetries`, `timeout`. */
  readonly name: string;
  /**
   * keyword-argument: a Python keyword argument inside `container` (an argument list).
   * object-property: a property inside `container` (an object literal).
   * options-argument: a new trailing `{ name: value }` argument inside `container`
   * (an argument list that has no options object yet).
   */
  readonly style: 'keyword-argument' | 'object-property' | 'options-argument';
  /** The argument list or object literal, brackets included. */
  readonly container: Span;
  /** The current value's expression, when the option is present. */
  readonly valueSpan?: Span;
  /** How a canonical value is written for this option. */
  readonly unit: SlotUnit;
  /**
   * Set when the option lives in another file than the site (project mode: the client is
   * built in another module). Spans are then offsets in that file's text, and a fix through
   * the slot edits that file: such fixes are never safe.
   */
  readonly file?: string;
}

/**
 * One step of a call chain across modules, as a finding names it
 * (`summarise.ts:12 -> llm/ask.ts:30 -> client built at llm/client.ts:5`).
 */
export interface ChainStep {
  /** The file, relative to the project root. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** call: a call on the way; client: where the client is built; retry: where the inner retry is. */
  readonly role: 'call' | 'client' | 'retry';
}

/**
 * A retry that this site's retried code reaches through calls into other modules (project
 * mode): a retry wrapper or loop in a function that the region calls, directly or through
 * other functions.
 */
export interface ReachedRetry {
  readonly library: string;
  /** The inner retry's total attempts. */
  readonly attempts: Maybe<number | 'unbounded'>;
  /** The call in this file that starts the chain. */
  readonly span: Span;
  /** From the call in this file to the inner retry. */
  readonly chain: readonly ChainStep[];
}

/**
 * ms / seconds: a duration (canonical value in ms). attempts: total tries.
 * retries: tries after the first (written value = attempts - 1). boolean: true/false.
 * abort-signal-timeout: `AbortSignal.timeout(ms)` (fetch's `signal`).
 * client-timeout: aiohttp's `aiohttp.ClientTimeout(total=seconds)`.
 */
export type SlotUnit =
  | 'ms'
  | 'seconds'
  | 'attempts'
  | 'retries'
  | 'boolean'
  | 'abort-signal-timeout'
  | 'client-timeout';

/** A literal in a list the code retries on, e.g. one status in `status_forcelist`. */
export interface ListItem<T> {
  readonly value: T;
  readonly span: Span;
}

export type SiteKind =
  /** A hand-written loop (for / while / do) that makes another attempt after a failure. */
  | 'loop'
  /** A function that calls itself to retry. */
  | 'recursion'
  /** A retry decorator (`@retry`, `@backoff.on_exception`). */
  | 'decorator'
  /** A retry wrapper call (`pRetry(fn, opts)`, `Retrying(...)`, cockatiel `retry(...)`). */
  | 'wrapper'
  /** A client configured to retry (`new OpenAI()`, urllib3 `Retry`, axios-retry, got, ky). */
  | 'client'
  /** An HTTP or SDK call that is not itself a retry site (judged by require-timeout). */
  | 'call';

export type BackoffStrategy = 'none' | 'constant' | 'linear' | 'exponential' | 'decorrelated' | 'fibonacci';

export type JitterKind = 'none' | 'full' | 'equal' | 'decorrelated' | 'proportional' | 'additive';

export interface AttemptsFacts {
  /** Total tries including the first; 'unbounded' when nothing stops the retrying. */
  readonly max: Maybe<number | 'unbounded'>;
  /** A lever to set the limit (the option, or the literal in `range(n)`). */
  readonly slot?: OptionSlot;
  /** An overall deadline (`max_time`, `stop_after_delay`), when one is set. */
  readonly deadlineMs?: Maybe<number>;
  /** `max` is the library's default (nothing in the code sets it): judged only with `judgeLibraryDefaults`. */
  readonly libraryDefault?: boolean;
}

export interface DelayFacts {
  readonly strategy: Maybe<BackoffStrategy>;
  /** First sleep (exponential, constant), or the linear offset: delay(k) = base + step * (k - 1). */
  readonly baseMs: Maybe<number>;
  /** Exponential growth factor (2 for `2 ** n`). */
  readonly factor?: Maybe<number>;
  /** Linear step per retry. */
  readonly stepMs?: Maybe<number>;
  /** The largest single sleep; 'none' when growth is known to be uncapped. */
  readonly capMs: Maybe<number | 'none'>;
  readonly jitter: Maybe<JitterKind>;
  /** A hand-written delay expression (`base * 2 ** attempt`) a fix may wrap. */
  readonly expression?: Span;
  /** The library's cap option (`max=` of `wait_exponential`, `maxTimeout`, `backoffLimit`). */
  readonly capSlot?: OptionSlot;
  /** The library's first-delay option (`backoff_factor`, `retryDelay`, `ConstantBackoff(…)`'s argument). */
  readonly baseSlot?: OptionSlot;
  /** The library's jitter lever: an option to set true, or a call to rename. */
  readonly jitterLever?: JitterLever;
  /** Where the delay is defined (the sleep call, the wait= argument). */
  readonly span?: Span;
}

export type JitterLever =
  | { readonly kind: 'option'; readonly slot: OptionSlot }
  /** Replace `span` with `text` (e.g. `wait_exponential` -> `wait_random_exponential`). */
  | { readonly kind: 'replace'; readonly span: Span; readonly text: string };

export interface StatusMatch {
  /** One status (429) or an inclusive range (`status >= 500` is 500..599). */
  readonly min: number;
  readonly max: number;
  readonly span: Span;
}

export interface RetryOnFacts {
  /** Statuses that lead to another attempt; empty when the site tests none. */
  readonly statuses: Maybe<readonly StatusMatch[]>;
  /** An explicit literal list of statuses, which a fix can edit. */
  readonly statusList?: { readonly span: Span; readonly items: readonly ListItem<number>[] };
  /** AI error codes (`context_length_exceeded`) that the code tests and then retries. */
  readonly errorCodes: readonly ListItem<string>[];
  /** Exception or error types the retry fires on (`RateLimitError`, `APIConnectionError`). */
  readonly errorTypes: Maybe<readonly string[]>;
  /**
   * The retry fires on any error with no status or type test at all (`except Exception`,
   * tenacity without `retry=`, cockatiel `handleAll`, p-retry with no abort path).
   */
  readonly catchAll: Maybe<boolean>;
  /** Where the catch-all is (the except clause, the decorator). */
  readonly catchAllSpan?: Span;
  /** The site turns some permanent failures into a stop (p-retry AbortError, async-retry bail). */
  readonly abortsOnPermanent?: Maybe<boolean>;
  /** Cancellation reaches the retry path and leads to another attempt. */
  readonly cancellation: CancellationFacts;
}

export interface CancellationFacts {
  /**
   * True when the retry path catches cancellation (`except:`, `except BaseException`,
   * `except asyncio.CancelledError`, a JS catch of `AbortError`) and goes on to retry.
   */
  readonly retried: Maybe<boolean>;
  /** The code re-raises cancellation (or checks `signal.aborted`) before retrying. */
  readonly guarded: boolean;
  readonly span?: Span;
}

export interface RetryAfterFacts {
  /** The code itself decides on 429/503 (a status test, a RateLimitError catch, a list with 429). */
  readonly handlesRateLimit: Maybe<boolean>;
  /** The library honours Retry-After itself (urllib3 Retry, got, ky, axios-retry, SDKs). */
  readonly honouredByLibrary: Maybe<boolean>;
  /** The header (or retry-after-ms) is read. */
  readonly read: Maybe<boolean>;
  /** The value read becomes the sleep (not only a yes/no on retrying). */
  readonly usedAsDelay: Maybe<boolean>;
  /** Forms the code can parse. */
  readonly forms: readonly ('seconds' | 'date' | 'ms')[];
  /** The wait taken from the header is capped; the cap when known. */
  readonly capMs: Maybe<number | 'none'>;
  /** The library's cap option (ky `maxRetryAfter`), when the library has one. */
  readonly capSlot?: OptionSlot;
  /** Where the header is read (or where the rate-limit handling is, when it is not read). */
  readonly span?: Span;
}

/** Per-attempt timeout of a call. */
export type TimeoutFacts =
  | { readonly kind: 'explicit'; readonly ms: number }
  /** Switched off (`timeout=None`, `timeout: false`, `0`). */
  | { readonly kind: 'disabled' }
  /**
   * No timeout set and the library waits forever (requests, fetch without signal, axios).
   * `runtimeLimitMs`: code that may also run where the runtime gives up by itself (fetch in
   * Node stops after 300 s without response headers; a browser never does).
   */
  | { readonly kind: 'missing'; readonly runtimeLimitMs?: number }
  /** No timeout set; the library's finite default applies (SDKs 600 s, aiohttp 300 s). */
  | { readonly kind: 'library-default'; readonly ms: number };

export interface CallFacts {
  /** http: a generic HTTP client; sdk: an AI SDK client (openai, anthropic). */
  readonly kind: 'http' | 'sdk';
  /** requests, httpx, aiohttp, urllib3, fetch, axios, got, ky, undici, openai, anthropic. */
  readonly library: string;
  /** The call expression. */
  readonly span: Span;
  readonly method: Maybe<string>;
  readonly timeout: Maybe<TimeoutFacts>;
  readonly timeoutSlot?: OptionSlot;
  /** The call starts a streamed response (`stream=True`, `stream: true`, SSE). */
  readonly streaming: Maybe<boolean>;
  /**
   * Chunks of the stream are consumed (iterated, yielded, forwarded) inside the retried
   * region, so a later attempt can repeat output. False when the retry covers only the
   * request before the first chunk (or a guard stops retrying once something was yielded).
   */
  readonly streamConsumedInRetry: Maybe<boolean>;
  /** Total attempts the client makes by itself (SDK default 3: 1 + 2 retries). */
  readonly clientAttempts: Maybe<number>;
  /** A lever to switch the client's own retries off (`max_retries=0`). */
  readonly clientRetriesSlot?: OptionSlot;
  /** Where the client's retries are configured (its construction), if visible. */
  readonly clientSpan?: Span;
  /**
   * Set when the call is made in another module and reached from this site's region through
   * calls (project mode): `span` is then the call in this file that starts the chain.
   */
  readonly chain?: readonly ChainStep[];
  /** Idempotency key: created once outside the retried region, per attempt inside it, or none. */
  readonly idempotencyKey: Maybe<'outside' | 'per-attempt' | 'none'>;
}

export interface BlockingCall {
  readonly span: Span;
  readonly callee: Span;
  readonly argument?: Span;
}

export interface SleepFacts {
  /** A blocking sleep (`time.sleep`, `Atomics.wait`) inside async code on the retry path. */
  readonly blockingInAsync: Maybe<boolean>;
  /** The blocking call and its argument, for the `await asyncio.sleep(...)` fix (the first of `blockingCalls`). */
  readonly blockingCall?: BlockingCall;
  /** Every blocking sleep on the retry path (an `if`/`else`, two `except` branches): each needs its own fix. */
  readonly blockingCalls?: readonly BlockingCall[];
  /** A semaphore, lock or pool slot is held across the backoff sleep. */
  readonly permitHeld: Maybe<boolean>;
  /** The `async with sem:` (or acquire) that holds the permit. */
  readonly permitSpan?: Span;
}

export interface NestingFacts {
  /** The enclosing retry site's id. */
  readonly siteId: string;
  /** Its total attempts. */
  readonly attempts: Maybe<number | 'unbounded'>;
  readonly span: Span;
  /** How this site is reached from the outer one. */
  readonly via: 'stacked-decorator' | 'wrapper' | 'called-function' | 'loop';
}

export interface RetrySite {
  /** Unique within a file, stable for the same text (e.g. `loop@1234`). */
  readonly id: string;
  readonly kind: SiteKind;
  readonly language: Language;
  /** `hand-written` or the library: tenacity, backoff, p-retry, openai, urllib3... */
  readonly library: string;
  /** The whole site (loop, decorated function, wrapper call). */
  readonly span: Span;
  /** Where findings about the site as a whole are reported (the loop head, the decorator). */
  readonly reportSpan: Span;
  /** The site runs in async code (`async def`, async function). */
  readonly isAsync: Maybe<boolean>;
  readonly attempts: AttemptsFacts;
  readonly delay: DelayFacts;
  readonly retryOn: RetryOnFacts;
  readonly retryAfter: RetryAfterFacts;
  /** The retried operations (for kind 'call', the call itself). */
  readonly calls: readonly CallFacts[];
  readonly sleep: SleepFacts;
  readonly nestedIn?: NestingFacts;
  /** Retries in other modules that the retried code reaches through calls (project mode). */
  readonly reachedRetries?: readonly ReachedRetry[];
}

/** What a frontend produces for one file. */
export interface FileModel {
  readonly language: Language;
  readonly sites: readonly RetrySite[];
  /** Problems that stopped (part of) the extraction: a syntax error, an unsupported construct. */
  readonly parseErrors: readonly { readonly message: string; readonly span: Span }[];
}

/** True when the site can make more than one attempt (everything but a plain call). */
export function isRetrying(site: RetrySite): boolean {
  if (site.kind === 'call') return false;
  const max = site.attempts.max;
  return !(max.kind === 'known' && typeof max.value === 'number' && max.value <= 1);
}

type SiteIdentity = Pick<RetrySite, 'id' | 'kind' | 'language' | 'library' | 'span' | 'reportSpan'>;

export interface SiteFacts {
  isAsync?: Maybe<boolean>;
  attempts?: Partial<AttemptsFacts>;
  delay?: Partial<DelayFacts>;
  retryOn?: Partial<RetryOnFacts>;
  retryAfter?: Partial<RetryAfterFacts>;
  calls?: readonly CallFacts[];
  sleep?: Partial<SleepFacts>;
  nestedIn?: NestingFacts;
  reachedRetries?: readonly ReachedRetry[];
}

/**
 * A site whose every fact is unknown unless given: frontends and tests state only what
 * they know, and precision follows from the defaults.
 */
export function makeSite(identity: SiteIdentity, facts: SiteFacts = {}): RetrySite {
  const site: RetrySite = {
    ...identity,
    isAsync: facts.isAsync ?? unknown(),
    attempts: { max: unknown(), ...facts.attempts },
    delay: { strategy: unknown(), baseMs: unknown(), capMs: unknown(), jitter: unknown(), ...facts.delay },
    retryOn: {
      statuses: unknown(),
      errorCodes: [],
      errorTypes: unknown(),
      catchAll: unknown(),
      cancellation: { retried: unknown(), guarded: false },
      ...facts.retryOn,
    },
    retryAfter: {
      handlesRateLimit: unknown(),
      honouredByLibrary: unknown(),
      read: unknown(),
      usedAsDelay: unknown(),
      forms: [],
      capMs: unknown(),
      ...facts.retryAfter,
    },
    calls: facts.calls ?? [],
    sleep: { blockingInAsync: unknown(), permitHeld: unknown(), ...facts.sleep },
  };
  return {
    ...site,
    ...(facts.nestedIn ? { nestedIn: facts.nestedIn } : {}),
    ...(facts.reachedRetries?.length ? { reachedRetries: facts.reachedRetries } : {}),
  };
}

/** A call whose every fact is unknown unless given. */
export function makeCall(
  identity: Pick<CallFacts, 'kind' | 'library' | 'span'>,
  facts: Partial<Omit<CallFacts, 'kind' | 'library' | 'span'>> = {},
): CallFacts {
  return {
    ...identity,
    method: unknown(),
    timeout: unknown(),
    streaming: unknown(),
    streamConsumedInRetry: unknown(),
    clientAttempts: unknown(),
    idempotencyKey: unknown(),
    ...facts,
  };
}
