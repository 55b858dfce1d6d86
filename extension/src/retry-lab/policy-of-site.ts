/**
 * The engine policy for one retry site, from what the language server computed about it
 * (`retrylint/sitePolicy`): the site's own attempts, delays, timeout and Retry-After limit,
 * inside the file's policy for everything the site does not say. Pure, unit-tested.
 */
import { formatDuration, resolvePolicy, type Policy } from '@retrylint/shared';
import type { SitePolicyResult } from '../../../linter/src/server/site-policy.js';

export interface SiteEnginePolicy {
  readonly policy: Policy;
  /** One line for the panel: "tenacity decorator at line 8: 20 attempts, exponential 1 s-30 s (full jitter)…". */
  readonly summary: string;
  /** What the engine does differently from the site's code, said in the panel. */
  readonly notes: readonly string[];
}

export function policyOfSite(site: SitePolicyResult): SiteEnginePolicy {
  const notes: string[] = [];
  const base = resolvePolicy(site.profile, site.policy);
  let maxAttempts = base.maxAttempts;
  if (typeof site.attempts === 'number') maxAttempts = site.attempts;
  else notes.push(`the site's attempts are ${site.attempts === 'unbounded' ? 'unbounded' : 'unknown'}: the policy's ${base.maxAttempts} are used`);
  const backoff = site.backoff;
  if (!backoff) notes.push("the site's delays are unknown: the policy's schedule is used");
  if (site.retryAfterMs === undefined) notes.push('the site does not honour Retry-After; the engine always does, up to the policy limit');
  const policy: Policy = {
    ...base,
    maxAttempts,
    ...(site.timeoutMs === undefined ? {} : { maxTimeoutMs: site.timeoutMs }),
    ...(site.retryAfterMs === undefined ? {} : { maxRetryAfterMs: site.retryAfterMs }),
    ...(site.deadlineMs === undefined ? {} : { maxTotalMs: site.deadlineMs }),
    backoff: {
      ...base.backoff,
      maxAttempts,
      ...(backoff
        ? {
            strategy: backoff.strategy,
            baseMs: backoff.baseMs,
            factor: backoff.factor ?? base.backoff.factor,
            stepMs: backoff.stepMs ?? backoff.baseMs,
            capMs: backoff.capMs ?? Infinity,
            jitter: backoff.jitter,
          }
        : {}),
      ...(site.retryAfterMs === undefined ? {} : { maxRetryAfterMs: site.retryAfterMs }),
    },
  };
  return { policy, summary: `${site.label}: ${describePolicy(policy)}`, notes };
}

/** "5 attempts, exponential from 1 s, cap 60 s, full jitter, Retry-After up to 2 min, timeout 2 min". */
export function describePolicy(policy: Policy): string {
  const { backoff } = policy;
  const cap = Number.isFinite(backoff.capMs) ? `, cap ${formatDuration(backoff.capMs)}` : '';
  const schedule = backoff.strategy === 'none' ? 'no backoff' : `${backoff.strategy} from ${formatDuration(backoff.baseMs)}${cap}, ${backoff.jitter} jitter`;
  return [
    `${policy.maxAttempts} attempts`,
    schedule,
    `Retry-After up to ${formatDuration(policy.maxRetryAfterMs)}`,
    `timeout ${formatDuration(policy.maxTimeoutMs)}`,
    `deadline ${formatDuration(policy.maxTotalMs)}`,
  ].join(', ');
}
