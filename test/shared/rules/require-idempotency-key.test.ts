import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, getRule, judgeSites, known, makeCall, makeSite, unknown, type CallFacts, type Span } from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('require-idempotency-key')!;

const reportSpan = span(0, 5);
const callSpan = span(40, 70);

function post(facts: Partial<CallFacts> = {}, kind: 'http' | 'sdk' = 'http'): CallFacts {
  return makeCall({ kind, library: kind === 'http' ? 'requests' : 'openai', span: callSpan }, { method: known('POST'), ...facts });
}

function site(calls: CallFacts[], options: { kind?: 'loop' | 'call'; attempts?: number } = {}) {
  return makeSite(
    { id: 'loop@0', kind: options.kind ?? 'loop', language: 'python', library: 'hand-written', span: span(0, 100), reportSpan },
    { attempts: { max: known(options.attempts ?? 3) }, calls },
  );
}

function check(...args: Parameters<typeof site>) {
  return rule.check(site(...args), DEFAULT_POLICY, {});
}

describe('require-idempotency-key', () => {
  it('flags a retried POST with no idempotency key, at the call', () => {
    const reports = check([post({ idempotencyKey: known('none') })]);
    expect(reports).toEqual([{ messageId: 'missingKey', data: { method: 'POST' }, span: callSpan }]);
  });

  it('flags a key generated per attempt, for PATCH too (any letter case)', () => {
    const reports = check([post({ method: known('patch'), idempotencyKey: known('per-attempt') })]);
    expect(reports).toEqual([{ messageId: 'keyPerAttempt', data: { method: 'PATCH' }, span: callSpan }]);
  });

  it('stays silent when the key is created once outside the retry', () => {
    expect(check([post({ idempotencyKey: known('outside') })])).toEqual([]);
  });

  it('stays silent on idempotent methods and unknown methods or keys', () => {
    expect(check([post({ method: known('PUT'), idempotencyKey: known('none') })])).toEqual([]);
    expect(check([post({ method: known('GET'), idempotencyKey: known('none') })])).toEqual([]);
    expect(check([post({ method: unknown(), idempotencyKey: known('none') })])).toEqual([]);
    expect(check([post({ idempotencyKey: unknown() })])).toEqual([]);
  });

  it('judges generic HTTP clients only, inside sites that retry', () => {
    expect(check([post({ idempotencyKey: known('none') }, 'sdk')])).toEqual([]);
    expect(check([post({ idempotencyKey: known('none') })], { kind: 'call' })).toEqual([]);
    expect(check([post({ idempotencyKey: known('none') })], { attempts: 1 })).toEqual([]);
  });

  it('is off in the recommended config and a warning when switched on', () => {
    const sites = [site([post({ idempotencyKey: known('none') })])];
    const ours = (findings: ReturnType<typeof judgeSites>) =>
      findings.filter((finding) => finding.ruleId === 'require-idempotency-key');
    expect(ours(judgeSites(sites, DEFAULT_POLICY, {}))).toEqual([]);
    const enabled = ours(judgeSites(sites, DEFAULT_POLICY, { 'require-idempotency-key': { severity: 'warn', options: {} } }));
    expect(enabled).toHaveLength(1);
    expect(enabled[0].severity).toBe('warn');
    expect(enabled[0].message).toMatch(/^POST is retried without an Idempotency-Key/);
  });
});
