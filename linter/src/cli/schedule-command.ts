import {
  backoffFromSpec,
  expectedTotalMs,
  PROFILE_NAMES,
  PROFILES,
  resolvePolicy,
  scheduleTable,
  worstCaseTotalMs,
  type ProfileName,
} from '@retrylint/shared';
import { UsageError } from './usage-error.js';

export interface ScheduleCommandOptions {
  readonly profile: string;
  readonly attempts?: string;
  readonly timeout?: string;
}

/** Durations as people read them: `500 ms`, `1.5 s`, `2 min 30 s`. */
export function formatDuration(ms: number): string {
  if (ms === Infinity) return 'unbounded';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 10) / 100;
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} expects an integer >= 1, got "${value}"`);
  return number;
}

function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padStart(widths[column])).join('  ')).join('\n');
}

/** What the worst case means against the budget, and what Retry-After waits add to it. */
function budgetNotes(worstMs: number, budgetMs: number, retryAfterCapMs: number, attempts: number): string[] {
  const notes: string[] = [];
  if (worstMs > budgetMs) notes.push(`over budget by ${formatDuration(worstMs - budgetMs)}: fewer attempts, shorter sleeps or a shorter --timeout`);
  if (attempts > 1 && retryAfterCapMs > 0) {
    notes.push(
      `Retry-After waits (honoured up to ${formatDuration(retryAfterCapMs)} each) replace shorter sleeps and count against the same budget: stop retrying when it is spent`,
    );
  }
  return notes;
}

/** `retrylint schedule`: the sleeps before each retry, and the worst-case total. */
export function runScheduleCommand(options: ScheduleCommandOptions): string {
  if (!isProfileName(options.profile)) {
    throw new UsageError(`unknown profile "${options.profile}" (one of: ${PROFILE_NAMES.join(', ')})`);
  }
  const profile = PROFILES[options.profile];
  const attemptsOption = positiveInteger(options.attempts, '--attempts');
  const policy = resolvePolicy(options.profile, attemptsOption === undefined ? {} : { maxAttempts: attemptsOption });
  const attempts = policy.backoff.maxAttempts;
  // By default each attempt gets what the total budget leaves it after the sleeps.
  const timeoutMs = positiveInteger(options.timeout, '--timeout') ?? policy.backoff.timeoutMs ?? policy.maxTimeoutMs;
  const backoff = backoffFromSpec(policy.backoff);
  const input = { attempts, timeoutMs };
  const rows = scheduleTable(backoff, input);
  const header = ['retry', 'nominal', 'min', 'max', 'expected', 'worst elapsed'];
  const body = rows.map((row) => [
    String(row.retry),
    formatDuration(row.nominalMs),
    formatDuration(row.minMs),
    formatDuration(row.maxMs),
    formatDuration(row.expectedMs),
    formatDuration(row.cumulativeWorstMs),
  ]);
  const jitter = profile.backoff.jitter === 'none' ? 'no jitter' : `${profile.backoff.jitter} jitter`;
  const lines = [
    `profile ${options.profile}: ${profile.description}`,
    `${backoff.strategy} backoff, ${jitter}, ${attempts} attempts, ${formatDuration(timeoutMs)} per attempt`,
    '',
    rows.length > 0 ? table([header, ...body]) : '(one attempt: no retries, no sleeps)',
    '',
    `expected total: ${formatDuration(expectedTotalMs(backoff, input))}`,
    `worst-case total: ${formatDuration(worstCaseTotalMs(backoff, input))} (${attempts} attempts x ${formatDuration(timeoutMs)} + the longest sleeps)`,
    `budget: ${formatDuration(policy.maxTotalMs)} for the whole retry (maxTotalMs), ${formatDuration(policy.maxTimeoutMs)} per attempt at most (maxTimeoutMs)`,
    ...budgetNotes(worstCaseTotalMs(backoff, input), policy.maxTotalMs, policy.backoff.maxRetryAfterMs, attempts),
  ];
  return `${lines.join('\n')}\n`;
}
