/** The simulation table as text, CSV or JSON. */
import { FAILURE_REASONS, type SimulationResult, type SimulationRow } from '@retrylint/shared';
import { formatDuration } from '../schedule-command.js';

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()).join('\n');
}

export function tableHeader(peakWindowMs: number): string[] {
  return ['policy', 'success', 'mean', 'P50', 'P95', 'P99', 'attempts/req', `peak/${formatDuration(peakWindowMs)}`, 'amplification', 'token waste', 'cost'];
}

export function tableCells(row: SimulationRow): string[] {
  return [
    row.policy,
    percent(row.successRate),
    formatDuration(row.meanMs),
    formatDuration(row.p50Ms),
    formatDuration(row.p95Ms),
    formatDuration(row.p99Ms),
    row.attemptsPerRequest.toFixed(2),
    String(row.peakLoad),
    `${row.loadAmplification.toFixed(1)}x`,
    percent(row.tokenWasteRate),
    usd(row.costUsd),
  ];
}

export function formatTable(result: SimulationResult, description: string): string {
  const requests = result.rows[0]?.requests ?? 0;
  const lines = [
    `scenario ${result.scenario}: ${description}`,
    `${requests} requests, seed ${result.seed}; latency is end to end (sleeps included) over every request, successful or not`,
    '',
    textTable([tableHeader(result.peakWindowMs), ...result.rows.map(tableCells)]),
  ];
  return `${lines.join('\n')}\n`;
}

const CSV_COLUMNS: readonly (keyof SimulationRow)[] = [
  'policy', 'requests', 'succeeded', 'successRate', 'meanMs', 'p50Ms', 'p95Ms', 'p99Ms', 'maxMs', 'attempts',
  'attemptsPerRequest', 'timeouts', 'peakLoad', 'loadAmplification', 'tokensBilled', 'tokensWasted', 'tokenWasteRate',
  'costUsd', 'wastedUsd', 'longestBackoffMs', 'retriedBrokenStreams', 'durationMs',
];

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(result: SimulationResult): string {
  const header = [...CSV_COLUMNS, ...FAILURE_REASONS.map((reason) => `failed.${reason}`)];
  const lines = result.rows.map((row) =>
    [...CSV_COLUMNS.map((column) => row[column]), ...FAILURE_REASONS.map((reason) => row.failures[reason])].map(csvCell).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export function formatJson(result: SimulationResult): string {
  return `${JSON.stringify({ scenario: result.scenario, seed: result.seed, peakWindowMs: result.peakWindowMs, rows: result.rows }, null, 2)}\n`;
}
