import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRetryAfter, parseHttpDate, parseRetryAfter, parseRetryAfterMs, type RetryAfterValue } from '@retrylint/shared';
import { asctimeDate, imfFixdate, rfc850Date } from './retry-after-date-forms.js';

const year = (y: number): number => Date.UTC(y, 0, 1);
const nowMs = Date.UTC(2024, 5, 1, 12, 0, 0);

/** Whole-second instants from 1970 to 9999, the range of a four-digit year. */
const anyInstant = fc.integer({ min: 0, max: Math.floor((year(10_000) - 1) / 1000) }).map((s) => s * 1000);
/** Instants whose two-digit year an RFC 850 date can carry unambiguously from nowMs. */
const nearInstant = fc.integer({ min: year(1975) / 1000, max: year(2074) / 1000 - 1 }).map((s) => s * 1000);
const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 4 });

function isWellFormed(value: RetryAfterValue | undefined): boolean {
  if (value === undefined) return true;
  if (value.kind === 'invalid') return value.reason.length > 0;
  return Number.isFinite(value.ms) && value.ms >= 0;
}

describe('Retry-After properties', () => {
  it('round-trips IMF-fixdates written by Date.prototype.toUTCString', () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: year(2100) }), (instant, now) => {
        const header = imfFixdate(new Date(instant));
        expect(parseHttpDate(header, now)).toBe(instant);
        expect(parseRetryAfter(header, now)).toEqual({ kind: 'delay', ms: Math.max(0, instant - now), source: 'date' });
      }),
    );
  });

  it('reads the same instant from all three date forms', () => {
    fc.assert(
      fc.property(nearInstant, (instant) => {
        const date = new Date(instant);
        const forms = [imfFixdate(date), rfc850Date(date), asctimeDate(date)];
        expect(forms.map((form) => parseHttpDate(form, nowMs))).toEqual([instant, instant, instant]);
      }),
    );
  });

  it('reads whole delay-seconds exactly, with any surrounding whitespace', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), whitespace, whitespace, (seconds, before, after) => {
        expect(parseRetryAfter(`${before}${seconds}${after}`, nowMs)).toEqual({ kind: 'delay', ms: seconds * 1000, source: 'seconds' });
        expect(parseRetryAfterMs(`${before}${seconds}${after}`)).toEqual({ kind: 'delay', ms: seconds, source: 'ms' });
      }),
    );
  });

  it('tolerates whitespace around dates', () => {
    fc.assert(
      fc.property(anyInstant, whitespace, whitespace, (instant, before, after) => {
        const header = imfFixdate(new Date(instant));
        expect(parseRetryAfter(`${before}${header}${after}`, nowMs)).toEqual(parseRetryAfter(header, nowMs));
      }),
    );
  });

  it('rejects negative numbers', () => {
    fc.assert(
      fc.property(fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), (negative) => {
        expect(parseRetryAfter(String(negative), nowMs)?.kind).toBe('invalid');
        expect(parseRetryAfterMs(String(negative))?.kind).toBe('invalid');
        expect(decideRetryAfter({ 'retry-after': String(negative) }, { maxRetryAfterMs: 120_000, nowMs }).action).toBe('use-backoff');
      }),
    );
  });

  it('never throws on arbitrary text and says invalid for anything that is not a value', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      // near misses: pieces of real dates in random order
      fc
        .array(fc.constantFrom('Sun', 'Sunday', ',', ' ', '06', '6', '-', 'Nov', '94', '1994', '08:49:37', 'GMT', ':', '.'), { maxLength: 12 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: -year(3000), max: year(3000) }), (value, now) => {
        const seconds = parseRetryAfter(value, now);
        const ms = parseRetryAfterMs(value);
        expect(isWellFormed(seconds)).toBe(true);
        expect(isWellFormed(ms)).toBe(true);
        if (value.trim() === '') expect(seconds).toBeUndefined();
        if (/^\s*\d+(\.\d+)?\s*$/.test(value)) expect(seconds?.kind).toBe('delay');
        else if (parseHttpDate(value, now) === undefined && value.trim() !== '') expect(seconds?.kind).toBe('invalid');
        const decision = decideRetryAfter({ 'Retry-After': value, 'retry-after-ms': value }, { maxRetryAfterMs: 120_000, nowMs: now });
        expect(['wait', 'give-up', 'use-backoff']).toContain(decision.action);
      }),
    );
  });
});
