import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, getRule, judgeSites, known, makeSite, unknown, type CancellationFacts, type Language, type Span } from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('no-retry-on-cancel')!;

const reportSpan = span(0, 5);
const exceptClause = span(30, 46);

function site(cancellation: CancellationFacts, options: { language?: Language; kind?: 'loop' | 'call'; attempts?: number } = {}) {
  return makeSite(
    { id: 'loop@0', kind: options.kind ?? 'loop', language: options.language ?? 'python', library: 'hand-written', span: span(0, 100), reportSpan },
    { attempts: { max: known(options.attempts ?? 3) }, retryOn: { cancellation } },
  );
}

function check(...args: Parameters<typeof site>) {
  return rule.check(site(...args), DEFAULT_POLICY, {});
}

describe('no-retry-on-cancel', () => {
  it('flags a handler that catches cancellation and retries, at the handler', () => {
    const reports = check({ retried: known(true), guarded: false, span: exceptClause });
    expect(reports).toHaveLength(1);
    expect(reports[0].messageId).toBe('retriesCancellation');
    expect(reports[0].span).toEqual(exceptClause);
    expect(reports[0].fix).toBeUndefined();
  });

  it('suggests re-raising cancellation first, as display-only advice in the language of the file', () => {
    const [python] = check({ retried: known(true), guarded: false, span: exceptClause });
    expect(python.suggestions).toHaveLength(1);
    expect(python.suggestions![0].applicability).toBe('display-only');
    expect(python.suggestions![0].title).toMatch(/CancelledError/);
    const [typescript] = check({ retried: known(true), guarded: false }, { language: 'typescript' });
    expect(typescript.suggestions![0].title).toMatch(/signal\.aborted/);
    expect(typescript.span).toEqual(reportSpan);
  });

  it('stays silent when cancellation is re-raised first (guarded)', () => {
    expect(check({ retried: known(true), guarded: true, span: exceptClause })).toEqual([]);
  });

  it('stays silent when cancellation is not retried, or when that is unknown', () => {
    expect(check({ retried: known(false), guarded: false, span: exceptClause })).toEqual([]);
    expect(check({ retried: unknown(), guarded: false, span: exceptClause })).toEqual([]);
  });

  it('stays silent on plain calls and single-attempt sites', () => {
    expect(check({ retried: known(true), guarded: false }, { kind: 'call' })).toEqual([]);
    expect(check({ retried: known(true), guarded: false }, { attempts: 1 })).toEqual([]);
  });

  it('is an error in the recommended config', () => {
    const findings = judgeSites([site({ retried: known(true), guarded: false })], DEFAULT_POLICY, {}).filter(
      (finding) => finding.ruleId === 'no-retry-on-cancel',
    );
    expect(findings.map((finding) => finding.severity)).toEqual(['error']);
  });
});
