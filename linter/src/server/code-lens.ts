/** `textDocument/codeLens`: one lens above each retry site, "5 attempts · 1-16 s backoff · worst case 165 s". */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SHOW_SCHEDULE_COMMAND } from './commands.js';
import type { DocumentLint } from './document-lint.js';
import { backoffSpanMs, isScheduledSite, siteSchedule, type SiteSchedule } from './site-schedule.js';
import { formatAttempts, formatRange, formatWorstCase } from './site-text.js';

function backoffText(schedule: SiteSchedule): string {
  if (schedule.backoff?.strategy === 'none') return 'no backoff';
  const span = backoffSpanMs(schedule);
  if (!span) return 'backoff unknown';
  return `${formatRange(span.firstMs, span.longestMs)} backoff`;
}

export function lensTitle(schedule: SiteSchedule): string {
  return [formatAttempts(schedule.attempts), backoffText(schedule), `worst case ${formatWorstCase(schedule)}`].join(' · ');
}

export function codeLenses(lint: DocumentLint, document: TextDocument): CodeLens[] {
  const sites = lint.sites.filter(isScheduledSite).sort((a, b) => a.span.start - b.span.start);
  return sites.map((site) => {
    const start = document.positionAt(site.span.start);
    const title = lensTitle(siteSchedule(site, lint.config.policy));
    return {
      range: { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } },
      command: { title, command: SHOW_SCHEDULE_COMMAND, arguments: [document.uri, start] },
    };
  });
}
