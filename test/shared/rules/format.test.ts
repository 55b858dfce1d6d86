import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatList } from '../../../shared/src/rules/format.js';

describe('formatDuration', () => {
  it('reads milliseconds below a second, seconds below an hour, then hours and days', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(60_000)).toBe('60 s');
    expect(formatDuration(512_000)).toBe('512 s');
    expect(formatDuration(600_000)).toBe('600 s');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatDuration(198_300_000)).toBe('2.3 d');
  });

  it('keeps one decimal for small numbers and none from 100 on', () => {
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(123_456)).toBe('123 s');
  });

  it('says "unbounded" for an infinite duration', () => {
    expect(formatDuration(Infinity)).toBe('unbounded');
  });
});

describe('formatCount', () => {
  it('writes the number, with a singular or plural noun when given', () => {
    expect(formatCount(15)).toBe('15');
    expect(formatCount(1, 'attempt')).toBe('1 attempt');
    expect(formatCount(5, 'attempt')).toBe('5 attempts');
    expect(formatCount(Infinity, 'attempt')).toBe('unbounded attempts');
  });
});

describe('formatList', () => {
  it('joins items as prose', () => {
    expect(formatList([])).toBe('');
    expect(formatList([401])).toBe('401');
    expect(formatList([401, 403])).toBe('401 and 403');
    expect(formatList([400, 401, 403])).toBe('400, 401 and 403');
  });
});
