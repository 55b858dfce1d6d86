import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeCall,
  makeSite,
  resolvePolicy,
  unknown,
  type CallFacts,
  type DelayFacts,
  type Maybe,
  type RetryAfterFacts,
  type SiteKind,
  type Span,
  type TimeoutFacts,
} from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('bounded-total-time')!;

const reportSpan = span(0, 6);
const deadlineSpan = span(20, 40);

function call(timeout: Maybe<TimeoutFacts>, at = 50): CallFacts {
  return makeCall({ kind: 'http', library: 'requests', span: span(at, at + 20) }, { timeout });
}

const explicit = (ms: number) => known<TimeoutFacts>({ kind: 'explicit', ms });

/** Exponential from 1 s, doubling, capped at 60 s, full jitter (worst case = nominal). */
const cappedExponential: Partial<DelayFacts> = {
  strategy: known('exponential'),
  baseMs: known(1_000),
  factor: known(2),
  capMs: known(60_000),
  jitter: known('full'),
};

interface SiteOptions {
  attempts?: Maybe<number | 'unbounded'>;
  deadlineMs?: Maybe<number>;
  delay?: Partial<DelayFacts>;
  retryAfter?: Partial<RetryAfterFacts>;
  calls?: CallFacts[];
  kind?: SiteKind;
}

function site(options: SiteOptions = {}) {
  return makeSite(
    { id: 'decorator@0', kind: options.kind ?? 'decorator', language: 'python', library: 'tenacity', span: span(0, 100), reportSpan },
    {
      attempts: {
        max: options.attempts ?? known(5),
        ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
      },
      delay: options.delay ?? cappedExponential,
      calls: options.calls ?? [call(explicit(60_000))],
      ...(options.retryAfter ? { retryAfter: options.retryAfter } : {}),
    },
  );
}

function check(options: SiteOptions = {}, policy = DEFAULT_POLICY) {
  return rule.check(site(options), policy, {});
}

describe('bounded-total-time', () => {
  it('reports attempts x timeout + worst-case sleeps above maxTotalMs, at the site', () => {
    // 5 x 60 s + (1 + 2 + 4 + 8) s = 315 s > 300 s
    const reports = check();
    expect(reports).toEqual([
      {
        messageId: 'worstCaseTooLong',
        data: { total: '315 s', limit: '300 s', attempts: 5, timeout: '60 s', sleeps: '15 s' },
        span: reportSpan,
      },
    ]);
  });

  it('stays silent when the worst case is within the limit', () => {
    // 5 x 30 s + 15 s = 165 s
    expect(check({ calls: [call(explicit(30_000))] })).toEqual([]);
    // the limit is a policy option: 315 s is fine under a 400 s limit
    expect(check({}, resolvePolicy('ai-api', { maxTotalMs: 400_000 }))).toEqual([]);
  });

  it('uses the largest known timeout among the calls, and counts a library default only under strict', () => {
    const sdkDefault = known<TimeoutFacts>({ kind: 'library-default', ms: 600_000 });
    const facts = { attempts: known(3), calls: [call(explicit(10_000)), call(sdkDefault, 80), call(unknown(), 90)] };
    // recommended: the SDK default is not judged; 3 x 10 s + 3 s is within the limit
    expect(check(facts)).toEqual([]);
    const reports = check(facts, resolvePolicy('ai-api', { judgeLibraryDefaults: true }));
    // 3 x 600 s + (1 + 2) s
    expect(reports[0].data).toMatchObject({ total: '1803 s', timeout: '600 s', sleeps: '3 s' });
  });

  it('counts every sleep as at least the honoured Retry-After, capped at maxRetryAfterMs', () => {
    const honoured = { honouredByLibrary: known(true), capMs: known<number | 'none'>('none') };
    // 3 x 30 s + 2 x 120 s (the policy cap) = 330 s
    const [uncapped] = check({ attempts: known(3), calls: [call(explicit(30_000))], retryAfter: honoured });
    expect(uncapped.data).toMatchObject({ total: '330 s', sleeps: '240 s' });
    // the site's own cap of 60 s: 3 x 30 s + 2 x 60 s = 210 s
    expect(check({ attempts: known(3), calls: [call(explicit(30_000))], retryAfter: { ...honoured, capMs: known(60_000) } })).toEqual([]);
    // read but not used as the delay: only the backoff counts (90 s + 3 s)
    const readOnly = { read: known(true), usedAsDelay: known(false) };
    expect(check({ attempts: known(3), calls: [call(explicit(30_000))], retryAfter: readOnly })).toEqual([]);
  });

  it('reports attempts x timeout alone when the delays are unknown and there is no deadline', () => {
    const reports = check({ attempts: known(4), delay: { strategy: unknown() }, calls: [call(explicit(120_000))] });
    expect(reports).toEqual([
      {
        messageId: 'attemptsTooLong',
        data: { total: '480 s', limit: '300 s', attempts: 4, timeout: '120 s' },
        span: reportSpan,
      },
    ]);
    // unknown delays with attempts x timeout under the limit: nothing can be claimed
    expect(check({ attempts: known(4), delay: { strategy: unknown() }, calls: [call(explicit(60_000))] })).toEqual([]);
  });

  it('is silent with an overall deadline at or below the limit', () => {
    expect(check({ deadlineMs: known(120_000, deadlineSpan) })).toEqual([]);
    expect(check({ deadlineMs: known(300_000, deadlineSpan) })).toEqual([]);
  });

  it('reports a deadline above the limit at the deadline, when the retry can reach it', () => {
    const reports = check({ deadlineMs: known(600_000, deadlineSpan) });
    expect(reports).toEqual([
      {
        messageId: 'deadlineTooLong',
        data: { total: '315 s', limit: '300 s', attempts: 5, timeout: '60 s', deadline: '600 s' },
        span: deadlineSpan,
      },
    ]);
    expect(check({ deadlineMs: known(600_000, deadlineSpan), calls: [call(explicit(10_000))] })).toEqual([]);
  });

  it('stays silent when a deciding value is unknown', () => {
    expect(check({ attempts: unknown() })).toEqual([]);
    expect(check({ deadlineMs: unknown() })).toEqual([]);
    expect(check({ calls: [call(unknown())] })).toEqual([]);
    expect(check({ calls: [] })).toEqual([]);
  });

  it('leaves unbounded attempts and calls that can wait forever to their own rules', () => {
    expect(check({ attempts: known('unbounded') })).toEqual([]);
    expect(check({ calls: [call(explicit(30_000)), call(known<TimeoutFacts>({ kind: 'missing' }), 80)] })).toEqual([]);
    expect(check({ calls: [call(known<TimeoutFacts>({ kind: 'disabled' }))] })).toEqual([]);
  });

  it('reports what the known parts already take when another call can wait forever', () => {
    const missing = call(known<TimeoutFacts>({ kind: 'missing' }), 80);
    expect(check({ calls: [call(explicit(600_000)), missing] })).toEqual([
      {
        messageId: 'atLeastTooLong',
        data: { total: '3015 s', limit: '300 s', attempts: 5, timeout: '600 s', sleeps: '15 s' },
        span: reportSpan,
      },
    ]);
    // Sleeps of a Retry-After honoured up to 120 s four times exceed 300 s whatever the timeout.
    const honoured = { honouredByLibrary: known(true), capMs: known(120_000) };
    const [report] = check({ calls: [missing], retryAfter: honoured });
    expect(report?.messageId).toBe('sleepsTooLong');
    expect(report?.data).toMatchObject({ sleeps: '480 s', total: '480 s', attempts: 5 });
    expect(check({ calls: [missing], delay: { strategy: unknown() } })).toEqual([]);
    expect(check({ calls: [call(explicit(600_000)), missing], delay: { strategy: unknown() } })[0]?.messageId).toBe('attemptsTooLong');
  });

  it('stays silent on plain calls and single-attempt sites', () => {
    expect(check({ kind: 'call', attempts: unknown(), calls: [call(explicit(600_000))] })).toEqual([]);
    expect(check({ attempts: known(1), calls: [call(explicit(600_000))] })).toEqual([]);
  });

  it('is a warning in the recommended config, with the numbers in the message', () => {
    const findings = judgeSites([site()], DEFAULT_POLICY, {}).filter((finding) => finding.ruleId === 'bounded-total-time');
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['warn', 'Worst case 315 s for the whole retry (limit 300 s): 5 attempts x 60 s timeout + 15 s of sleeps.'],
    ]);
  });
});
