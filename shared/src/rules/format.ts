/**
 * How numbers read in messages. Every rule formats durations and counts through these,
 * so "60 s" means the same thing in every finding.
 */

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Up to one decimal, without a trailing ".0"; whole numbers from 100 on. */
function roundForReading(value: number): string {
  if (value >= 100) return String(Math.round(value));
  return String(Math.round(value * 10) / 10);
}

/**
 * A duration for a message: "250 ms", "1.5 s", "512 s", "55.1 h", "2.3 d".
 * Seconds are kept up to an hour because policy values read best that way (cap 60 s,
 * timeout 600 s); beyond that hours and days keep the number short.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unbounded';
  const magnitude = Math.abs(ms);
  if (magnitude < SECOND) return `${Math.round(ms)} ms`;
  if (magnitude < HOUR) return `${roundForReading(ms / SECOND)} s`;
  if (magnitude < 2 * DAY) return `${roundForReading(ms / HOUR)} h`;
  return `${roundForReading(ms / DAY)} d`;
}

/**
 * A count, optionally with its noun: formatCount(15) = "15",
 * formatCount(1, 'attempt') = "1 attempt", formatCount(5, 'attempt') = "5 attempts".
 */
export function formatCount(count: number, noun?: string): string {
  const number = Number.isFinite(count) ? roundForReading(count) : 'unbounded';
  if (noun === undefined) return number;
  return `${number} ${count === 1 ? noun : `${noun}s`}`;
}

/** Items as prose: "400", "400 and 401", "400, 401 and 403". */
export function formatList(items: readonly (string | number)[]): string {
  const words = items.map(String);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
