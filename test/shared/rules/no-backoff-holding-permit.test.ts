import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, getRule, judgeSites, known, makeSite, unknown, type Maybe, type Span } from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('no-backoff-holding-permit')!;

const reportSpan = span(20, 25);
const asyncWith = span(0, 15);

function site(permitHeld: Maybe<boolean>, options: { permitSpan?: Span; kind?: 'loop' | 'call'; attempts?: number } = {}) {
  return makeSite(
    { id: 'loop@20', kind: options.kind ?? 'loop', language: 'python', library: 'hand-written', span: span(20, 100), reportSpan },
    {
      attempts: { max: known(options.attempts ?? 5) },
      sleep: { blockingInAsync: known(false), permitHeld, ...(options.permitSpan ? { permitSpan: options.permitSpan } : {}) },
    },
  );
}

function check(...args: Parameters<typeof site>) {
  return rule.check(site(...args), DEFAULT_POLICY, {});
}

describe('no-backoff-holding-permit', () => {
  it('flags a backoff that sleeps while holding a permit, at the acquisition', () => {
    const reports = check(known(true), { permitSpan: asyncWith });
    expect(reports).toHaveLength(1);
    expect(reports[0].messageId).toBe('sleepsHoldingPermit');
    expect(reports[0].span).toEqual(asyncWith);
    expect(reports[0].fix).toBeUndefined();
    expect(reports[0].suggestions?.map((fix) => fix.applicability)).toEqual(['display-only']);
  });

  it('falls back to the site when the acquisition is not located', () => {
    expect(check(known(true))[0].span).toEqual(reportSpan);
  });

  it('stays silent when no permit is held, or when that is unknown', () => {
    expect(check(known(false), { permitSpan: asyncWith })).toEqual([]);
    expect(check(unknown(), { permitSpan: asyncWith })).toEqual([]);
  });

  it('stays silent on plain calls and single-attempt sites', () => {
    expect(check(known(true), { kind: 'call' })).toEqual([]);
    expect(check(known(true), { attempts: 1 })).toEqual([]);
  });

  it('is a warning in the recommended config', () => {
    const findings = judgeSites([site(known(true))], DEFAULT_POLICY, {}).filter(
      (finding) => finding.ruleId === 'no-backoff-holding-permit',
    );
    expect(findings.map((finding) => finding.severity)).toEqual(['warn']);
  });
});
