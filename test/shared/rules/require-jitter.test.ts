import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeSite,
  resolvePolicy,
  unknown,
  type BackoffStrategy,
  type DelayFacts,
  type JitterKind,
  type OptionSlot,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('require-jitter')!;

const delaySpan = at(3, 20, 18);
const sleepExpression = at(3, 31, 12);

function site(delay: Partial<DelayFacts>, kind: SiteKind = 'loop') {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'python', library: 'hand-written', span: at(1, 1, 300), reportSpan: at(1, 1, 9) },
    { attempts: { max: known(5) }, delay },
  );
}

function backoff(strategy: BackoffStrategy, jitter: JitterKind, extra: Partial<DelayFacts> = {}): Partial<DelayFacts> {
  return { strategy: known(strategy), jitter: known(jitter), baseMs: known(1000), span: delaySpan, ...extra };
}

const check = (delay: Partial<DelayFacts>, policy = DEFAULT_POLICY) => rule.check(site(delay), policy, {});

describe('require-jitter', () => {
  it('reports exponential backoff without jitter at the delay, fixing a hand-written expression with full jitter', () => {
    expect(check(backoff('exponential', 'none', { expression: sleepExpression }))).toEqual([
      {
        messageId: 'noJitter',
        data: { strategy: 'Exponential', jitter: 'full' },
        span: delaySpan,
        fix: {
          title: 'Add full jitter to the delay',
          applicability: 'safe',
          intents: [{ kind: 'full-jitter-expression', expression: sleepExpression }],
        },
      },
    ]);
  });

  it("turns on the library's jitter option when the frontend found one (randomize: true)", () => {
    const slot: OptionSlot = { name: 'randomize', style: 'object-property', container: at(2, 10, 30), unit: 'boolean' };
    const [report] = check(backoff('exponential', 'none', { jitterLever: { kind: 'option', slot } }));
    expect(report.fix).toEqual({
      title: 'Turn on the library jitter',
      applicability: 'safe',
      intents: [{ kind: 'set-option', slot, value: true }],
    });
  });

  it('renames a call to its jittered twin (wait_exponential -> wait_random_exponential)', () => {
    const lever = { kind: 'replace' as const, span: at(2, 6, 16), text: 'wait_random_exponential' };
    const [report] = check(backoff('exponential', 'none', { jitterLever: lever }));
    expect(report.fix?.intents).toEqual([{ kind: 'replace', span: lever.span, text: 'wait_random_exponential' }]);
  });

  it('reports fibonacci growth too, and falls back to the site span without a delay span', () => {
    const [report] = check({ strategy: known('fibonacci'), jitter: known('none') });
    expect(report).toEqual({ messageId: 'noJitter', data: { strategy: 'Fibonacci', jitter: 'full' }, span: at(1, 1, 9) });
  });

  describe('stays silent', () => {
    it('when the backoff is jittered', () => {
      for (const jitter of ['full', 'equal', 'decorrelated', 'proportional', 'additive'] as const) {
        expect(check(backoff('exponential', jitter))).toEqual([]);
      }
    });

    it('for constant, linear, decorrelated or no backoff (many callers cannot be seen)', () => {
      for (const strategy of ['constant', 'linear', 'decorrelated', 'none'] as const) {
        expect(check(backoff(strategy, 'none'))).toEqual([]);
      }
    });

    it('when the jitter or the strategy is unknown', () => {
      expect(check({ ...backoff('exponential', 'none'), jitter: unknown() })).toEqual([]);
      expect(check({ ...backoff('exponential', 'none'), strategy: unknown() })).toEqual([]);
    });

    it('when every delay is zero', () => {
      expect(check(backoff('exponential', 'none', { baseMs: known(0) }))).toEqual([]);
    });

    it('when the policy asks for no jitter', () => {
      expect(check(backoff('exponential', 'none'), resolvePolicy('ai-api', { jitter: 'none' }))).toEqual([]);
    });

    it('for plain calls', () => {
      expect(rule.check(site(backoff('exponential', 'none'), 'call'), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is a warning through judgeSites', () => {
    const findings = judgeSites([site(backoff('exponential', 'none'))], DEFAULT_POLICY, {}).filter(
      (f) => f.ruleId === 'require-jitter',
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['warn', 'Exponential backoff without jitter: clients that failed together retry at the same moments (policy jitter: full).'],
    ]);
  });
});
