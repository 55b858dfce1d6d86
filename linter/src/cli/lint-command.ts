/**
 * `retrylint [paths...]`: find the files, lint them (in workers for large trees), fix
 * when asked, report, and decide the exit code.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigResolver } from '../config/file-config.js';
import { configIgnorePatterns } from '../config/ignore-patterns.js';
import { formatters, isFormatName, formatNames, type FormatName } from '../reporters/index.js';
import { exitCodeFor, EXIT_FAILURE } from './exit-code.js';
import { collectFiles } from './file-walk.js';
import { TOOL_VERSION } from './here.js';
import { IgnoreRules } from './ignore-rules.js';
import { DEFAULT_MAX_FILE_SECONDS, DEFAULT_MAX_FILE_SIZE, defaultMaxFileMemoryMb, lintFile, type FixMode, type LintFileSettings } from './lint-file.js';
import type { LintTask } from './lint-task.js';
import { fileNotice } from './messages.js';
import { createProgress } from './progress.js';
import { sumCounts, type FileResult } from './results.js';
import { readRuleDoc } from './rule-docs.js';
import { projectRequest, startProjectMode, stopProjectMode, type ProjectRun } from './project-mode.js';
import { parseRuleFlags } from './rule-flags.js';
import { formatStats } from './stats.js';
import { UsageError } from './usage-error.js';
import { defaultWorkerEntry, runPool } from './worker-pool.js';

export interface LintCommandOptions {
  readonly config?: string;
  readonly rule: readonly string[];
  readonly format: string;
  readonly outputFile?: string;
  readonly fix: boolean;
  readonly unsafeFixes: boolean;
  readonly fixDryRun: boolean;
  readonly maxWarnings?: string;
  readonly reportUnusedDisable: boolean;
  /** commander's `--no-ignore` sets this to false. */
  readonly ignore: boolean;
  readonly jobs?: string;
  readonly maxFileSize?: string;
  readonly maxFileTime?: string;
  readonly maxFileMemory?: string;
  readonly stats: boolean;
  readonly quiet: boolean;
  /** `--color` / `--no-color`; undefined: decide from the terminal and the environment. */
  readonly color?: boolean;
  readonly prefilter: boolean;
  /** `--project [tsconfig]`: true for each file's nearest tsconfig. */
  readonly project?: string | boolean;
}

export interface CommandIo {
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

function parsePositive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} expects a number > 0, got "${value}"`);
  return number;
}

function parseCount(value: string | undefined, flag: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) {
    throw new UsageError(`${flag} expects an integer >= ${minimum}, got "${value}"`);
  }
  return number;
}

/** FORCE_COLOR wins, then NO_COLOR, then whether stdout is a terminal. */
export function shouldColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

/** `--unsafe-fixes` widens `--fix` / `--fix-dry-run`; alone it changes nothing on disk. */
function fixModeOf(options: LintCommandOptions): FixMode {
  if (!options.fix && !options.fixDryRun) return 'off';
  return options.unsafeFixes ? 'unsafe' : 'safe';
}

function onlyErrors(result: FileResult): FileResult {
  return { ...result, messages: result.messages.filter((message) => message.severity === 2) };
}

async function writeReport(text: string, outputFile: string | undefined, io: CommandIo): Promise<void> {
  if (outputFile) {
    const target = path.resolve(io.cwd, outputFile);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  } else if (text) {
    io.stdout.write(text);
  }
}

export async function runLintCommand(givenPatterns: readonly string[], options: LintCommandOptions, io: CommandIo): Promise<number> {
  const started = performance.now();
  // `--project src/` reads as a path to lint after a bare `--project`: only a .json names a tsconfig.
  const projectTakesPath = typeof options.project === 'string' && !/\.json$/i.test(options.project);
  const patterns = projectTakesPath ? [options.project as string, ...givenPatterns] : givenPatterns;
  const projectFlag = projectTakesPath ? true : options.project;
  if (!isFormatName(options.format)) {
    throw new UsageError(`unknown --format "${options.format}" (one of: ${formatNames.join(', ')})`);
  }
  const format: FormatName = options.format;
  const maxWarnings = parseCount(options.maxWarnings, '--max-warnings', -1);
  const jobs = parseCount(options.jobs, '--jobs', 1) ?? 'auto';
  const maxFileSize = parseCount(options.maxFileSize, '--max-file-size', 1) ?? DEFAULT_MAX_FILE_SIZE;
  const budget = {
    maxMs: (parsePositive(options.maxFileTime, '--max-file-time') ?? DEFAULT_MAX_FILE_SECONDS) * 1000,
    maxHeapGrowthBytes: (parsePositive(options.maxFileMemory, '--max-file-memory') ?? defaultMaxFileMemoryMb()) * 1024 * 1024,
  };
  const ruleFlags = parseRuleFlags(options.rule);
  const configFile = options.config ? path.resolve(io.cwd, options.config) : undefined;
  if (configFile && !existsSync(configFile)) throw new UsageError(`--config: cannot find "${options.config}"`);

  const settings: LintFileSettings = {
    cwd: io.cwd,
    ...(configFile ? { configFile } : {}),
    ...(ruleFlags ? { ruleFlags } : {}),
    maxFileSize,
    budget,
    reportUnusedDisable: options.reportUnusedDisable,
    prefilter: options.prefilter,
    fix: fixModeOf(options),
    dryRun: options.fixDryRun,
  };

  const resolver = new ConfigResolver({ cwd: io.cwd, configFile, ruleFlags });
  // A broken --config stops the run before any file is read.
  if (configFile) resolver.sourcesOf(configFile);
  const ignoreRules = new IgnoreRules({
    cwd: io.cwd,
    useIgnoreFiles: options.ignore,
    configPatterns: configIgnorePatterns(resolver, configFile),
  });
  const walk = await collectFiles(patterns.length > 0 ? patterns : ['.'], io.cwd, ignoreRules);
  if (walk.unmatched.length > 0) {
    throw new UsageError(walk.unmatched.map((pattern) => `No files matching "${pattern}" were found.`).join('\n'));
  }
  const walkMs = performance.now() - started;

  const lintStarted = performance.now();
  const project = projectRequest(projectFlag, resolver, io.cwd);
  let projectRun: ProjectRun | undefined;
  if (project) {
    projectRun = await startProjectMode(project, walk.files.map((file) => file.filePath), { prefilter: options.prefilter, maxFileSize, cwd: io.cwd });
    for (const problem of projectRun.loadErrors) io.stderr.write(`retrylint: project mode: ${problem}; its files are linted per file.\n`);
  }
  const progress = createProgress(io.stderr, io.stderr.isTTY === true);
  const tasks: LintTask[] = walk.files.map((file) => ({ filePath: file.filePath, settings }));
  const run = await runPool<LintTask, FileResult>(tasks, {
    // Project mode holds its programs in this thread.
    jobs: project ? 1 : jobs,
    workerEntry: defaultWorkerEntry(),
    runInProcess: (task) => lintFile(task.filePath, task.settings),
    keyOf: (task) => task.filePath,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.clear();
  if (project) stopProjectMode();
  const failures = run.outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]));
  for (const failure of failures) io.stderr.write(`retrylint: internal error on ${failure.task.filePath}: ${failure.error}\n`);
  // A file that broke the linter (or its worker) is reported as such; the others' findings still are.
  let results = run.outcomes.map((outcome) => (outcome.ok ? outcome.result : failedFileResult(outcome.task.filePath, outcome.error)));
  const lintMs = performance.now() - lintStarted;

  const configErrors = [...new Set(results.flatMap((result) => result.configErrors ?? []))];
  if (configErrors.length > 0) {
    io.stderr.write(`${configErrors.join('\n')}\n`);
    return EXIT_FAILURE;
  }

  const reportStarted = performance.now();
  if (options.fixDryRun) {
    for (const result of results) if (result.diff) io.stdout.write(result.diff);
  }
  if (options.quiet) results = results.map(onlyErrors);
  const color = !options.outputFile && shouldColor(options.color, io.env, io.stdout.isTTY === true);
  const report = formatters[format](results, { cwd: io.cwd, color, toolVersion: TOOL_VERSION, ruleDoc: readRuleDoc });
  // A dry run's stdout is the diff alone; its report goes only to --output-file.
  if (!options.fixDryRun || options.outputFile) await writeReport(report, options.outputFile, io);
  const counts = sumCounts(results);
  if (maxWarnings !== undefined && maxWarnings >= 0 && counts.warningCount > maxWarnings && counts.errorCount === 0) {
    io.stderr.write(`retrylint found too many warnings (maximum: ${maxWarnings}).\n`);
  }
  if (options.fix || options.fixDryRun) {
    const fixed = results.reduce((sum, result) => sum + result.fixesApplied, 0);
    const files = results.filter((result) => result.fixesApplied > 0).length;
    if (fixed > 0) {
      const summary = `${fixed} ${fixed === 1 ? 'fix' : 'fixes'} in ${files} ${files === 1 ? 'file' : 'files'}`;
      io.stderr.write(`${options.fixDryRun ? 'Would apply' : 'Applied'} ${summary}.\n`);
    }
  }
  const reportMs = performance.now() - reportStarted;
  if (options.stats) {
    io.stderr.write(formatStats(results, { walkMs, lintMs, reportMs, totalMs: performance.now() - started }, run.workers));
    if (projectRun) {
      const programs = projectRun.sessions.loadedPrograms;
      io.stderr.write(
        `project: ${programs} ${programs === 1 ? 'program' : 'programs'}, ${projectRun.filesAdded} files added (and the project files they import), loaded in ${Math.round(projectRun.loadMs)} ms\n`,
      );
    }
  }
  return failures.length > 0 ? EXIT_FAILURE : exitCodeFor(counts, maxWarnings);
}

function failedFileResult(filePath: string, error: string): FileResult {
  return {
    filePath,
    messages: [{ ...fileNotice(`File not linted: internal error (${error}).`), severity: 2 }],
    parsed: false,
    timings: { readMs: 0, lintMs: 0, fixMs: 0 },
    fixesApplied: 0,
  };
}
