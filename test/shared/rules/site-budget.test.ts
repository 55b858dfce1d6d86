/**
 * The timeout require-timeout's fix writes never makes bounded-total-time report: the fix
 * reads the budget from the same numbers the total-time rule judges with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getRule,
  known,
  makeCall,
  makeSite,
  resolvePolicy,
  type BackoffStrategy,
  type DelayFacts,
  type JitterKind,
  type OptionSlot,
  type Policy,
  type RetryAfterFacts,
  type RetrySite,
  type TimeoutFacts,
} from '@retrylint/shared';
import { span } from './spans.js';

const requireTimeout = getRule('require-timeout')!;
const boundedTotalTime = getRule('bounded-total-time')!;
const timeoutSlot: OptionSlot = { name: 'timeout', style: 'keyword-argument', container: span(60, 80), unit: 'seconds' };

interface Shape {
  readonly attempts: number | 'unbounded';
  readonly delay: Partial<DelayFacts>;
  readonly retryAfter?: Partial<RetryAfterFacts>;
}

function site(shape: Shape, timeout: TimeoutFacts): RetrySite {
  const call = makeCall(
    { kind: 'http', library: 'requests', span: span(60, 80) },
    { timeout: known(timeout), streaming: known(false), timeoutSlot },
  );
  return makeSite(
    { id: 'loop@0', kind: 'loop', language: 'python', library: 'hand-written', span: span(0, 100), reportSpan: span(0, 5) },
    { attempts: { max: known(shape.attempts) }, delay: shape.delay, calls: [call], ...(shape.retryAfter ? { retryAfter: shape.retryAfter } : {}) },
  );
}

/** The value require-timeout's fix writes into the site's call. */
function fixedTimeoutMs(shape: Shape, policy: Policy): number {
  const [report] = requireTimeout.check(site(shape, { kind: 'missing' }), policy, {});
  const intent = report?.fix?.intents[0];
  if (intent?.kind !== 'set-option' || typeof intent.value !== 'number') throw new Error('no timeout fix');
  return intent.value;
}

function fixedTimeoutMsOrNone(shape: Shape, policy: Policy): number | undefined {
  const [report] = requireTimeout.check(site(shape, { kind: 'missing' }), policy, {});
  const intent = report?.fix?.intents[0];
  return intent?.kind === 'set-option' && typeof intent.value === 'number' ? intent.value : undefined;
}

const totalTimeIds = (shape: Shape, timeout: TimeoutFacts, policy: Policy) =>
  boundedTotalTime.check(site(shape, timeout), policy, {}).map((report) => report.messageId);

const exponential = (baseMs: number, jitter: JitterKind = 'none'): Partial<DelayFacts> => ({
  strategy: known('exponential'),
  baseMs: known(baseMs),
  factor: known(2),
  capMs: known('none'),
  jitter: known(jitter),
});

describe('the timeout a fix writes fits the site budget', () => {
  it('a 5-attempt p-retry (1 s doubling) under a 120 s budget gets 19 s, room left for the jitter a fix may add', () => {
    const policy = resolvePolicy('ai-api', { maxTotalMs: 120_000 });
    // p-retry's `randomize` option is the jitter lever its fix switches on.
    const randomize: OptionSlot = { name: 'randomize', style: 'object-property', container: span(20, 40), unit: 'boolean' };
    const shape: Shape = { attempts: 5, delay: { ...exponential(1_000), jitterLever: { kind: 'option', slot: randomize } } };
    // Proportional jitter (p-retry's randomize) can sleep 1.5 x 15 s: (120 - 22.5) / 5 = 19.5 s.
    expect(fixedTimeoutMs(shape, policy)).toBe(19_000);
    expect(totalTimeIds(shape, { kind: 'explicit', ms: 19_000 }, policy)).toEqual([]);
    expect(totalTimeIds({ ...shape, delay: exponential(1_000, 'proportional') }, { kind: 'explicit', ms: 19_000 }, policy)).toEqual([]);
    // The old fix value, the per-attempt limit, is what made the total-time finding.
    expect(totalTimeIds(shape, { kind: 'explicit', ms: 120_000 }, policy)).toEqual(['worstCaseTooLong']);
  });

  it('a delay no fix can jitter keeps its nominal sleeps: (120 - 15) / 5 = 21 s', () => {
    const policy = resolvePolicy('ai-api', { maxTotalMs: 120_000 });
    const shape: Shape = { attempts: 5, delay: exponential(1_000) };
    expect(fixedTimeoutMs(shape, policy)).toBe(21_000);
    expect(totalTimeIds(shape, { kind: 'explicit', ms: 21_000 }, policy)).toEqual([]);
  });

  it('an unbounded loop is budgeted as the policy maxAttempts, with the policy schedule', () => {
    const policy = resolvePolicy('ai-api');
    const constant: Partial<DelayFacts> = { strategy: known('constant'), baseMs: known(2_000), capMs: known('none'), jitter: known('none') };
    // 5 attempts; the policy's exponential schedule sleeps 15 s, longer than 4 x 2 s.
    expect(fixedTimeoutMs({ attempts: 'unbounded', delay: constant }, policy)).toBe(57_000);
  });

  it('offers no timeout when the sleeps fit the budget but leave no time for the attempts', () => {
    const policy = resolvePolicy('ai-api', { maxTotalMs: 10_000, maxTimeoutMs: 1_000 });
    // 11 attempts and 10 Retry-After waits of 999 ms: 10 ms are left for 11 attempts.
    const shape: Shape = { attempts: 11, delay: { strategy: known('none'), baseMs: known(0), capMs: known('none'), jitter: known('none') }, retryAfter: { usedAsDelay: known(true), capMs: known(999) } };
    expect(totalTimeIds(shape, { kind: 'missing' }, policy)).toEqual([]);
    const [report] = requireTimeout.check(site(shape, { kind: 'missing' }), policy, {});
    expect(report).toMatchObject({ messageId: 'missing' });
    expect(report.fix).toBeUndefined();
  });

  it('a site whose sleeps alone exceed the budget is reported before the fix, and gets the per-attempt limit', () => {
    const policy = resolvePolicy('ai-api');
    const shape: Shape = { attempts: 5, delay: exponential(1_000, 'full'), retryAfter: { honouredByLibrary: known(true), capMs: known(120_000) } };
    expect(totalTimeIds(shape, { kind: 'missing' }, policy)).toEqual(['sleepsTooLong']);
    expect(fixedTimeoutMs(shape, policy)).toBe(policy.maxTimeoutMs);
  });

  it('never leaves bounded-total-time a finding it did not have before the fix', () => {
    const strategies: BackoffStrategy[] = ['none', 'constant', 'linear', 'exponential', 'fibonacci', 'decorrelated'];
    const jitters: JitterKind[] = ['none', 'full', 'equal', 'proportional', 'additive', 'decorrelated'];
    const delay = fc.record({
      strategy: fc.constantFrom(...strategies),
      baseMs: fc.integer({ min: 0, max: 20_000 }),
      factor: fc.double({ min: 1, max: 4, noNaN: true }),
      stepMs: fc.integer({ min: 0, max: 20_000 }),
      capMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
      jitter: fc.constantFrom(...jitters),
      lever: fc.constantFrom('none', 'library-option', 'expression'),
    });
    const jitterSlot: OptionSlot = { name: 'randomize', style: 'object-property', container: span(20, 40), unit: 'boolean' };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        delay,
        fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
        fc.integer({ min: 10_000, max: 1_800_000 }),
        fc.integer({ min: 1_000, max: 600_000 }),
        (attempts, d, retryAfterCapMs, maxTotalMs, maxTimeoutMs) => {
          const policy = resolvePolicy('ai-api', { maxTotalMs, maxTimeoutMs });
          const facts: Partial<DelayFacts> = {
            strategy: known(d.strategy),
            baseMs: known(d.baseMs),
            factor: known(d.factor),
            stepMs: known(d.stepMs),
            capMs: known(d.capMs ?? 'none'),
            jitter: known(d.jitter),
            ...(d.lever === 'library-option' ? { jitterLever: { kind: 'option' as const, slot: jitterSlot } } : {}),
            ...(d.lever === 'expression' ? { expression: span(20, 40) } : {}),
          };
          const retryAfter = retryAfterCapMs === undefined ? undefined : { usedAsDelay: known(true), capMs: known(retryAfterCapMs) };
          const shape: Shape = { attempts, delay: facts, ...(retryAfter ? { retryAfter } : {}) };
          const before = totalTimeIds(shape, { kind: 'missing' }, policy);
          // No fix when no timeout fits: then nothing is written and nothing can be created.
          const timeout = fixedTimeoutMsOrNone(shape, policy);
          if (timeout === undefined) return;
          // The fix's own value, and the jitter require-jitter's fix may switch on afterwards: what a
          // library option does (any kind), full jitter around an expression, none without a lever.
          const growing = d.strategy === 'exponential' || d.strategy === 'fibonacci';
          const addable: JitterKind[] = d.lever === 'library-option' ? ['full', 'equal', 'proportional', 'additive'] : d.lever === 'expression' ? ['full'] : [];
          const afterJitter = d.jitter === 'none' && growing ? ['none' as const, ...addable] : [d.jitter];
          for (const jitter of afterJitter) {
            const after = totalTimeIds({ ...shape, delay: { ...facts, jitter: known(jitter) } }, { kind: 'explicit', ms: timeout }, policy);
            if (before.length === 0) expect(after, `jitter ${jitter}, timeout ${timeout}`).toEqual([]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
