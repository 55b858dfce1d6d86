/**
 * Lints one file from disk: the unit of work of the main thread and of the worker pool.
 * Read (binary, oversized and unreadable files become a warning for that file), resolve
 * its config, prefilter, run the pipeline, apply suppressions, and fix when asked.
 * Never throws for a problem of the file; its settings and result are plain data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { RuleSetting } from '@retrylint/shared';
import { createTwoFilesPatch } from 'diff';
import { ConfigError, formatConfigProblem } from '../config/config-error.js';
import { ConfigResolver, type FileConfig } from '../config/file-config.js';
import { isCrossFileFix, isLosslessUtf8, textChanges, writeFileAtomically } from '../fixes/index.js';
import { languageOf } from '../frontends/index.js';
import { FileBudgetExceeded, withinFileBudget, type FileBudget } from '../frontends/work-budget.js';
import { fixText, judgedMessages, judgeText } from './judge-text.js';
import { fileNotice } from './messages.js';
import type { FileResult, FileTimings } from './results.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8 * 1024;

export type FixMode = 'off' | 'safe' | 'unsafe';

export interface LintFileSettings {
  readonly cwd: string;
  /** `--config`. */
  readonly configFile?: string;
  /** `--rule id:severity`. */
  readonly ruleFlags?: Readonly<Record<string, RuleSetting>>;
  readonly maxFileSize: number;
  readonly reportUnusedDisable: boolean;
  /** false parses every file (the prefilter is a speed-up, never a filter of findings). */
  readonly prefilter: boolean;
  readonly fix: FixMode;
  /** Compute the fixes as a diff without writing. */
  readonly dryRun: boolean;
  /** Time and memory one file's analysis may take (`--max-file-time`, `--max-file-memory`); none: unlimited. */
  readonly budget?: FileBudget;
}

export const DEFAULT_MAX_FILE_SECONDS = 60;
/** Heap growth one file may cause: 2 GB, or half of what V8 allows this thread if that is less. */
export function defaultMaxFileMemoryMb(): number {
  return Math.min(2048, Math.floor(v8.getHeapStatistics().heap_size_limit / (2 * 1024 * 1024)));
}

function overBudget(error: FileBudgetExceeded, what: string): string {
  const limit =
    error.resource === 'time'
      ? `--max-file-time ${formatSeconds(error.budget.maxMs)}`
      : `--max-file-memory ${Math.round(error.budget.maxHeapGrowthBytes / (1024 * 1024))}`;
  return `${what}: its analysis went over the ${error.resource} budget (${limit}).`;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

const resolvers = new Map<string, ConfigResolver>();

function resolverFor(settings: LintFileSettings): ConfigResolver {
  const key = JSON.stringify([settings.cwd, settings.configFile, settings.ruleFlags]);
  let resolver = resolvers.get(key);
  if (!resolver) {
    resolver = new ConfigResolver({ cwd: settings.cwd, configFile: settings.configFile, ruleFlags: settings.ruleFlags });
    resolvers.set(key, resolver);
  }
  return resolver;
}

function describeSize(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function hasNulByte(bytes: Buffer): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

function emptyTimings(): FileTimings {
  return { readMs: 0, lintMs: 0, fixMs: 0 };
}

function noticeResult(filePath: string, message: string, timings = emptyTimings()): FileResult {
  return { filePath, messages: [fileNotice(message)], parsed: false, timings, fixesApplied: 0 };
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}` : String(error);
}

export function displayPath(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? filePath : relative).split(path.sep).join('/');
}

/** `git apply`-able diff of one file, paths as shown to the user. */
export function fileDiff(filePath: string, cwd: string, before: string, after: string): string {
  const shown = displayPath(filePath, cwd);
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: 3 });
}

export async function lintFile(filePath: string, settings: LintFileSettings): Promise<FileResult> {
  const absolute = path.resolve(settings.cwd, filePath);
  const timings = emptyTimings();
  const readStart = performance.now();
  let bytes: Buffer;
  try {
    // Synchronous on purpose: one file at a time, a thread-pool round trip per call costs more than the read.
    const stat = fs.statSync(absolute);
    if (stat.size > settings.maxFileSize) {
      return noticeResult(
        absolute,
        `File skipped: ${describeSize(stat.size)} is over the size limit (--max-file-size ${describeSize(settings.maxFileSize)}).`,
      );
    }
    bytes = fs.readFileSync(absolute);
  } catch (error) {
    return noticeResult(absolute, `File cannot be read (${reasonOf(error)}).`);
  }
  if (hasNulByte(bytes)) return noticeResult(absolute, 'File skipped: it looks binary (it contains NUL bytes).');
  // A BOM stays in the text (offsets include it), so a fix writes it back unchanged.
  const text = bytes.toString('utf8');
  timings.readMs = performance.now() - readStart;

  const language = languageOf(absolute);
  if (!language) return { filePath: absolute, messages: [], parsed: false, timings, fixesApplied: 0 };

  let config: FileConfig;
  try {
    config = resolverFor(settings).forFile(absolute);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      filePath: absolute,
      messages: [],
      parsed: false,
      timings,
      fixesApplied: 0,
      configErrors: error.problems.map(formatConfigProblem),
    };
  }

  const lintStart = performance.now();
  let judged;
  try {
    judged = await withinFileBudget(settings.budget, () => judgeText(text, absolute, language, config, settings));
  } catch (error) {
    if (!(error instanceof FileBudgetExceeded)) throw error;
    timings.lintMs = performance.now() - lintStart;
    return noticeResult(absolute, overBudget(error, 'File skipped'), timings);
  }
  timings.lintMs = performance.now() - lintStart;

  let finalText = text;
  let fixesApplied = 0;
  let diff: string | undefined;
  let fixNotice: string | undefined;
  // A cross-file fix is applied by the run after every file's own fixes.
  const fixable = judged.findings.some((finding) => finding.fix && !isCrossFileFix(finding.fix)) && judged.fatal.length === 0;
  // Only text that round-trips as UTF-8 is rewritten: a fix must not change an encoding.
  if (settings.fix !== 'off' && fixable && isLosslessUtf8(bytes)) {
    const fixStart = performance.now();
    const outcome = await withinFileBudget(settings.budget, () =>
      fixText(text, absolute, language, config, { ...settings, unsafe: settings.fix === 'unsafe' }),
    ).catch((error: unknown) => {
      if (!(error instanceof FileBudgetExceeded)) throw error;
      fixNotice = overBudget(error, 'Fixes not applied');
      return { text };
    });
    if (outcome.text !== text && 'applied' in outcome) {
      finalText = outcome.text;
      fixesApplied = outcome.applied.length;
      if (settings.dryRun) {
        diff = fileDiff(absolute, settings.cwd, text, finalText);
      } else {
        try {
          await writeFileAtomically(absolute, finalText);
        } catch (error) {
          fixNotice = `Fixes not written: the file cannot be written (${reasonOf(error)}).`;
          finalText = text;
          fixesApplied = 0;
        }
      }
      judged = await judgeText(finalText, absolute, language, config, settings);
    }
    timings.fixMs = performance.now() - fixStart;
  }

  return {
    filePath: absolute,
    messages: [...(fixNotice ? [fileNotice(fixNotice)] : []), ...judgedMessages(judged, finalText, language, settings)],
    parsed: judged.parsed,
    timings,
    fixesApplied,
    ...(diff ? { diff } : {}),
    ...(finalText !== text ? { fixChanges: textChanges(text, finalText) } : {}),
  };
}
