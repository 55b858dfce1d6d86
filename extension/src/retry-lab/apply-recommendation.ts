/**
 * "Apply to config": the recommended profile and policy numbers written into the workspace's
 * retrylint.config.json (comments and other keys stay).
 */
import type { PolicyCandidate } from '@retrylint/shared';
import { applyEdits, modify } from 'jsonc-parser';

export function recommendedPolicyOptions(candidate: PolicyCandidate): Record<string, unknown> {
  return {
    maxAttempts: candidate.maxAttempts,
    baseDelayMs: candidate.baseDelayMs,
    maxDelayMs: candidate.maxDelayMs,
    jitter: candidate.jitter,
    ...(candidate.tokenBucket ? { tokenBucket: candidate.tokenBucket } : {}),
  };
}

/** The config text with the candidate in it (empty text: a new config); comments and other keys are kept. */
export function configWithRecommendation(text: string, candidate: PolicyCandidate): string {
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
  const steps: [string[], unknown][] = [
    [['profile'], candidate.profile],
    ...Object.entries(recommendedPolicyOptions(candidate)).map(([key, value]): [string[], unknown] => [['policy', key], value]),
  ];
  let current = text.trim() === '' ? '{}\n' : text;
  for (const [path, value] of steps) current = applyEdits(current, modify(current, path, value, { formattingOptions }));
  return current;
}
