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
  type OptionSlot,
  type SiteKind,
  type Span,
  type TimeoutFacts,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('require-timeout')!;

const callSpan = at(4, 16, 30);
const timeoutSlot: OptionSlot = { name: 'timeout', style: 'keyword-argument', container: at(4, 28, 18), unit: 'seconds' };

function call(timeout: TimeoutFacts | undefined, facts: Partial<CallFacts> = {}): CallFacts {
  return makeCall(
    { kind: 'http', library: 'requests', span: callSpan },
    { timeout: timeout ? known(timeout) : unknown('**kwargs'), streaming: known(false), timeoutSlot, ...facts },
  );
}

function site(calls: CallFacts[], kind: SiteKind = 'call', attempts = known<number | 'unbounded'>(3)) {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'python', library: 'requests', span: at(1, 1, 400), reportSpan: at(1, 1, 9) },
    { attempts: { max: attempts }, calls },
  );
}

const check = (calls: CallFacts[], kind?: SiteKind, policy = DEFAULT_POLICY) => rule.check(site(calls, kind), policy, {});
const setTimeoutTo = (value: number) => [{ kind: 'set-option', slot: timeoutSlot, value }];

describe('require-timeout', () => {
  it('reports a call without a timeout at the call, with a safe fix adding the policy value', () => {
    expect(check([call({ kind: 'missing' })])).toEqual([
      {
        messageId: 'missing',
        data: { library: 'requests', limit: '120 s' },
        span: callSpan,
        fix: { title: 'Set a 120 s timeout', applicability: 'safe', intents: setTimeoutTo(120_000) },
      },
    ]);
  });

  it("says what applies to fetch without a signal where the file may run in a browser or in Node", () => {
    const [report] = check([call({ kind: 'missing', runtimeLimitMs: 300_000 })]);
    expect(report).toMatchObject({ messageId: 'missingOutsideNode', data: { runtime: '300 s', limit: '120 s' }, fix: { applicability: 'safe' } });
  });

  it('reports a switched-off timeout (timeout=None)', () => {
    const [report] = check([call({ kind: 'disabled' })]);
    expect(report).toMatchObject({ messageId: 'disabled', span: callSpan, fix: { applicability: 'safe' } });
  });

  it('reports an explicit timeout above the limit with both numbers; lowering it is only an unsafe fix', () => {
    const [report] = check([call({ kind: 'explicit', ms: 600_000 })]);
    expect(report).toMatchObject({ messageId: 'tooLong', data: { timeout: '600 s', limit: '120 s' } });
    expect(report.fix).toEqual({ title: 'Set a 120 s timeout', applicability: 'unsafe', intents: setTimeoutTo(120_000) });
  });

  it('judges long library defaults only when the policy asks for it (strict)', () => {
    const sdkCall = call({ kind: 'library-default', ms: 600_000 }, { kind: 'sdk', library: 'openai' });
    expect(check([sdkCall])).toEqual([]);
    const strict = resolvePolicy('ai-api', { judgeLibraryDefaults: true });
    expect(check([sdkCall], 'call', strict)).toEqual([
      {
        messageId: 'libraryDefaultTooLong',
        data: { library: 'openai', timeout: '600 s', limit: '120 s' },
        span: callSpan,
        fix: { title: 'Set a 120 s timeout', applicability: 'safe', intents: setTimeoutTo(120_000) },
      },
    ]);
  });

  it('judges streaming calls for a missing timeout (an unsafe fix) but not for a long one', () => {
    expect(check([call({ kind: 'missing' }, { streaming: known(true) })])).toMatchObject([
      { messageId: 'missing', fix: { applicability: 'unsafe' } },
    ]);
    expect(check([call({ kind: 'explicit', ms: 900_000 }, { streaming: known(true) })])).toEqual([]);
  });

  it('judges the calls of a retrying site, each at its own span', () => {
    const second = call({ kind: 'disabled' }, { span: at(7, 5, 20) });
    const reports = check([call({ kind: 'missing' }), call({ kind: 'explicit', ms: 30_000 }), second], 'loop');
    expect(reports.map((r) => [r.messageId, r.span])).toEqual([
      ['missing', callSpan],
      ['disabled', at(7, 5, 20)],
    ]);
  });

  it('offers no fix when the frontend has no lever for the timeout', () => {
    expect(check([call({ kind: 'missing' }, { timeoutSlot: undefined })])[0].fix).toBeUndefined();
  });

  it('uses the policy maxTimeoutMs for the limit and the fix', () => {
    const policy = resolvePolicy('ai-api', { maxTimeoutMs: 30_000 });
    const [report] = check([call({ kind: 'explicit', ms: 60_000 })], 'call', policy);
    expect(report).toMatchObject({ messageId: 'tooLong', data: { timeout: '60 s', limit: '30 s' } });
    expect(report.fix?.intents).toEqual(setTimeoutTo(30_000));
  });

  describe('stays silent', () => {
    it('for a timeout within the limit', () => {
      expect(check([call({ kind: 'explicit', ms: 120_000 })])).toEqual([]);
    });

    it('when the timeout is unknown (a **kwargs pass-through)', () => {
      expect(check([call(undefined)])).toEqual([]);
    });

    it('on a long timeout when it is unknown whether the call streams', () => {
      expect(check([call({ kind: 'explicit', ms: 600_000 }, { streaming: unknown() })])).toEqual([]);
    });

    it('for the calls of a site that makes a single attempt (they appear as call sites of their own)', () => {
      expect(rule.check(site([call({ kind: 'missing' })], 'loop', known(1)), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('reports a call shared by two sites once, as an error; a long timeout is a warning', () => {
    const shared = call({ kind: 'missing' });
    const outer = site([shared], 'decorator');
    const inner = makeSite({ ...outer, id: 'loop@200', kind: 'loop' }, { attempts: { max: known(2) }, calls: [shared] });
    const long = site([call({ kind: 'explicit', ms: 300_000 }, { span: at(9, 1, 10) })]);
    const findings = judgeSites([outer, inner, long], DEFAULT_POLICY, {}).filter((f) => f.ruleId === 'require-timeout');
    expect(findings.map((f) => [f.messageId, f.severity, f.message])).toEqual([
      ['missing', 'error', 'The requests call has no timeout and can wait forever (limit 120 s per attempt).'],
      ['tooLong', 'warn', 'Timeout of 300 s per attempt (limit 120 s).'],
    ]);
  });
});
