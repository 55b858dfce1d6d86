import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeSite,
  resolvePolicy,
  unknown,
  type AttemptsFacts,
  type OptionSlot,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('bounded-attempts')!;

const loopHead = at(1, 1, 11);
const limitLiteral = at(2, 12, 2);
const retriesSlot: OptionSlot = {
  name: 'retries',
  style: 'object-property',
  container: at(2, 3, 20),
  valueSpan: limitLiteral,
  unit: 'retries',
};

function site(attempts: AttemptsFacts, kind: SiteKind = 'wrapper') {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'typescript', library: 'p-retry', span: at(1, 1, 300), reportSpan: loopHead },
    { attempts },
  );
}

const check = (attempts: AttemptsFacts, policy = DEFAULT_POLICY) => rule.check(site(attempts), policy, {});

describe('bounded-attempts', () => {
  it('reports an unbounded retry at the site when no limit expression exists (while True)', () => {
    expect(check({ max: known('unbounded') })).toEqual([{ messageId: 'unbounded', data: { limit: '5' }, span: loopHead }]);
  });

  it('reports `retries: Infinity` at the value, with a safe fix setting the limit', () => {
    const [report] = check({ max: known('unbounded', limitLiteral), slot: retriesSlot });
    expect(report).toEqual({
      messageId: 'unbounded',
      data: { limit: '5' },
      span: limitLiteral,
      fix: { title: 'Limit to 5 attempts', applicability: 'safe', intents: [{ kind: 'set-option', slot: retriesSlot, value: 5 }] },
    });
  });

  it('reports a limit above maxAttempts with both numbers, clamping it to the policy', () => {
    const [report] = check({ max: known(11, limitLiteral), slot: retriesSlot });
    expect(report).toMatchObject({ messageId: 'tooMany', data: { attempts: '11', limit: '5' }, span: limitLiteral });
    expect(report.fix?.intents).toEqual([{ kind: 'set-option', slot: retriesSlot, value: 5 }]);
  });

  it('offers no fix when the limit is not a literal (no slot)', () => {
    expect(check({ max: known(11, limitLiteral) })[0].fix).toBeUndefined();
  });

  it('judges against the policy maxAttempts', () => {
    const policy = resolvePolicy('ai-api', { maxAttempts: 3 });
    expect(check({ max: known(4) }, policy)[0]).toMatchObject({ messageId: 'tooMany', data: { attempts: '4', limit: '3' } });
    expect(check({ max: known(4) })).toEqual([]);
  });

  describe('stays silent', () => {
    it('at or below the limit', () => {
      expect(check({ max: known(5) })).toEqual([]);
      expect(check({ max: known(2) })).toEqual([]);
    });

    it('when the limit is unknown', () => {
      expect(check({ max: unknown('parameter without default') })).toEqual([]);
    });

    it('when an overall deadline stops the retrying, even one of unknown length', () => {
      expect(check({ max: known('unbounded'), deadlineMs: known(30_000) })).toEqual([]);
      expect(check({ max: known('unbounded'), deadlineMs: unknown() })).toEqual([]);
    });

    it('for plain calls', () => {
      expect(rule.check(site({ max: known('unbounded') }, 'call'), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is an error when unbounded and a warning above the limit, through judgeSites', () => {
    const unbounded = site({ max: known('unbounded') });
    const tooMany = makeSite({ ...unbounded, id: 'wrapper@900', reportSpan: at(9) }, { attempts: { max: known(8) } });
    const findings = judgeSites([unbounded, tooMany], DEFAULT_POLICY, {}).filter((f) => f.ruleId === 'bounded-attempts');
    expect(findings.map((f) => [f.messageId, f.severity, f.message])).toEqual([
      ['unbounded', 'error', 'Retries without a limit: nothing stops the attempts (limit 5).'],
      ['tooMany', 'warn', 'Makes up to 8 attempts (limit 5).'],
    ]);
    const allError = judgeSites([tooMany], DEFAULT_POLICY, { 'bounded-attempts': { severity: 'error', options: {} } });
    expect(allError.find((f) => f.ruleId === 'bounded-attempts')?.severity).toBe('error');
  });
});
