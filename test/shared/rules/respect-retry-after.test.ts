import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeSite,
  resolvePolicy,
  unknown,
  type OptionSlot,
  type RetryAfterFacts,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('respect-retry-after')!;

const headerRead = at(6, 17, 40);
const rateLimitTest = at(5, 8, 20);

function site(retryAfter: Partial<RetryAfterFacts>, kind: SiteKind = 'loop', library = 'hand-written') {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'python', library, span: at(1, 1, 600), reportSpan: at(1, 1, 9) },
    { attempts: { max: known(5) }, retryAfter },
  );
}

/** A hand-written loop that tests 429 and reads the header into its sleep. */
const handWritten: Partial<RetryAfterFacts> = {
  handlesRateLimit: known(true),
  honouredByLibrary: known(false),
  read: known(true),
  usedAsDelay: known(true),
  forms: ['seconds', 'date'],
  capMs: known(60_000),
  span: headerRead,
};

const check = (retryAfter: Partial<RetryAfterFacts>, kind?: SiteKind, policy = DEFAULT_POLICY) =>
  rule.check(site(retryAfter, kind), policy, {});
const ids = (retryAfter: Partial<RetryAfterFacts>, kind?: SiteKind) => check(retryAfter, kind).map((r) => r.messageId);

describe('respect-retry-after', () => {
  it('is silent for a loop that sleeps the header in both forms, capped within the policy', () => {
    expect(check(handWritten)).toEqual([]);
  });

  it('reports a 429 handler that never reads the header, at the rate-limit handling', () => {
    expect(check({ ...handWritten, read: known(false), usedAsDelay: unknown(), forms: [], span: rateLimitTest })).toEqual([
      { messageId: 'ignored', data: { limit: '120 s' }, span: rateLimitTest },
    ]);
  });

  it('reports a header that is read but not slept', () => {
    expect(ids({ ...handWritten, usedAsDelay: known(false) })).toEqual(['notUsed']);
  });

  it('reports parsing only the seconds form, which an HTTP-date breaks', () => {
    const [report] = check({ ...handWritten, forms: ['seconds'] });
    expect(report).toEqual({ messageId: 'secondsOnly', data: { forms: 'seconds' }, span: headerRead });
    expect(check({ ...handWritten, forms: ['seconds', 'ms'] })[0].data).toEqual({ forms: 'seconds and ms' });
  });

  it('reports an uncapped wait, and a cap above maxRetryAfterMs with both numbers', () => {
    expect(check({ ...handWritten, capMs: known('none') })).toEqual([
      { messageId: 'uncapped', data: { limit: '120 s' }, span: headerRead },
    ]);
    expect(check({ ...handWritten, capMs: known(600_000) })).toEqual([
      { messageId: 'capTooHigh', data: { cap: '600 s', limit: '120 s' }, span: headerRead },
    ]);
  });

  it('reports every independent fault of one reading (seconds only and uncapped)', () => {
    expect(ids({ ...handWritten, forms: ['seconds'], capMs: known('none') })).toEqual(['secondsOnly', 'uncapped']);
  });

  it('judges the cap against the policy maxRetryAfterMs', () => {
    const policy = resolvePolicy('ai-api', { maxRetryAfterMs: 30_000 });
    expect(check(handWritten, 'loop', policy)).toEqual([
      { messageId: 'capTooHigh', data: { cap: '60 s', limit: '30 s' }, span: headerRead },
    ]);
  });

  describe('libraries that honour the header themselves', () => {
    const maxRetryAfter: OptionSlot = {
      name: 'maxRetryAfter',
      style: 'object-property',
      container: at(2, 20, 30),
      unit: 'ms',
    };
    const ky: Partial<RetryAfterFacts> = {
      honouredByLibrary: known(true),
      handlesRateLimit: unknown(),
      read: unknown(),
      capMs: known('none'),
      capSlot: maxRetryAfter,
    };

    it('are judged for a missing cap, with a suggestion to set the cap option', () => {
      const [report] = rule.check(site(ky, 'client', 'ky'), DEFAULT_POLICY, {});
      expect(report.messageId).toBe('uncapped');
      expect(report.span).toEqual(at(1, 1, 9));
      expect(report.fix).toBeUndefined();
      expect(report.suggestions).toEqual([
        {
          title: 'Cap the Retry-After wait at 120 s',
          applicability: 'unsafe',
          intents: [{ kind: 'set-option', slot: maxRetryAfter, value: 120_000 }],
        },
      ]);
    });

    it('are silent for "ignored" and when their cap is unknown or within the policy', () => {
      expect(check({ ...ky, read: known(false), handlesRateLimit: known(true), capMs: unknown() }, 'client')).toEqual([]);
      expect(check({ ...ky, capMs: known(60_000) }, 'client')).toEqual([]);
    });
  });

  describe('stays silent', () => {
    it('when the code does not handle rate limits itself, or that is unknown', () => {
      expect(check({ ...handWritten, read: known(false), handlesRateLimit: known(false) })).toEqual([]);
      expect(check({ ...handWritten, read: known(false), handlesRateLimit: unknown() })).toEqual([]);
    });

    it('on "ignored" when it is unknown whether a library underneath honours the header', () => {
      expect(check({ ...handWritten, read: known(false), honouredByLibrary: unknown() })).toEqual([]);
    });

    it('when reading, using, forms or cap are unknown', () => {
      expect(check({ ...handWritten, read: unknown() })).toEqual([]);
      expect(check({ ...handWritten, usedAsDelay: unknown(), capMs: known('none') })).toEqual([]);
      expect(check({ ...handWritten, forms: [] })).toEqual([]);
      expect(check({ ...handWritten, capMs: unknown() })).toEqual([]);
    });

    it('for plain calls and single attempts', () => {
      expect(check({ ...handWritten, read: known(false) }, 'call')).toEqual([]);
      const once = makeSite(site(handWritten), { attempts: { max: known(1) }, retryAfter: { ...handWritten, read: known(false) } });
      expect(rule.check(once, DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is a warning through judgeSites', () => {
    const findings = judgeSites([site({ ...handWritten, capMs: known('none') })], DEFAULT_POLICY, {}).filter(
      (f) => f.ruleId === 'respect-retry-after',
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['warn', 'Sleeps whatever Retry-After says, without a cap: give up above 120 s instead.'],
    ]);
  });
});
