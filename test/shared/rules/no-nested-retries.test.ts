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
  type NestingFacts,
  type OptionSlot,
  type SiteKind,
  type Span,
} from '@retrylint/shared';
import { span } from './spans.js';

const rule = getRule('no-nested-retries')!;

const reportSpan = span(100, 110);
const callSpan = span(150, 190);

const maxRetriesSlot: OptionSlot = {
  name: 'max_retries',
  style: 'keyword-argument',
  container: span(10, 30),
  unit: 'retries',
};

function sdkCall(facts: Partial<CallFacts> = {}): CallFacts {
  return makeCall({ kind: 'sdk', library: 'openai', span: callSpan }, { clientAttempts: known(3), ...facts });
}

function site(
  attempts: Maybe<number | 'unbounded'>,
  facts: { calls?: CallFacts[]; nestedIn?: NestingFacts; kind?: SiteKind } = {},
) {
  return makeSite(
    { id: 'loop@100', kind: facts.kind ?? 'loop', language: 'python', library: 'hand-written', span: span(100, 200), reportSpan },
    { attempts: { max: attempts }, calls: facts.calls ?? [], ...(facts.nestedIn ? { nestedIn: facts.nestedIn } : {}) },
  );
}

function nestedIn(attempts: Maybe<number | 'unbounded'>): NestingFacts {
  return { siteId: 'decorator@0', attempts, span: span(0, 200), via: 'stacked-decorator' };
}

function check(...args: Parameters<typeof site>) {
  return rule.check(site(...args), DEFAULT_POLICY, {});
}

describe('no-nested-retries: a client that retries by itself', () => {
  it('multiplies outer attempts by the client attempts and reports at the call', () => {
    const reports = check(known(5), { calls: [sdkCall()] });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      messageId: 'clientRetries',
      data: { total: 15, outer: 5, client: 'SDK', inner: 3 },
      span: callSpan,
    });
  });

  it('names a generic HTTP client by its library', () => {
    const call = makeCall({ kind: 'http', library: 'urllib3', span: callSpan }, { clientAttempts: known(4) });
    expect(check(known(2), { calls: [call] })[0].data).toEqual({ total: 8, outer: 2, client: 'urllib3', inner: 4 });
  });

  it('says unbounded when the outer retry has no limit', () => {
    const reports = check(known('unbounded'), { calls: [sdkCall()] });
    expect(reports.map((report) => [report.messageId, report.data])).toEqual([
      ['clientRetriesUnbounded', { client: 'SDK', inner: 3 }],
    ]);
  });

  it("switches the client's retries off as a safe fix: one attempt, written as 0 retries", () => {
    const [report] = check(known(5), { calls: [sdkCall({ clientRetriesSlot: maxRetriesSlot })] });
    expect(report.fix).toEqual({
      title: "Switch off the client's own retries (max_retries = 0)",
      applicability: 'safe',
      intents: [{ kind: 'set-option', slot: maxRetriesSlot, value: 1 }],
    });
  });

  it('writes 1 in the title when the option counts attempts, and offers no fix without a count option', () => {
    const attemptsSlot: OptionSlot = { ...maxRetriesSlot, name: 'maxAttempts', unit: 'attempts' };
    expect(check(known(5), { calls: [sdkCall({ clientRetriesSlot: attemptsSlot })] })[0].fix?.title).toBe(
      "Switch off the client's own retries (maxAttempts = 1)",
    );
    expect(check(known(5), { calls: [sdkCall()] })[0].fix).toBeUndefined();
    const booleanSlot: OptionSlot = { ...maxRetriesSlot, unit: 'boolean' };
    expect(check(known(5), { calls: [sdkCall({ clientRetriesSlot: booleanSlot })] })[0].fix).toBeUndefined();
  });

  it('stays silent when the client makes one attempt (max_retries=0) or its retries are unknown', () => {
    expect(check(known(5), { calls: [sdkCall({ clientAttempts: known(1) })] })).toEqual([]);
    expect(check(known(5), { calls: [sdkCall({ clientAttempts: unknown() })] })).toEqual([]);
  });

  it('stays silent when the outer attempts are unknown or single', () => {
    expect(check(unknown(), { calls: [sdkCall()] })).toEqual([]);
    expect(check(known(1), { calls: [sdkCall()] })).toEqual([]);
  });

  it("does not judge a client site against its own retries, nor plain calls", () => {
    expect(check(known(3), { kind: 'client', calls: [sdkCall()] })).toEqual([]);
    expect(check(unknown(), { kind: 'call', calls: [sdkCall()] })).toEqual([]);
  });
});

describe('no-nested-retries: a retry inside another retry', () => {
  it('multiplies outer by inner attempts and reports at the inner site', () => {
    const reports = check(known(3), { nestedIn: nestedIn(known(4)) });
    expect(reports).toEqual([
      { messageId: 'nestedRetry', data: { total: 12, outer: 4, inner: 3 }, span: reportSpan },
    ]);
  });

  it('says unbounded when either side has no limit', () => {
    expect(check(known(3), { nestedIn: nestedIn(known('unbounded')) })[0]).toMatchObject({
      messageId: 'nestedRetryUnbounded',
      data: { outer: 'unbounded', inner: 3 },
    });
    expect(check(known('unbounded'), { nestedIn: nestedIn(known(2)) })[0]).toMatchObject({
      messageId: 'nestedRetryUnbounded',
      data: { outer: 2, inner: 'unbounded' },
    });
  });

  it('stays silent when either count is unknown or a single attempt', () => {
    expect(check(known(3), { nestedIn: nestedIn(unknown()) })).toEqual([]);
    expect(check(unknown(), { nestedIn: nestedIn(known(3)) })).toEqual([]);
    expect(check(known(3), { nestedIn: nestedIn(known(1)) })).toEqual([]);
  });

  it('reports both causes when a nested retry also wraps a retrying client', () => {
    const reports = check(known(2), { nestedIn: nestedIn(known(2)), calls: [sdkCall()] });
    expect(reports.map((report) => report.messageId).sort()).toEqual(['clientRetries', 'nestedRetry']);
  });
});

describe('no-nested-retries in the recommended config', () => {
  it('is an error with the multiplied count in the message', () => {
    const findings = judgeSites([site(known(5), { calls: [sdkCall()] })], DEFAULT_POLICY, {}).filter(
      (finding) => finding.ruleId === 'no-nested-retries',
    );
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['error', 'Up to 15 requests per call (outer 5 x SDK 3): the client retries by itself inside this retry.'],
    ]);
  });
});

describe('no-nested-retries: across modules (project mode)', () => {
  const chain = [
    { file: 'jobs/summarise.ts', line: 12, role: 'call' as const },
    { file: 'llm/ask.ts', line: 30, role: 'call' as const },
    { file: 'llm/client.ts', line: 5, role: 'client' as const },
  ];

  it('names the chain from the retried call to the client construction', () => {
    const reports = check(known(5), { calls: [sdkCall({ chain })] });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ messageId: 'clientRetriesThrough', data: { total: 15, outer: 5, inner: 3 }, span: callSpan });
    expect(reports[0].data?.chain).toBe('jobs/summarise.ts:12 -> llm/ask.ts:30 -> client built at llm/client.ts:5');
  });

  it('offers the switch-off in the other file as an unsafe fix', () => {
    const slot: OptionSlot = { ...maxRetriesSlot, name: 'maxRetries', style: 'object-property', file: '/project/src/llm/client.ts' };
    const [report] = check(known(4), { calls: [sdkCall({ chain, clientRetriesSlot: slot })] });
    expect(report.fix).toMatchObject({ applicability: 'unsafe', intents: [{ kind: 'set-option', slot, value: 1 }] });
    expect(report.fix?.title).toContain('llm/client.ts:5');
    const [local] = check(known(4), { calls: [sdkCall({ clientRetriesSlot: maxRetriesSlot })] });
    expect(local.fix?.applicability).toBe('safe');
  });

  it('multiplies a retry reached through calls in other modules, at the call that starts the chain', () => {
    const retryChain = [
      { file: 'jobs/summarise.ts', line: 12, role: 'call' as const },
      { file: 'llm/ask.ts', line: 8, role: 'retry' as const },
    ];
    const outer = makeSite(
      { id: 'loop@100', kind: 'loop', language: 'typescript', library: 'hand-written', span: span(100, 200), reportSpan },
      { attempts: { max: known(3) }, reachedRetries: [{ library: 'p-retry', attempts: known(6), span: callSpan, chain: retryChain }] },
    );
    const [report] = rule.check(outer, DEFAULT_POLICY, {});
    expect(report).toMatchObject({ messageId: 'retryThrough', data: { total: 18, outer: 3, inner: 6, library: 'p-retry' }, span: callSpan });
    expect(report.data?.chain).toBe('jobs/summarise.ts:12 -> retry at llm/ask.ts:8');
    const single = makeSite(
      { id: 'loop@100', kind: 'loop', language: 'typescript', library: 'hand-written', span: span(100, 200), reportSpan },
      { attempts: { max: known(3) }, reachedRetries: [{ library: 'p-retry', attempts: known(1), span: callSpan, chain: retryChain }] },
    );
    expect(rule.check(single, DEFAULT_POLICY, {})).toEqual([]);
  });
});
