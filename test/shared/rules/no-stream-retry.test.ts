import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  getRule,
  judgeSites,
  known,
  makeCall,
  makeSite,
  unknown,
  type CallFacts,
  type Maybe,
  type OptionSlot,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { at } from './spans.js';

const rule = getRule('no-stream-retry')!;

const createCall = at(5, 9, 40);
const stopSlot: OptionSlot = { name: 'stop', style: 'keyword-argument', container: at(1, 7, 30), valueSpan: at(1, 20, 1), unit: 'attempts' };

function streamingCall(streaming: Maybe<boolean> = known(true), consumed: Maybe<boolean> = known(true)): CallFacts {
  return makeCall({ kind: 'sdk', library: 'openai', span: createCall }, { streaming, streamConsumedInRetry: consumed });
}

function site(calls: CallFacts[], kind: SiteKind = 'decorator', slot?: OptionSlot) {
  return makeSite(
    { id: `${kind}@100`, kind, language: 'python', library: 'tenacity', span: at(1, 1, 500), reportSpan: at(1, 1, 6) },
    { attempts: { max: known(3), ...(slot ? { slot } : {}) }, calls },
  );
}

describe('no-stream-retry', () => {
  it('reports a streamed call whose chunks are consumed inside the retry, at the call', () => {
    expect(rule.check(site([streamingCall()]), DEFAULT_POLICY, {})).toEqual([
      { messageId: 'streamRetried', data: { library: 'openai' }, span: createCall },
    ]);
  });

  it('suggests a single attempt when the attempt limit can be set, never as a safe fix', () => {
    const [report] = rule.check(site([streamingCall()], 'decorator', stopSlot), DEFAULT_POLICY, {});
    expect(report.fix).toBeUndefined();
    expect(report.suggestions).toEqual([
      {
        title: 'Make a single attempt (no retry of the stream)',
        applicability: 'unsafe',
        intents: [{ kind: 'set-option', slot: stopSlot, value: 1 }],
      },
    ]);
  });

  describe('stays silent', () => {
    it('when the retry covers only the request before the first chunk', () => {
      expect(rule.check(site([streamingCall(known(true), known(false))]), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when it is unknown whether chunks are consumed in the retry', () => {
      expect(rule.check(site([streamingCall(known(true), unknown())]), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('when the call does not stream, or it is unknown whether it does', () => {
      expect(rule.check(site([streamingCall(known(false))]), DEFAULT_POLICY, {})).toEqual([]);
      expect(rule.check(site([streamingCall(unknown('**kwargs'))]), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('for the SDK client retries, which stop once the headers arrive', () => {
      expect(rule.check(site([streamingCall()], 'client'), DEFAULT_POLICY, {})).toEqual([]);
    });

    it('for a plain streaming call that nothing retries', () => {
      expect(rule.check(site([streamingCall()], 'call'), DEFAULT_POLICY, {})).toEqual([]);
    });
  });

  it('is an error through judgeSites', () => {
    const findings = judgeSites([site([streamingCall()])], DEFAULT_POLICY, {}).filter((f) => f.ruleId === 'no-stream-retry');
    expect(findings.map((f) => [f.severity, f.span])).toEqual([['error', createCall]]);
  });
});
