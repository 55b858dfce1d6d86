import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeSite,
  resolvePolicy,
  unknown,
  type DelayFacts,
  type OptionSlot,
  type Span,
} from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('no-immediate-retry')!;

const reportSpan = span(0, 5);
const baseLiteral = span(60, 61);
const delaySpan = span(50, 70);

const backoffFactorSlot: OptionSlot = {
  name: 'backoff_factor',
  style: 'keyword-argument',
  container: span(40, 80),
  valueSpan: baseLiteral,
  unit: 'seconds',
};

function site(delay: Partial<DelayFacts>, options: { kind?: 'loop' | 'call'; attempts?: number } = {}) {
  return makeSite(
    { id: 'loop@0', kind: options.kind ?? 'loop', language: 'python', library: 'hand-written', span: span(0, 100), reportSpan },
    { attempts: { max: known(options.attempts ?? 4) }, delay },
  );
}

function check(...args: Parameters<typeof site>) {
  return rule.check(site(...args), DEFAULT_POLICY, {});
}

describe('no-immediate-retry', () => {
  it('flags a retry with no delay at all, at the site, with the policy base delay in the message data', () => {
    const reports = check({ strategy: known('none') });
    expect(reports).toEqual([{ messageId: 'noDelay', data: { base: '1 s' }, span: reportSpan }]);
  });

  it('flags a zero first delay (linear with base 0) at the base value', () => {
    const reports = check({ strategy: known('linear'), baseMs: known(0, baseLiteral), stepMs: known(500), span: delaySpan });
    expect(reports).toHaveLength(1);
    expect(reports[0].messageId).toBe('zeroFirstDelay');
    expect(reports[0].span).toEqual(baseLiteral);
  });

  it('flags a constant zero delay, at the delay when the base has no span of its own', () => {
    const reports = check({ strategy: known('constant'), baseMs: known(0), span: delaySpan });
    expect(reports.map((report) => [report.messageId, report.span])).toEqual([['zeroFirstDelay', delaySpan]]);
  });

  it("sets the library's first-delay option to the policy's base delay as a safe fix", () => {
    const policy = resolvePolicy('ai-api', { baseDelayMs: 2_000 });
    const [report] = rule.check(site({ strategy: known('exponential'), baseMs: known(0), baseSlot: backoffFactorSlot }), policy, {});
    expect(report.data).toEqual({ base: '2 s' });
    expect(report.fix).toEqual({
      title: 'Wait 2 s before the first retry',
      applicability: 'safe',
      intents: [{ kind: 'set-option', slot: backoffFactorSlot, value: 2_000 }],
    });
  });

  it('adds jitter with the delay where the site has none, so the fix leaves no require-jitter finding', () => {
    const jitterSlot: OptionSlot = { name: 'randomize', style: 'object-property', container: span(40, 80), unit: 'boolean' };
    const withLever = site({
      strategy: known('exponential'),
      baseMs: known(0),
      jitter: known('none'),
      baseSlot: backoffFactorSlot,
      jitterLever: { kind: 'option', slot: jitterSlot },
    });
    expect(rule.check(withLever, DEFAULT_POLICY, {})[0].fix).toEqual({
      title: 'Wait 1 s before the first retry, with jitter',
      applicability: 'safe',
      intents: [
        { kind: 'set-option', slot: backoffFactorSlot, value: 1_000 },
        { kind: 'set-option', slot: jitterSlot, value: true },
      ],
    });
    // Without a way to add jitter, the delay alone would leave an unjittered schedule: a suggestion only.
    const [report] = check({ strategy: known('none'), baseMs: known(0), jitter: known('none'), baseSlot: backoffFactorSlot });
    expect(report.fix?.applicability).toBe('display-only');
    expect(report.fix?.title).toContain('add jitter');
    // A policy without jitter needs none.
    const noJitterPolicy = resolvePolicy('ai-api', { jitter: 'none' });
    const plain = rule.check(site({ strategy: known('none'), jitter: known('none'), baseSlot: backoffFactorSlot }), noJitterPolicy, {});
    expect(plain[0].fix?.applicability).toBe('safe');
  });

  it('offers no fix without a first-delay option, or when that option is not a duration', () => {
    expect(check({ strategy: known('none') })[0].fix).toBeUndefined();
    const countSlot: OptionSlot = { ...backoffFactorSlot, unit: 'attempts' };
    expect(check({ strategy: known('constant'), baseMs: known(0), baseSlot: countSlot })[0].fix).toBeUndefined();
  });

  it('stays silent when the first retry waits', () => {
    expect(check({ strategy: known('exponential'), baseMs: known(500) })).toEqual([]);
    expect(check({ strategy: known('linear'), baseMs: known(1_000), stepMs: known(0) })).toEqual([]);
  });

  it('stays silent when the strategy or the base delay is unknown', () => {
    expect(check({ strategy: unknown(), baseMs: known(0) })).toEqual([]);
    expect(check({ strategy: known('constant'), baseMs: unknown() })).toEqual([]);
  });

  it('stays silent on plain calls and single-attempt sites', () => {
    expect(check({ strategy: known('none') }, { kind: 'call' })).toEqual([]);
    expect(check({ strategy: known('none') }, { attempts: 1 })).toEqual([]);
  });

  it('is a warning in the recommended config', () => {
    const findings = judgeSites([site({ strategy: known('none') })], DEFAULT_POLICY, {}).filter(
      (finding) => finding.ruleId === 'no-immediate-retry',
    );
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['warn', 'Retries immediately: there is no delay between attempts (base delay 1 s).'],
    ]);
  });
});
