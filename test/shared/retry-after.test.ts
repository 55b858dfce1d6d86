import { describe, expect, it } from 'vitest';
import {
  MAX_RETRY_AFTER_DELAY_MS,
  decideRetryAfter,
  parseHttpDate,
  parseRetryAfter,
  parseRetryAfterMs,
  readHeader,
} from '@retrylint/shared';
import { asctimeDate, rfc850Date } from './retry-after-date-forms.js';

/** Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example instant. */
const rfcExample = Date.UTC(1994, 10, 6, 8, 49, 37);
const now2024 = Date.UTC(2024, 5, 1, 12, 0, 0);

describe('parseRetryAfter: delay-seconds', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['007', 7000],
    ['  5 \t', 5000],
    ['1.5', 1500],
    ['1.1', 1100],
    ['0.0001', 1],
    ['2.0005', 2001],
  ])('reads %j as %d ms (decimals rounded up to whole ms)', (value, ms) => {
    expect(parseRetryAfter(value, now2024)).toEqual({ kind: 'delay', ms, source: 'seconds' });
  });

  it('saturates absurd delays instead of overflowing', () => {
    expect(parseRetryAfter('9'.repeat(400), now2024)).toEqual({ kind: 'delay', ms: MAX_RETRY_AFTER_DELAY_MS, source: 'seconds' });
  });

  it.each([null, undefined, '', '  \t '])('is absent for %j', (value) => {
    expect(parseRetryAfter(value, now2024)).toBeUndefined();
  });

  it.each(['-5', '- 5', '-0.5'])('rejects the negative %j', (value) => {
    expect(parseRetryAfter(value, now2024)).toEqual({ kind: 'invalid', reason: expect.stringMatching(/negative/) });
  });

  it.each(['soon', '5s', '+5', '1e3', '1,5', '.5', '5.', '0x10', 'NaN', 'Infinity'])('rejects %j', (value) => {
    expect(parseRetryAfter(value, now2024)).toEqual({
      kind: 'invalid',
      reason: expect.stringMatching(/neither delay-seconds nor an HTTP-date/),
    });
  });
});

describe('parseRetryAfter: HTTP-date', () => {
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('reads the %s form as the time left until that instant', (_, value) => {
    expect(parseRetryAfter(value, rfcExample - 30_000)).toEqual({ kind: 'delay', ms: 30_000, source: 'date' });
    expect(parseHttpDate(value, rfcExample)).toBe(rfcExample);
  });

  it('waits 0 ms for a date in the past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now2024)).toEqual({ kind: 'delay', ms: 0, source: 'date' });
  });

  it('accepts an asctime day written with two digits', () => {
    expect(parseHttpDate('Wed Nov 16 08:49:37 1994', now2024)).toBe(Date.UTC(1994, 10, 16, 8, 49, 37));
  });

  it('accepts 29 February in leap years only, and a leap second', () => {
    expect(parseHttpDate('Thu, 29 Feb 1996 00:00:00 GMT', now2024)).toBe(Date.UTC(1996, 1, 29));
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT', now2024)).toBe(Date.UTC(2017, 0, 1));
    expect(parseRetryAfter('Thu, 29 Feb 1900 00:00:00 GMT', now2024)).toEqual({
      kind: 'invalid',
      reason: expect.stringMatching(/day does not exist/),
    });
  });

  it.each([
    ['a wrong weekday', 'Mon, 06 Nov 1994 08:49:37 GMT', /weekday does not match/],
    ['31 November', 'Thu, 31 Nov 1994 08:49:37 GMT', /day does not exist/],
    ['hour 24', 'Sun, 06 Nov 1994 24:00:00 GMT', /time of day out of range/],
    ['minute 60', 'Sun, 06 Nov 1994 08:60:00 GMT', /time of day out of range/],
    ['lower case names', 'sun, 06 nov 1994 08:49:37 gmt', /neither/],
    ['UTC instead of GMT', 'Sun, 06 Nov 1994 08:49:37 UTC', /neither/],
    ['a one-digit IMF day', 'Sun, 6 Nov 1994 08:49:37 GMT', /neither/],
    ['a full weekday in IMF form', 'Sunday, 06 Nov 1994 08:49:37 GMT', /neither/],
    ['a short weekday in RFC 850 form', 'Sun, 06-Nov-94 08:49:37 GMT', /neither/],
    ['an ISO 8601 date', '1994-11-06T08:49:37Z', /neither/],
  ])('rejects %s', (_, value, reason) => {
    expect(parseRetryAfter(value, now2024)).toEqual({ kind: 'invalid', reason: expect.stringMatching(reason) });
  });

  it('puts a two-digit year more than 50 years ahead in the previous century', () => {
    const rfc850 = (year: number): string => rfc850Date(new Date(Date.UTC(year, 0, 15, 10, 0, 0)));
    expect(parseHttpDate(rfc850(1975), now2024)).toBe(Date.UTC(1975, 0, 15, 10));
    expect(parseHttpDate(rfc850(2074), now2024)).toBe(Date.UTC(2074, 0, 15, 10));
    expect(parseHttpDate(rfc850(2024), now2024)).toBe(Date.UTC(2024, 0, 15, 10));
    const now2090 = Date.UTC(2090, 0, 1);
    expect(parseHttpDate(rfc850(2110), now2090)).toBe(Date.UTC(2110, 0, 15, 10));
    expect(parseHttpDate(rfc850(2041), now2090)).toBe(Date.UTC(2041, 0, 15, 10));
  });

  it('agrees with the asctime helper on a date with a single-digit day', () => {
    const date = new Date(Date.UTC(2031, 2, 4, 5, 6, 7));
    expect(asctimeDate(date)).toBe('Tue Mar  4 05:06:07 2031');
    expect(parseHttpDate(asctimeDate(date), now2024)).toBe(date.getTime());
  });

  it('needs a usable current time', () => {
    expect(() => parseRetryAfter('5', Number.NaN)).toThrow(RangeError);
    expect(() => parseRetryAfter('5', 1e20)).toThrow(/nowMs/);
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['1500', 1500],
    [' 30 ', 30],
    ['0', 0],
    ['1.2', 2],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfterMs(value)).toEqual({ kind: 'delay', ms, source: 'ms' });
  });

  it('is absent when empty', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs(' ')).toBeUndefined();
  });

  it('rejects negative and non-numeric values', () => {
    expect(parseRetryAfterMs('-1')).toEqual({ kind: 'invalid', reason: expect.stringMatching(/negative/) });
    expect(parseRetryAfterMs('soon')).toEqual({ kind: 'invalid', reason: expect.stringMatching(/not a number of milliseconds/) });
    expect(parseRetryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT')?.kind).toBe('invalid');
  });
});

describe('readHeader', () => {
  it('finds a header in a record whatever the case of its name', () => {
    expect(readHeader({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
    expect(readHeader({ 'RETRY-AFTER': ['5'] }, 'Retry-After')).toBe('5');
    expect(readHeader({ 'retry-after': undefined }, 'retry-after')).toBeUndefined();
  });

  it('joins repeated values the way fetch Headers does', () => {
    expect(readHeader({ 'retry-after': ['5', '10'] }, 'retry-after')).toBe('5, 10');
    const headers = new Headers();
    headers.append('Retry-After', '5');
    headers.append('retry-after', '10');
    expect(readHeader(headers, 'retry-after')).toBe('5, 10');
  });
});

describe('decideRetryAfter', () => {
  const options = { maxRetryAfterMs: 120_000, nowMs: now2024 };

  it('waits the delay of a fetch Headers object', () => {
    expect(decideRetryAfter(new Headers({ 'Retry-After': '5' }), options)).toEqual({ action: 'wait', ms: 5000, source: 'seconds' });
  });

  it('prefers a valid retry-after-ms over Retry-After', () => {
    const headers = { 'Retry-After': '5', 'retry-after-ms': '250' };
    expect(decideRetryAfter(headers, options)).toEqual({ action: 'wait', ms: 250, source: 'ms' });
  });

  it('falls back to Retry-After when retry-after-ms is invalid', () => {
    const headers = { 'retry-after': '5', 'retry-after-ms': 'soon' };
    expect(decideRetryAfter(headers, options)).toEqual({ action: 'wait', ms: 5000, source: 'seconds' });
  });

  it('waits until an HTTP-date, and not at all for one in the past', () => {
    const inTenSeconds = new Date(now2024 + 10_000).toUTCString();
    expect(decideRetryAfter({ 'retry-after': inTenSeconds }, options)).toEqual({ action: 'wait', ms: 10_000, source: 'date' });
    expect(decideRetryAfter({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }, options)).toEqual({
      action: 'wait',
      ms: 0,
      source: 'date',
    });
  });

  it('gives up when the server asks for more than maxRetryAfterMs', () => {
    expect(decideRetryAfter({ 'retry-after': '198300' }, options)).toEqual({
      action: 'give-up',
      requestedMs: 198_300_000,
      reason: 'the server asked to wait 198300 s, more than maxRetryAfterMs (120 s)',
    });
    expect(decideRetryAfter({ 'retry-after-ms': '120001' }, options).action).toBe('give-up');
    expect(decideRetryAfter({ 'retry-after': '120' }, options)).toEqual({ action: 'wait', ms: 120_000, source: 'seconds' });
  });

  it('gives up on any wait when the policy honours none', () => {
    const none = { ...options, maxRetryAfterMs: 0 };
    expect(decideRetryAfter({ 'retry-after': '1' }, none).action).toBe('give-up');
    expect(decideRetryAfter({ 'retry-after': '0' }, none)).toEqual({ action: 'wait', ms: 0, source: 'seconds' });
  });

  it('uses the backoff, without a reason, when no header is there', () => {
    expect(decideRetryAfter({}, options)).toEqual({ action: 'use-backoff' });
    expect(decideRetryAfter(new Headers(), options)).toEqual({ action: 'use-backoff' });
  });

  it('uses the backoff and says which values it ignored', () => {
    expect(decideRetryAfter({ 'retry-after': '-5' }, options)).toEqual({
      action: 'use-backoff',
      reason: 'ignored retry-after "-5" is negative',
    });
    const both = decideRetryAfter({ 'retry-after': 'later', 'retry-after-ms': '-1' }, options);
    expect(both).toEqual({ action: 'use-backoff', reason: expect.stringMatching(/retry-after-ms "-1" is negative; retry-after "later"/) });
    expect(decideRetryAfter({ 'retry-after': ['5', '10'] }, options).action).toBe('use-backoff');
  });

  it('rejects an unusable cap', () => {
    expect(() => decideRetryAfter({}, { ...options, maxRetryAfterMs: Number.NaN })).toThrow(/maxRetryAfterMs/);
    expect(() => decideRetryAfter({}, { ...options, maxRetryAfterMs: -1 })).toThrow(RangeError);
  });
});
