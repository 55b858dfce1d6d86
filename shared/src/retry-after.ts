/**
 * Retry-After (RFC 9110 section 10.2.3) and the `retry-after-ms` header that OpenAI and
 * Anthropic send, and the decision a client takes from them: wait, give up, or fall back
 * to its own backoff.
 *
 * Leniency, deliberately chosen:
 * - delay-seconds may carry a decimal fraction ("1.5"): real servers send them. The value
 *   is rounded up to whole milliseconds, so the client never waits less than asked.
 * - Whitespace around the value is ignored. Everything else is strict: HTTP-dates must be
 *   one of the three RFC 9110 forms, case-sensitive, with the weekday matching the date.
 * - A value that does not parse is `invalid` and never throws: a bad header must lead to
 *   the client's own backoff, not to a crash.
 */

export type RetryAfterSource = 'seconds' | 'date' | 'ms';

export type RetryAfterValue =
  | { readonly kind: 'delay'; readonly ms: number; readonly source: RetryAfterSource }
  | { readonly kind: 'invalid'; readonly reason: string };

export type RetryAfterDecision =
  | { readonly action: 'wait'; readonly ms: number; readonly source: RetryAfterSource }
  | { readonly action: 'give-up'; readonly requestedMs: number; readonly reason: string }
  | { readonly action: 'use-backoff'; readonly reason?: string };

/** A fetch `Headers`-like object, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeaderSource =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface RetryAfterOptions {
  /** Largest wait to honour; above it, give up. Infinity: no limit. */
  readonly maxRetryAfterMs: number;
  /** The current time, for HTTP-dates. */
  readonly nowMs: number;
}

export const RETRY_AFTER_HEADER = 'retry-after';
export const RETRY_AFTER_MS_HEADER = 'retry-after-ms';

/** Absurdly large delays saturate here (about 285,000 years) so that every delay stays finite. */
export const MAX_RETRY_AFTER_DELAY_MS = Number.MAX_SAFE_INTEGER;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const NEGATIVE_NUMBER = /^-\s*\d/;

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}

function invalid(reason: string): RetryAfterValue {
  return { kind: 'invalid', reason };
}

/** Whole milliseconds, rounded up, from a decimal written in `unitMs` units; exact for any digits. */
function decimalToMs(whole: string, fraction: string, unitMs: 1 | 1000): number {
  const fractionDigits = unitMs === 1000 ? 3 : 0;
  const kept = fraction.slice(0, fractionDigits).padEnd(fractionDigits, '0');
  const roundUp = /[1-9]/.test(fraction.slice(fractionDigits)) ? 1 : 0;
  const ms = Number(whole) * unitMs + (kept === '' ? 0 : Number(kept)) + roundUp;
  return Math.min(ms, MAX_RETRY_AFTER_DELAY_MS);
}

/** The range a JavaScript Date can hold. */
const MAX_TIME_VALUE = 8.64e15;

function assertNow(nowMs: number): void {
  if (!(Math.abs(nowMs) <= MAX_TIME_VALUE)) {
    throw new RangeError(`nowMs must be milliseconds since the epoch within the Date range (got ${String(nowMs)})`);
  }
}

// ---------------------------------------------------------------------------------------
// HTTP-date (RFC 9110 section 5.6.7)

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const SHORT_DAY = SHORT_DAYS.join('|');
const LONG_DAY = LONG_DAYS.join('|');
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** Sun, 06 Nov 1994 08:49:37 GMT */
const IMF_FIXDATE = new RegExp(`^(${SHORT_DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
/** Sunday, 06-Nov-94 08:49:37 GMT */
const RFC850_DATE = new RegExp(`^(${LONG_DAY}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`);
/** Sun Nov  6 08:49:37 1994 */
const ASCTIME_DATE = new RegExp(`^(${SHORT_DAY}) (${MONTH}) (\\d{2}| \\d) ${TIME} (\\d{4})$`);

interface DateFields {
  readonly weekday: number;
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/**
 * RFC 9110: a two-digit year that would be more than 50 years in the future is the most
 * recent past year with the same last two digits. Compared by calendar year.
 */
function resolveTwoDigitYear(twoDigits: number, nowMs: number): number {
  const latest = new Date(nowMs).getUTCFullYear() + 50;
  return latest - ((((latest - twoDigits) % 100) + 100) % 100);
}

function dateFields(
  weekday: number,
  year: number,
  monthName: string,
  day: string,
  [hour, minute, second]: readonly string[],
): DateFields {
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]) + 1;
  return { weekday, year, month, day: Number(day.trim()), hour: Number(hour), minute: Number(minute), second: Number(second) };
}

function shortDay(name: string): number {
  return SHORT_DAYS.indexOf(name as (typeof SHORT_DAYS)[number]);
}

function matchDate(value: string, nowMs: number): DateFields | undefined {
  const imf = IMF_FIXDATE.exec(value);
  if (imf) {
    const [, weekday, day, month, year, ...time] = imf;
    return dateFields(shortDay(weekday), Number(year), month, day, time);
  }
  const rfc850 = RFC850_DATE.exec(value);
  if (rfc850) {
    const [, weekday, day, month, year, ...time] = rfc850;
    const longDay = LONG_DAYS.indexOf(weekday as (typeof LONG_DAYS)[number]);
    return dateFields(longDay, resolveTwoDigitYear(Number(year), nowMs), month, day, time);
  }
  const asctime = ASCTIME_DATE.exec(value);
  if (asctime) {
    const [, weekday, month, day, hour, minute, second, year] = asctime;
    return dateFields(shortDay(weekday), Number(year), month, day, [hour, minute, second]);
  }
  return undefined;
}

/** Milliseconds since the epoch, or why the fields are not a real instant. */
function instantOf(fields: DateFields): number | string {
  const { year, month, day, hour, minute, second } = fields;
  if (day < 1 || day > daysInMonth(year, month)) return 'day does not exist in that month';
  // second 60 is a leap second; it counts as the first second of the next minute.
  if (hour > 23 || minute > 59 || second > 60) return 'time of day out of range';
  const days = daysFromCivil(year, month, day);
  if ((((days + 4) % 7) + 7) % 7 !== fields.weekday) return 'weekday does not match the date';
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}

/**
 * An HTTP-date in any of the three RFC 9110 forms, as milliseconds since the epoch;
 * undefined when the text is not an HTTP-date.
 */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  assertNow(nowMs);
  const fields = matchDate(value.trim(), nowMs);
  if (fields === undefined) return undefined;
  const instant = instantOf(fields);
  return typeof instant === 'number' ? instant : undefined;
}

// ---------------------------------------------------------------------------------------
// Headers

/**
 * The `Retry-After` value: delay-seconds or an HTTP-date. Undefined when absent or empty.
 * A date in the past means "now" (0 ms).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): RetryAfterValue | undefined {
  assertNow(nowMs);
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const seconds = DECIMAL.exec(text);
  if (seconds) return { kind: 'delay', ms: decimalToMs(seconds[1], seconds[2] ?? '', 1000), source: 'seconds' };
  if (NEGATIVE_NUMBER.test(text)) return invalid(`${quote(text)} is negative`);
  const fields = matchDate(text, nowMs);
  if (fields === undefined) return invalid(`${quote(text)} is neither delay-seconds nor an HTTP-date`);
  const instant = instantOf(fields);
  if (typeof instant === 'string') return invalid(`${quote(text)} is not a valid date: ${instant}`);
  return { kind: 'delay', ms: Math.max(0, Math.ceil(instant - nowMs)), source: 'date' };
}

/** The `retry-after-ms` value: non-negative milliseconds, decimals rounded up. */
export function parseRetryAfterMs(value: string | null | undefined): RetryAfterValue | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const ms = DECIMAL.exec(text);
  if (ms) return { kind: 'delay', ms: decimalToMs(ms[1], ms[2] ?? '', 1), source: 'ms' };
  if (NEGATIVE_NUMBER.test(text)) return invalid(`${quote(text)} is negative`);
  return invalid(`${quote(text)} is not a number of milliseconds`);
}

function hasGet(headers: HeaderSource): headers is { get(name: string): string | null | undefined } {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/**
 * A header's value, names compared case-insensitively. Repeated headers are joined with
 * ", " as fetch's Headers does, which makes a repeated Retry-After invalid.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (hasGet(headers)) return headers.get(wanted) ?? undefined;
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
  }
  return values.length === 0 ? undefined : values.join(', ');
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function decide(delay: { readonly ms: number; readonly source: RetryAfterSource }, maxRetryAfterMs: number): RetryAfterDecision {
  if (delay.ms <= maxRetryAfterMs) return { action: 'wait', ms: delay.ms, source: delay.source };
  return {
    action: 'give-up',
    requestedMs: delay.ms,
    reason: `the server asked to wait ${formatSeconds(delay.ms)}, more than maxRetryAfterMs (${formatSeconds(maxRetryAfterMs)})`,
  };
}

/**
 * What to do with a rate-limit response's headers: `retry-after-ms` wins over
 * `Retry-After` when valid; invalid values are ignored (use-backoff, with the reason);
 * a wait above `maxRetryAfterMs` means give up and surface the error.
 */
export function decideRetryAfter(headers: HeaderSource, options: RetryAfterOptions): RetryAfterDecision {
  if (!(options.maxRetryAfterMs >= 0)) {
    throw new RangeError(`maxRetryAfterMs must be a number >= 0 (got ${String(options.maxRetryAfterMs)})`);
  }
  assertNow(options.nowMs);
  const inMs = parseRetryAfterMs(readHeader(headers, RETRY_AFTER_MS_HEADER));
  if (inMs?.kind === 'delay') return decide(inMs, options.maxRetryAfterMs);
  const retryAfter = parseRetryAfter(readHeader(headers, RETRY_AFTER_HEADER), options.nowMs);
  if (retryAfter?.kind === 'delay') return decide(retryAfter, options.maxRetryAfterMs);
  const ignored = [
    inMs?.kind === 'invalid' ? `${RETRY_AFTER_MS_HEADER} ${inMs.reason}` : undefined,
    retryAfter?.kind === 'invalid' ? `${RETRY_AFTER_HEADER} ${retryAfter.reason}` : undefined,
  ].filter((reason): reason is string => reason !== undefined);
  return ignored.length === 0 ? { action: 'use-backoff' } : { action: 'use-backoff', reason: `ignored ${ignored.join('; ')}` };
}
