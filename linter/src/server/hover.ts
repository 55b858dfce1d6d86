/**
 * `textDocument/hover` inside a retry site: the sleep before each retry (its range with
 * jitter), the worst-case total, the requests it can make with the retries of the clients
 * inside it, and the policy that applies.
 */
import { formatDuration, type RetrySite } from '@retrylint/shared';
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentLint } from './document-lint.js';
import { isScheduledSite, siteSchedule, type SiteSchedule } from './site-schedule.js';
import { formatRange, formatWorstCase, policySource } from './site-text.js';

/** Past this many retries the table shows the first ones and the last one. */
const TABLE_ROWS = 12;

/** The innermost retry site whose range holds the offset. */
export function siteAt(sites: readonly RetrySite[], offset: number): RetrySite | undefined {
  let best: RetrySite | undefined;
  for (const site of sites) {
    if (!isScheduledSite(site) || offset < site.span.start || offset > site.span.end) continue;
    if (!best || site.span.end - site.span.start < best.span.end - best.span.start) best = site;
  }
  return best;
}

function scheduleTableMarkdown(schedule: SiteSchedule): string[] {
  const { rows } = schedule;
  if (schedule.attempts === 'unbounded') return ['No attempt limit: the sleeps go on until a call succeeds.'];
  if (!schedule.backoff) return ['Delays: unknown (computed where retrylint cannot follow them).'];
  if (rows.length === 0) return ['One attempt: no retries, no sleeps.'];
  const shown = rows.length > TABLE_ROWS ? [...rows.slice(0, TABLE_ROWS - 1), rows[rows.length - 1]] : rows;
  const lines = ['| attempt | sleep before it (min-max) |', '|---:|---|'];
  shown.forEach((row, index) => {
    if (index === TABLE_ROWS - 1 && shown.length < rows.length) lines.push(`| ... | ${rows.length - TABLE_ROWS} more |`);
    lines.push(`| ${row.retry + 1} | ${formatRange(row.minMs, row.maxMs)} |`);
  });
  return lines;
}

function worstCaseLine(schedule: SiteSchedule): string {
  const worst = `**Worst case:** ${formatWorstCase(schedule)}`;
  const { attempts, timeoutMs, sleepsMs, timeoutUnbounded } = schedule;
  if (attempts === 'unbounded') return `${worst}: nothing stops the retrying.`;
  if (timeoutUnbounded) return `${worst}: a call has no timeout, so one attempt can wait forever.`;
  if (typeof attempts === 'number' && timeoutMs !== undefined && sleepsMs !== undefined) {
    return `${worst} = ${attempts} x ${formatDuration(timeoutMs)} timeout + ${formatDuration(sleepsMs)} of sleeps.`;
  }
  return `${worst}.`;
}

/** `a x b` as the hover says it: a number, "unbounded", or "unknown" when a factor is not known. */
function product(a: SiteSchedule['attempts'], b: SiteSchedule['attempts']): string {
  if (a === 'unbounded' || b === 'unbounded') return 'unbounded';
  if (a === undefined || b === undefined) return 'an unknown number of';
  return `up to ${a * b}`;
}

function attemptsLine(schedule: SiteSchedule): string {
  const attempts = schedule.attempts === undefined ? 'unknown' : String(schedule.attempts);
  const parts = [`**Attempts:** ${attempts}`];
  for (const { client, inner } of schedule.innerRetries) {
    parts.push(`x ${inner} by the ${client}'s own retries = ${product(schedule.attempts, inner)} requests`);
  }
  const outer = schedule.outerAttempts;
  if (outer !== undefined) {
    parts.push(`inside a retry of ${outer} attempts = ${product(outer, schedule.attempts)} attempts per call`);
  }
  return parts.join(', ');
}

export function hoverMarkdown(site: RetrySite, lint: DocumentLint, folder: string): string {
  const schedule = siteSchedule(site, lint.config.policy);
  const extra: string[] = [];
  if (schedule.retryAfterMs !== undefined) {
    const cap = formatDuration(schedule.retryAfterMs);
    extra.push(`A server's Retry-After, honoured up to ${cap}, replaces a shorter sleep: the worst case counts every sleep as at least ${cap}.`);
  }
  if (schedule.deadlineMs !== undefined) extra.push(`An overall deadline of ${formatDuration(schedule.deadlineMs)} ends the retrying.`);
  return [
    `**retrylint: retry schedule** (${site.library === 'hand-written' ? `hand-written ${site.kind}` : site.library})`,
    '',
    ...scheduleTableMarkdown(schedule),
    '',
    worstCaseLine(schedule),
    '',
    attemptsLine(schedule),
    '',
    ...extra.flatMap((line) => [line, '']),
    `**Policy:** ${policySource(lint.config, folder)}`,
  ].join('\n');
}

export function hoverAt(lint: DocumentLint, document: TextDocument, position: Position, folder: string): Hover | null {
  const site = siteAt(lint.sites, document.offsetAt(position));
  if (!site) return null;
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(site, lint, folder) },
    range: { start: document.positionAt(site.span.start), end: document.positionAt(site.span.end) },
  };
}
