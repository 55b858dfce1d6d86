/**
 * The local lab server's scenarios as the panel offers them: each failure mode tuned so that
 * one call shows it within a few seconds (the CLI's defaults are sized for load tests: a
 * minute's window of 100 requests).
 */
import type { LabScenario } from '../../../linter/src/lab/scenario.js';
import type { LabServerScenario } from './messages.js';

export const PANEL_LAB_SCENARIOS: Readonly<Record<LabServerScenario, LabScenario>> = {
  // Every call: two 429s with Retry-After (the rest of a 1.5 s window), then an answer.
  'rate-limit': {
    name: 'rate-limit',
    repeat: true,
    steps: [
      { scenario: 'rate-limit', limit: 0, windowMs: 1500, requests: 2 },
      { scenario: 'ok', requests: 1 },
    ],
  },
  // Every call: a 503, then an answer.
  'server-errors': { name: 'server-errors', steps: [{ scenario: 'server-errors', status: 503, errors: 1, period: 2 }] },
  // A stream that breaks after its second chunk (a JSON answer cut mid-body).
  'stream-cut': { name: 'stream-cut', steps: [{ scenario: 'stream-cut', chunksBeforeCut: 2 }] },
  'slow-first-byte': { name: 'slow-first-byte', steps: [{ scenario: 'slow-first-byte', delayMs: 3000 }] },
  ok: { name: 'ok', steps: [{ scenario: 'ok' }] },
  mixed: { name: 'mixed', steps: [{ scenario: 'mixed' }] },
};
