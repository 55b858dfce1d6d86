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
  type Span,
  type StatusMatch,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('no-retry-permanent-errors')!;

const loopHead = at(1, 1, 20);

function siteRetryingOn(retryOn: Partial<RetryOnFacts>, attempts = known<number | 'unbounded'>(3)) {
  return makeSite(
    { id: 'loop@100', kind: 'loop', language: 'python', library: 'hand-written', span: at(1, 1, 200), reportSpan: loopHead },
    { attempts: { max: attempts }, retryOn },
  );
}

function status(value: number, span: Span): StatusMatch {
  return { min: value, max: value, span };
}

/** `status_forcelist=[...]` with one literal item per status, on line 2. */
function literalList(values: number[]): Partial<RetryOnFacts> {
  const items = values.map((value, index) => ({ value, span: at(2, 20 + index * 5) }));
  return {
    statuses: known(items.map((item) => status(item.value, item.span))),
    statusList: { span: at(2, 19, values.length * 5), items },
  };
}

const check = (site: ReturnType<typeof siteRetryingOn>, policy = DEFAULT_POLICY) =>
  rule.check(site, policy, rule.defaultOptions);

describe('no-retry-permanent-errors', () => {
  it('reports each permanent status of a literal list at its item, with a safe fix removing it', () => {
    const site = siteRetryingOn(literalList([401, 429, 500, 422]));
    const reports = check(site);
    expect(reports.map((report) => [report.messageId, report.data?.status, report.span])).toEqual([
      ['permanentStatus', 401, at(2, 20)],
      ['permanentStatus', 422, at(2, 35)],
    ]);
    expect(reports[0].fix).toEqual({
      title: 'Remove 401 from the retried statuses',
      applicability: 'safe',
      intents: [{ kind: 'remove-list-items', list: at(2, 19, 20), items: [at(2, 20)] }],
    });
  });

  it('reports a range condition once, naming the permanent statuses it covers', () => {
    const condition = at(3, 8, 13);
    const [report, ...rest] = check(siteRetryingOn({ statuses: known([{ min: 400, max: 599, span: condition }]) }));
    expect(rest).toEqual([]);
    expect(report).toMatchObject({
      messageId: 'permanentStatusRange',
      span: condition,
      data: { range: '400-599', statuses: '400, 401, 403, 404, 405, 410 and 422', count: 7 },
    });
    expect(report.fix).toBeUndefined();
  });

  it('offers no fix when a permanent status is also retried outside the literal list', () => {
    const fromList = literalList([401, 503]);
    const range = { min: 400, max: 499, span: at(4, 5, 10) };
    const statuses = fromList.statuses?.kind === 'known' ? fromList.statuses.value : [];
    const reports = check(siteRetryingOn({ ...fromList, statuses: known([...statuses, range]) }));
    expect(reports.map((report) => report.messageId)).toEqual(['permanentStatus', 'permanentStatusRange']);
    expect(reports.every((report) => report.fix === undefined)).toBe(true);
  });

  it('offers no fix for a status tested in a condition rather than listed', () => {
    const [report] = check(siteRetryingOn({ statuses: known([status(404, at(5, 12))]) }));
    expect(report.messageId).toBe('permanentStatus');
    expect(report.fix).toBeUndefined();
  });

  it('reports the permanent AI error codes the code retries on', () => {
    const reports = check(
      siteRetryingOn({
        errorCodes: [
          { value: 'rate_limit_exceeded', span: at(6, 4, 19) },
          { value: 'context_length_exceeded', span: at(7, 4, 23) },
        ],
      }),
    );
    expect(reports).toEqual([
      { messageId: 'permanentErrorCode', data: { code: 'context_length_exceeded' }, span: at(7, 4, 23) },
    ]);
  });

  it('reads the error codes from its option', () => {
    const site = siteRetryingOn({ errorCodes: [{ value: 'model_not_found', span: at(6, 4, 15) }] });
    expect(check(site)).toEqual([]);
    expect(rule.check(site, DEFAULT_POLICY, { permanentErrorCodes: ['model_not_found'] })).toHaveLength(1);
  });

  it('judges against the policy neverRetryStatuses', () => {
    const site = siteRetryingOn(literalList([404, 409]));
    expect(check(site, resolvePolicy('ai-api', { neverRetryStatuses: [409] })).map((r) => r.data?.status)).toEqual([409]);
  });

  describe('stays silent', () => {
    it('on retryable statuses only', () => {
      expect(check(siteRetryingOn(literalList([408, 409, 425, 429, 500, 502, 503, 504])))).toEqual([]);
      expect(check(siteRetryingOn({ statuses: known([{ min: 500, max: 599, span: at(3, 1) }]) }))).toEqual([]);
    });

    it('when the retried statuses are unknown', () => {
      expect(check(siteRetryingOn({ statuses: unknown('predicate') }))).toEqual([]);
    });

    it('when the site makes a single attempt', () => {
      expect(check(siteRetryingOn(literalList([401]), known(1)))).toEqual([]);
    });

    it('for a plain call site', () => {
      const call = makeSite(
        { id: 'call@1', kind: 'call', language: 'python', library: 'requests', span: at(1), reportSpan: at(1) },
        { retryOn: literalList([401]) },
      );
      expect(check(call)).toEqual([]);
    });
  });

  it('is an error through judgeSites, with the formatted message', () => {
    const [finding] = judgeSites([siteRetryingOn(literalList([401]))], DEFAULT_POLICY, {});
    expect(finding).toMatchObject({
      ruleId: 'no-retry-permanent-errors',
      severity: 'error',
      message: 'Retries HTTP 401, which never succeeds on another attempt (listed in neverRetryStatuses).',
    });
  });
});
