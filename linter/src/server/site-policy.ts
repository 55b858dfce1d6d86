/**
 * `retrylint/sitePolicy`: the retry site under the cursor as the Retry Lab panel runs it:
 * the site's attempts, delays, per-attempt timeout and Retry-After handling exactly as the
 * hover and the code lens compute them (site-schedule.ts), and the policy of its file.
 */
import { type BackoffParams, type PolicyOptions, type ProfileName } from '@retrylint/shared';
import { RequestType, type Position } from 'vscode-languageserver';
import { siteAt } from './hover.js';
import type { RetrylintServer } from './server.js';
import { siteSchedule } from './site-schedule.js';

export interface SitePolicyParams {
  readonly textDocument: { readonly uri: string };
  readonly position: Position;
}

export interface SitePolicyResult {
  /** The site's line and column (0-based), and a short label ("tenacity decorator at line 8"). */
  readonly line: number;
  readonly character: number;
  readonly label: string;
  /** Total tries including the first; undefined when the code does not say. */
  readonly attempts: number | 'unbounded' | undefined;
  readonly backoff: BackoffParams | undefined;
  readonly timeoutMs: number | undefined;
  /** Retry-After honoured up to this; undefined: the site does not honour it. */
  readonly retryAfterMs: number | undefined;
  readonly deadlineMs: number | undefined;
  /** The file's policy (profile and options) the linter judges the site against. */
  readonly profile: ProfileName;
  readonly policy: PolicyOptions;
}

export const SitePolicyRequest = new RequestType<SitePolicyParams, SitePolicyResult | null, void>('retrylint/sitePolicy');

export async function sitePolicy(server: RetrylintServer, params: SitePolicyParams): Promise<SitePolicyResult | null> {
  const document = server.documents.get(params.textDocument.uri);
  const entry = document ? await server.current(document) : undefined;
  if (!entry) return null;
  const site = siteAt(entry.lint.sites, entry.snapshot.offsetAt(params.position));
  if (!site) return null;
  const schedule = siteSchedule(site, entry.lint.config.policy);
  const start = entry.snapshot.positionAt(site.span.start);
  const { profile, backoff: _spec, ...policy } = entry.lint.config.policy;
  return {
    line: start.line,
    character: start.character,
    label: `${site.library} ${site.kind} at line ${start.line + 1}`,
    attempts: schedule.attempts,
    backoff: schedule.backoff,
    timeoutMs: schedule.timeoutMs,
    retryAfterMs: schedule.retryAfterMs,
    deadlineMs: schedule.deadlineMs,
    profile,
    policy,
  };
}
