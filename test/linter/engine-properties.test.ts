/**
 * Properties of the engine over random policies and random server behaviour (fast-check,
 * seeded), each run against a fresh Retry Lab server on 127.0.0.1 with the real clock.
 * Delays are scaled to milliseconds so a run takes a fraction of a second.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PROFILE_NAMES,
  resolvePolicy,
  RetryEngine,
  RetryGiveUpError,
  scheduleOf,
  seededRandom,
  worstCaseDelayMs,
  type AttemptEvent,
  type JitterKind,
  type Policy,
} from '@retrylint/shared';
import { undiciTransport } from '../../linter/src/engine/undici-transport.js';
import { startLabServer } from '../../linter/src/lab/lab-server.js';
import type { LabStep } from '../../linter/src/lab/scenario.js';
import { MESSAGES } from './lab/lab-harness.js';

const transport = undiciTransport();
const SEED = 20261203;
/**
 * A timer may fire this much later than asked on a loaded machine (167 ms late was seen with both
 * cores busy); never earlier. The decided delay is checked exactly; this bounds the real sleep.
 */
const TIMER_SLACK_MS = 500;

const JITTERS: readonly JitterKind[] = ['none', 'full', 'equal', 'decorrelated', 'proportional', 'additive'];

const policyArbitrary = fc
  .record({
    profile: fc.constantFrom(...PROFILE_NAMES),
    maxAttempts: fc.integer({ min: 1, max: 5 }),
    baseDelayMs: fc.integer({ min: 0, max: 15 }),
    maxDelayMs: fc.integer({ min: 0, max: 30 }),
    maxRetryAfterMs: fc.integer({ min: 0, max: 60 }),
    jitter: fc.constantFrom(...JITTERS),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  })
  .map(({ profile, seed, ...options }) => ({ policy: resolvePolicy(profile, options), seed }));

const PERMANENT_STEPS: readonly LabStep[] = [{ scenario: 'wrong-key' }, { scenario: 'context-length' }, { scenario: 'insufficient-quota' }];

const transientStep: fc.Arbitrary<LabStep> = fc.oneof(
  fc.constantFrom<LabStep>(
    { scenario: 'server-errors', status: 500, errors: 1, period: 1 },
    { scenario: 'server-errors', status: 503, errors: 1, period: 1 },
    { scenario: 'window-head', rejectFirst: 1_000 },
    { scenario: 'stream-cut', chunksBeforeCut: 0 },
  ),
  fc.integer({ min: 5, max: 80 }).map((windowMs): LabStep => ({ scenario: 'rate-limit', windowMs, limit: 0 })),
);

/** One answer per step, then a last step that answers the rest. */
const stepsArbitrary = fc
  .tuple(fc.array(transientStep, { maxLength: 5 }), fc.oneof(transientStep, fc.constant<LabStep>({ scenario: 'ok' }), fc.constantFrom(...PERMANENT_STEPS)))
  .map(([head, last]) => [...head.map((step) => ({ ...step, requests: 1 })), last]);

interface Run {
  readonly attempts: readonly AttemptEvent[];
  readonly requests: number;
}

async function runOnce(policy: Policy, seed: number, steps: readonly LabStep[]): Promise<Run> {
  const server = await startLabServer({ scenario: { name: 'property', steps } });
  try {
    const engine = new RetryEngine({ policy, transport, random: seededRandom(seed), attemptTimeoutMs: 2_000 });
    const attempts = await engine.call({ url: `${server.url}/v1/chat/completions`, body: MESSAGES }).then(
      (result) => result.attempts,
      (error: unknown) => {
        if (!(error instanceof RetryGiveUpError)) throw error;
        return error.attempts;
      },
    );
    return { attempts, requests: server.stats().requests };
  } finally {
    await server.close();
  }
}

/** The longest sleep the policy allows after this attempt. */
function allowedSleepMs(policy: Policy, attempt: AttemptEvent): number {
  if (attempt.decision.action === 'retry' && attempt.decision.delaySource === 'retry-after') return policy.maxRetryAfterMs;
  return Math.min(policy.maxDelayMs, worstCaseDelayMs(scheduleOf(policy), attempt.attempt));
}

describe('engine properties against the lab server', () => {
  it('never sleeps longer than the policy allows, and never makes more than maxAttempts attempts', async () => {
    await fc.assert(
      fc.asyncProperty(policyArbitrary, stepsArbitrary, async ({ policy, seed }, steps) => {
        const { attempts, requests } = await runOnce(policy, seed, steps);
        expect(attempts.length).toBeGreaterThanOrEqual(1);
        expect(attempts.length).toBeLessThanOrEqual(policy.maxAttempts);
        expect(requests).toBe(attempts.length);
        for (const [index, attempt] of attempts.slice(0, -1).entries()) {
          const decision = attempt.decision;
          expect(decision.action).toBe('retry');
          if (decision.action !== 'retry') return;
          const allowed = allowedSleepMs(policy, attempt);
          expect(decision.delayMs).toBeLessThanOrEqual(allowed);
          const slept = attempts[index + 1].startedAt - (attempt.startedAt + attempt.durationMs);
          expect(slept).toBeLessThanOrEqual(allowed + TIMER_SLACK_MS);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('attempts a permanent failure exactly once, whatever came before it', async () => {
    await fc.assert(
      fc.asyncProperty(policyArbitrary, fc.array(transientStep, { maxLength: 3 }), fc.constantFrom(...PERMANENT_STEPS), async ({ policy, seed }, head, permanent) => {
        const steps = [...head.map((step) => ({ ...step, requests: 1 })), permanent];
        const { attempts } = await runOnce(policy, seed, steps);
        const permanentAttempts = attempts.filter((attempt) => attempt.decision.action === 'stop' && attempt.decision.reason === 'permanent-code');
        if (attempts.length > head.length) {
          // The server reached the permanent answer: it is the last attempt, and the only one of its kind.
          expect(permanentAttempts).toHaveLength(1);
          expect(permanentAttempts[0]).toBe(attempts.at(-1));
        } else {
          expect(permanentAttempts).toHaveLength(0);
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('a permanent status as the first answer: one request, whatever the policy', async () => {
    await fc.assert(
      fc.asyncProperty(policyArbitrary, fc.constantFrom(...PERMANENT_STEPS), async ({ policy, seed }, permanent) => {
        const { attempts, requests } = await runOnce(policy, seed, [permanent]);
        expect(requests).toBe(1);
        expect(attempts).toHaveLength(1);
        expect(attempts[0].decision).toMatchObject({ action: 'stop', reason: 'permanent-code' });
      }),
      { seed: SEED, numRuns: 20 },
    );
  });
});
