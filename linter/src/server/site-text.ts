/** How the hover and the code lens write a site's numbers (durations as the rules' messages write them). */
import path from 'node:path';
import { formatDuration } from '@retrylint/shared';
import type { FileConfig } from '../config/file-config.js';
import type { SiteSchedule } from './site-schedule.js';

/** "1-16 s", "500 ms-2 s", "8 s" (one unit written once). */
export function formatRange(minMs: number, maxMs: number): string {
  const low = minMs === 0 ? '0' : formatDuration(minMs);
  const high = formatDuration(maxMs);
  if (low === high) return low;
  const [lowNumber, lowUnit] = low.split(' ');
  const [highNumber, highUnit] = high.split(' ');
  if (minMs === 0) return `0-${high}`;
  return lowUnit === highUnit && highUnit !== undefined ? `${lowNumber}-${highNumber} ${highUnit}` : `${low}-${high}`;
}

export function formatAttempts(attempts: SiteSchedule['attempts']): string {
  if (attempts === undefined) return 'attempts unknown';
  if (attempts === 'unbounded') return 'unbounded attempts';
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/** The worst case in a few words, with what bounds or hides it. */
export function formatWorstCase(schedule: SiteSchedule): string {
  const { worstCaseMs, deadlineMs, sleepsMs } = schedule;
  if (deadlineMs !== undefined && (worstCaseMs === undefined || worstCaseMs > deadlineMs)) {
    return `${formatDuration(deadlineMs)} (overall deadline)`;
  }
  if (worstCaseMs !== undefined) return formatDuration(worstCaseMs);
  if (sleepsMs !== undefined) return `at least ${formatDuration(sleepsMs)} (timeouts unknown)`;
  return 'unknown';
}

/** A path as the user reads it: relative to the workspace folder when inside it. */
export function displayPath(file: string, folder: string): string {
  const relative = path.relative(folder, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** Which policy applies: the profile, the config file and the overrides that matched, or the defaults. */
export function policySource(config: FileConfig, folder: string): string {
  const profile = `profile \`${config.policy.profile}\``;
  if (!config.configFile) return `${profile}, defaults (no retrylint.config.json applies)`;
  const overrides = config.matchedOverrides.map(
    (override) =>
      `override #${override.index + 1} (\`${override.files.join('`, `')}\`) of \`${displayPath(override.configFile, folder)}\``,
  );
  const from = `\`${displayPath(config.configFile, folder)}\``;
  return overrides.length > 0 ? `${profile} from ${from}, ${overrides.join(', ')}` : `${profile} from ${from}`;
}
