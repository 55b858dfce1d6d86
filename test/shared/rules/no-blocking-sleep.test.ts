import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, getRule, judgeSites, known, makeSite, unknown, type SiteFacts, type Span } from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('no-blocking-sleep')!;

const reportSpan = span(0, 5);
const sleepCall = span(40, 56);
const sleepCallee = span(40, 50);
const sleepArgument = span(51, 55);

function site(facts: SiteFacts, kind: 'loop' | 'call' = 'loop') {
  return makeSite(
    { id: 'loop@0', kind, language: 'python', library: 'hand-written', span: span(0, 100), reportSpan },
    { attempts: { max: known(5) }, ...facts },
  );
}

function check(facts: SiteFacts, kind: 'loop' | 'call' = 'loop') {
  return rule.check(site(facts, kind), DEFAULT_POLICY, {});
}

describe('no-blocking-sleep', () => {
  it('flags a blocking sleep in async retry code at the sleep call, with a safe async-sleep fix', () => {
    const reports = check({
      sleep: {
        blockingInAsync: known(true),
        blockingCall: { span: sleepCall, callee: sleepCallee, argument: sleepArgument },
        permitHeld: unknown(),
      },
    });
    expect(reports).toHaveLength(1);
    expect(reports[0].messageId).toBe('blockingSleep');
    expect(reports[0].span).toEqual(sleepCall);
    expect(reports[0].fix).toEqual({
      title: 'Use `await asyncio.sleep(…)`',
      applicability: 'safe',
      intents: [{ kind: 'async-sleep', call: sleepCall, argument: sleepArgument }],
    });
  });

  it('reports at the site and offers no fix when the blocking call is not located', () => {
    const reports = check({ sleep: { blockingInAsync: known(true), permitHeld: unknown() } });
    expect(reports).toHaveLength(1);
    expect(reports[0].span).toEqual(reportSpan);
    expect(reports[0].fix).toBeUndefined();
  });

  it('stays silent when the sleep does not block, or when that is unknown', () => {
    const blockingCall = { span: sleepCall, callee: sleepCallee };
    expect(check({ sleep: { blockingInAsync: known(false), blockingCall, permitHeld: unknown() } })).toEqual([]);
    expect(check({ sleep: { blockingInAsync: unknown(), blockingCall, permitHeld: unknown() } })).toEqual([]);
  });

  it('stays silent on plain calls and on sites that try only once', () => {
    const sleep = { blockingInAsync: known(true), permitHeld: unknown() };
    expect(check({ sleep }, 'call')).toEqual([]);
    expect(check({ sleep, attempts: { max: known(1) } })).toEqual([]);
  });

  it('is an error in the recommended config', () => {
    const findings = judgeSites(
      [site({ sleep: { blockingInAsync: known(true), permitHeld: unknown() } })],
      DEFAULT_POLICY,
      {},
    ).filter((finding) => finding.ruleId === 'no-blocking-sleep');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].message).toMatch(/^Blocking sleep in async retry code/);
  });
});
