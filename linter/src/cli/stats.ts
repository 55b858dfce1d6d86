import { nativePythonLoadError, pythonRuntime } from '../frontends/python/parser.js';
import type { FileResult } from './results.js';

export interface RunPhases {
  /** Finding the files. */
  walkMs: number;
  /** Reading, parsing, judging and fixing, wall-clock. */
  lintMs: number;
  /** Formatting and writing the report. */
  reportMs: number;
  totalMs: number;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** `--stats`: files scanned and parsed, and where the time went. */
export function formatStats(results: readonly FileResult[], phases: RunPhases, workers: number): string {
  const parsed = results.filter((result) => result.parsed).length;
  const sum = { readMs: 0, lintMs: 0, fixMs: 0 };
  for (const result of results) {
    sum.readMs += result.timings.readMs;
    sum.lintMs += result.timings.lintMs;
    sum.fixMs += result.timings.fixMs;
  }
  const lines = [
    `files: ${results.length} scanned, ${parsed} parsed, ${results.length - parsed} skipped by the prefilter or unreadable`,
    `time: walk ${ms(phases.walkMs)}, lint ${ms(phases.lintMs)} (${workers > 0 ? `${workers} workers` : 'in process'}), report ${ms(phases.reportMs)}, total ${ms(phases.totalMs)}`,
    `per file, summed: read ${ms(sum.readMs)}, parse+rules ${ms(sum.lintMs)}, fix ${ms(sum.fixMs)}`,
  ];
  // Known where this thread parsed Python (with workers, each loads its own).
  const runtime = pythonRuntime();
  const loadError = nativePythonLoadError();
  if (runtime) lines.push(`python parser: ${runtime === 'native' ? 'native tree-sitter' : `web-tree-sitter (wasm)${loadError ? `, the native binding did not load: ${loadError}` : ''}`}`);
  return `${lines.join('\n')}\n`;
}
