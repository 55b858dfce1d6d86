import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeSite,
  resolvePolicy,
  unknown,
  type RetryOnFacts,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('no-catch-all-retry')!;

const exceptClause = at(4, 5, 16);

function site(retryOn: Partial<RetryOnFacts>, kind: SiteKind = 'loop', attempts = known<number | 'unbounded'>(3)) {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'python', library: 'hand-written', span: at(1, 1, 300), reportSpan: at(1, 1, 9) },
    { attempts: { max: attempts }, retryOn },
  );
}

const catchAll = { catchAll: known(true), catchAllSpan: exceptClause, statuses: known([]) };

describe('no-catch-all-retry', () => {
  it('reports a retry on any error at the catch-all, naming the retryable statuses', () => {
    expect(rule.check(site(catchAll), DEFAULT_POLICY, {})).toEqual([
      {
        messageId: 'catchAll',
        data: { retryable: '408, 409, 425, 429, 500, 502, 503 and 504' },
        span: exceptClause,
      },
    ]);
  });

  it('falls back to the site when the catch-all has no span of its own (tenacity without retry=)', () => {
    const [report] = rule.check(site({ catchAll: known(true) }, 'decorator'), DEFAULT_POLICY, {});
    expect(report.span).toEqual(at(1, 1, 9));
  });

  it('names the retryable statuses of the policy in force', () => {
    const policy = resolvePolicy('ai-api', { retryableStatuses: [429, 503] });
    expect(rule.check(site(catchAll), policy, {})[0].data).toEqual({ retryable: '429 and 503' });
  });

  describe('stays silent', () => {
    it('when the condition tests statuses (no-retry-permanent-errors judges those)', () => {
      const statuses = known([{ min: 400, max: 599, span: at(5, 8) }]);
      expect(rule.check(site({ ...catchAll, statuses }), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when the condition tests AI error codes', () => {
      const errorCodes = [{ value: 'context_length_exceeded', span: at(5, 8) }];
      expect(rule.check(site({ ...catchAll, errorCodes }), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when permanent failures are turned into an abort (p-retry AbortError, async-retry bail)', () => {
      const wrapper = site({ ...catchAll, abortsOnPermanent: known(true) }, 'wrapper');
      expect(rule.check(wrapper, DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when it is unknown whether the condition is a catch-all', () => {
      expect(rule.check(site({ catchAll: unknown('predicate') }), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when the condition is classified', () => {
      expect(rule.check(site({ catchAll: known(false) }), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when the site does not retry', () => {
      expect(rule.check(site(catchAll, 'loop', known(1)), DEFAULT_POLICY, {})).toEqual([]);
      expect(rule.check(site(catchAll, 'call'), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is a warning through judgeSites', () => {
    const findings = judgeSites([site(catchAll)], DEFAULT_POLICY, {}).filter((f) => f.ruleId === 'no-catch-all-retry');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('warn');
    expect(findings[0].message).toContain('Retries on any error');
  });
});
