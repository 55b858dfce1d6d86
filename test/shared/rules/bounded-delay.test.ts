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
  type DelayFacts,
  type Language,
  type OptionSlot,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('bounded-delay')!;

const delaySpan = at(6, 9, 30);
const delayExpression = at(6, 20, 16);
const capValue = at(2, 40, 3);
const maxSlot: OptionSlot = { name: 'max', style: 'keyword-argument', container: at(2, 22, 25), unit: 'seconds' };

/** `time.sleep(1 * 2 ** attempt)`: exponential from 1 s, doubling, no cap. */
const uncappedExponential: Partial<DelayFacts> = {
  strategy: known('exponential'),
  baseMs: known(1_000),
  factor: known(2),
  capMs: known('none'),
  jitter: known('none'),
  span: delaySpan,
  expression: delayExpression,
};

function site(
  delay: Partial<DelayFacts>,
  attempts: AttemptsFacts,
  options: { kind?: SiteKind; language?: Language } = {},
) {
  const { kind = 'loop', language = 'python' } = options;
  return makeSite(
    { id: `${kind}@100`, kind, language, library: 'hand-written', span: at(1, 1, 600), reportSpan: at(1, 1, 9) },
    { attempts, delay },
  );
}

const check = (delay: Partial<DelayFacts>, attempts: AttemptsFacts, policy = DEFAULT_POLICY) =>
  rule.check(site(delay, attempts), policy, {});

describe('bounded-delay', () => {
  it('reports uncapped growth with the worst sleep its attempt limit reaches, capping the expression', () => {
    // 11 attempts sleep 10 times; the last sleep is 1 s * 2^9.
    expect(check(uncappedExponential, { max: known(11) })).toEqual([
      {
        messageId: 'uncapped',
        data: { delay: '512 s', attempts: '11', limit: '60 s' },
        span: delaySpan,
        fix: {
          title: 'Cap the delay at 60 s',
          applicability: 'safe',
          intents: [{ kind: 'cap-expression', expression: delayExpression, capMs: 60_000, unit: 'seconds' }],
        },
      },
    ]);
  });

  it('writes the cap in milliseconds for JavaScript timers', () => {
    const [report] = rule.check(site(uncappedExponential, { max: known(11) }, { language: 'typescript' }), DEFAULT_POLICY, {});
    expect(report.fix?.intents).toEqual([{ kind: 'cap-expression', expression: delayExpression, capMs: 60_000, unit: 'ms' }]);
  });

  it('is silent when the known attempt limit keeps the uncapped sleep under the limit', () => {
    // 7 attempts: the last sleep is 32 s.
    expect(check(uncappedExponential, { max: known(7) })).toEqual([]);
    // 8 attempts: 64 s.
    expect(check(uncappedExponential, { max: known(8) })[0].data).toMatchObject({ delay: '64 s' });
  });

  it('reports uncapped growth with no attempt limit as growing without end', () => {
    expect(check(uncappedExponential, { max: known('unbounded') })).toMatchObject([
      { messageId: 'unbounded', data: { limit: '60 s' }, span: delaySpan },
    ]);
  });

  it('warns on uncapped growth when the attempt limit is unknown (a parameter)', () => {
    expect(check(uncappedExponential, { max: unknown('parameter') })).toMatchObject([
      { messageId: 'uncappedUnknownAttempts', data: { limit: '60 s' } },
    ]);
  });

  it('treats an overall deadline as an unknown attempt count, silent when the deadline is within the limit', () => {
    expect(check(uncappedExponential, { max: known('unbounded'), deadlineMs: known(300_000) })[0].messageId).toBe(
      'uncappedUnknownAttempts',
    );
    expect(check(uncappedExponential, { max: known('unbounded'), deadlineMs: known(30_000) })).toEqual([]);
  });

  it("reports a cap above maxDelayMs at the cap's value, fixing it through the library option", () => {
    const capped = { ...uncappedExponential, capMs: known(300_000, capValue), capSlot: maxSlot };
    expect(check(capped, { max: known('unbounded') })).toEqual([
      {
        messageId: 'aboveLimit',
        data: { delay: '300 s', limit: '60 s' },
        span: capValue,
        fix: { title: 'Cap the delay at 60 s', applicability: 'safe', intents: [{ kind: 'set-option', slot: maxSlot, value: 60_000 }] },
      },
    ]);
    // 10 attempts reach 256 s, under the 300 s cap.
    expect(check(capped, { max: known(10) })[0]).toMatchObject({ messageId: 'aboveLimit', data: { delay: '256 s', attempts: '10' } });
    // 7 attempts never reach the cap's range: 32 s.
    expect(check(capped, { max: known(7) })).toEqual([]);
  });

  it('uses the worst case of the jitter (proportional jitter sleeps up to 1.5 x nominal)', () => {
    const jittered = { ...uncappedExponential, jitter: known('proportional' as const) };
    // 7 attempts: nominal 32 s, worst 48 s; 8 attempts: nominal 64 s, worst 96 s.
    expect(check(jittered, { max: known(7) })).toEqual([]);
    expect(check(jittered, { max: known(8) })[0].data).toMatchObject({ delay: '96 s' });
  });

  it('reads linear growth with its step', () => {
    const linear = { ...uncappedExponential, strategy: known('linear' as const), stepMs: known(10_000), factor: undefined };
    // delay(k) = 1 s + 10 s * (k - 1): the 9th retry sleeps 81 s.
    expect(check(linear, { max: known(10) })[0]).toMatchObject({ messageId: 'uncapped', data: { delay: '81 s' } });
  });

  it('warns on a constant sleep above the limit', () => {
    const constant = { strategy: known('constant' as const), baseMs: known(120_000), capMs: known('none' as const), jitter: known('none' as const) };
    expect(check(constant, { max: known(3) })).toMatchObject([{ messageId: 'aboveLimit', data: { delay: '120 s' }, span: at(1, 1, 9) }]);
  });

  it('judges against the policy maxDelayMs', () => {
    const policy = resolvePolicy('network-blip');
    expect(check(uncappedExponential, { max: known(5) }, policy)).toMatchObject([
      { messageId: 'uncapped', data: { delay: '8 s', limit: '5 s' } },
    ]);
  });

  describe('stays silent', () => {
    it('when a cap within the limit is set', () => {
      expect(check({ ...uncappedExponential, capMs: known(60_000) }, { max: known('unbounded') })).toEqual([]);
    });

    it('when a deciding value of the schedule is unknown', () => {
      const attempts = { max: known<number | 'unbounded'>(20) };
      expect(check({ ...uncappedExponential, capMs: unknown() }, attempts)).toEqual([]);
      expect(check({ ...uncappedExponential, baseMs: unknown() }, attempts)).toEqual([]);
      expect(check({ ...uncappedExponential, factor: unknown() }, attempts)).toEqual([]);
      expect(check({ ...uncappedExponential, factor: undefined }, attempts)).toEqual([]);
      expect(check({ ...uncappedExponential, strategy: unknown() }, attempts)).toEqual([]);
    });

    it('when a capped schedule has an unknown attempt limit', () => {
      expect(check({ ...uncappedExponential, capMs: known(300_000) }, { max: unknown() })).toEqual([]);
    });

    it('for a schedule that does not grow', () => {
      const constant = { strategy: known('constant' as const), baseMs: known(2_000), capMs: known('none' as const), jitter: known('none' as const) };
      expect(check(constant, { max: known('unbounded') })).toEqual([]);
      expect(check({ ...uncappedExponential, factor: known(1) }, { max: known('unbounded') })).toEqual([]);
    });

    it('for plain calls', () => {
      expect(rule.check(site(uncappedExponential, { max: known('unbounded') }, { kind: 'call' }), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is an error for uncapped growth and a warning above the limit, through judgeSites', () => {
    const uncapped = site(uncappedExponential, { max: known(11) });
    const capped = makeSite(
      { ...uncapped, id: 'loop@900', reportSpan: at(9) },
      { attempts: { max: known('unbounded') }, delay: { ...uncappedExponential, capMs: known(90_000), span: at(9, 5, 10) } },
    );
    const findings = judgeSites([uncapped, capped], DEFAULT_POLICY, {}).filter((f) => f.ruleId === 'bounded-delay');
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['error', 'With 11 attempts and no cap, the delay grows to 512 s (limit 60 s).'],
      ['warn', 'The delay reaches 90 s (limit 60 s).'],
    ]);
  });
});
