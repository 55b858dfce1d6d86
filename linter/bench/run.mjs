#!/usr/bin/env node
// `npm run bench`: the scaling curve (one generated file of N retry sites per run),
// retrylint against its peers on pinned corpora (ESLint and oxlint on TypeScript, pylint
// and Ruff on Python), and project mode against typed typescript-eslint on a multi-package
// repository, in one run; prints the results and writes them into docs/performance.md
// (only the sections this script owns).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBaseline } from './baseline.mjs';
import { ensurePylint, pythonCorpus, typescriptCorpus } from './corpus.mjs';
import { machineInfo, printSummary, scalingMarkdown, speedMarkdown, updateSections } from './report.mjs';
import { HUGE_PYTHON_FUNCTIONS, measureScaling, timeHugePythonFile } from './scaling.mjs';
import { machineSentence, runSimulatorBench, simulatorMarkdown, writeSimulatorSection } from './simulate.mjs';
import { runLspBenchmark } from './lsp-latency.mjs';
import { runProjectBench } from './project.mjs';
import { printProjectSummary, projectMarkdown } from './project-report.mjs';
import {
  eslintTool,
  findingKeys,
  installPeers,
  oxlintTool,
  pylintTool,
  retrylintStartTool,
  retrylintTool,
  ruffWasmTool,
  timeRun,
} from './tools.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '../..');
const log = (line) => process.stdout.write(`${line}\n`);
const BUILD_TIMEOUT_MS = 5 * 60_000;
const SUITES = ['scaling', 'speed', 'project', 'simulator', 'lsp'];
const USAGE = `usage: node linter/bench/run.mjs [--only ${SUITES.join('|')}] [--runs N] [--baseline GIT-REF] [--timeout SECONDS] [--cache DIR] [--lsp-edits N] [--no-write]`;

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    baseline: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    cache: { type: 'string' },
    'lsp-edits': { type: 'string', default: '40' },
    'no-write': { type: 'boolean', default: false },
  },
});
const runs = Number(flags.runs);
// The machine may be shared: the report says how busy it was when the run started.
const loadAtStart = os.loadavg()[0];
const timeoutMs = Number(flags.timeout) * 1000;
const lspEdits = Number(flags['lsp-edits']);
if (!Number.isInteger(runs) || runs < 1 || !(timeoutMs > 0) || !Number.isInteger(lspEdits) || lspEdits < 1 || (flags.only && !SUITES.includes(flags.only))) {
  console.error(USAGE);
  process.exit(2);
}
const cacheDir = path.resolve(flags.cache ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'retrylint-bench'));

/** The prefilter itself, bundled from its TypeScript source, to count the files it keeps. */
async function loadPrefilter() {
  const esbuild = createRequire(path.join(repoRoot, 'package.json'))('esbuild');
  const outfile = path.join(cacheDir, 'prefilter.mjs');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'linter/src/cli/prefilter.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'error',
  });
  return (await import(`${pathToFileURL(outfile).href}?${Date.now()}`)).mayContainRetryCode;
}

function sameKeys(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Finding keys with the corpus folder as the root, so runs from other folders compare. */
function corpusKeys(stdout, root) {
  return findingKeys(stdout).map((key) => path.relative(root, key));
}

function measure(comparison) {
  const { corpus, tools } = comparison;
  const target = path.basename(corpus.root);
  const cwd = path.dirname(corpus.root);
  log(`\n${comparison.title}: warming up ...`);
  const warmUps = tools.map((tool) => timeRun(tool, target, cwd, timeoutMs));
  comparison.runs = new Map(tools.map((tool) => [tool.name, []]));
  for (let round = 1; round <= runs; round++) {
    const times = tools.map((tool) => {
      const { ms, cpuMs, findings, stdout } = timeRun(tool, target, cwd, timeoutMs);
      comparison.runs.get(tool.name).push({ ms, cpuMs, findings, stdout: tool.retrylint ? stdout : undefined });
      return `${tool.name} ${(ms / 1000).toFixed(2)} s`;
    });
    log(`  run ${round}/${runs}: ${times.join(', ')}`);
  }
  comparison.findingsCheck = checkFindings(comparison, warmUps, target, cwd);
  // The fixed cost of every run (Node and the bundle, no file read), for the analysis.
  const startTool = retrylintStartTool(repoRoot);
  const startTimes = Array.from({ length: runs }, () => timeRun(startTool, '.', cwd, timeoutMs).ms).sort((a, b) => a - b);
  comparison.startupMs = startTimes[Math.floor(startTimes.length / 2)];
  // Where retrylint's time goes, in its own words.
  comparison.stats = timeRun(retrylintTool(repoRoot, { jobs: 1, stats: true }), target, cwd, timeoutMs).stderr.trim();
}

/**
 * The same findings whatever the speed-up: every retrylint variant of every round, a run
 * that parses every file (no prefilter), and, with --baseline, retrylint as it was.
 */
function checkFindings(comparison, warmUps, target, cwd) {
  const root = comparison.corpus.root;
  const reference = corpusKeys(warmUps[0].stdout, root);
  const variants = comparison.tools.filter((tool) => tool.retrylint);
  const allRunsAgree = variants.every((tool) => comparison.runs.get(tool.name).every((run) => sameKeys(corpusKeys(run.stdout, root), reference)));
  for (const tool of variants) for (const run of comparison.runs.get(tool.name)) delete run.stdout;
  const unfiltered = timeRun(retrylintTool(repoRoot, { jobs: 1, prefilter: false }), target, cwd, timeoutMs);
  const prefilterAgrees = sameKeys(corpusKeys(unfiltered.stdout, root), reference);
  let baseline;
  if (comparison.baselineTool) {
    const before = timeRun(comparison.baselineTool, target, cwd, timeoutMs);
    const keys = corpusKeys(before.stdout, root);
    const gained = reference.filter((key) => !keys.includes(key));
    const lost = keys.filter((key) => !reference.includes(key));
    baseline = { ref: comparison.baselineRef, findings: keys.length, identical: sameKeys(keys, reference), gained, lost, ms: before.ms };
  }
  const verdict = (ok) => (ok ? 'identical' : 'DIFFERENT');
  log(`  findings: ${reference.length}; all retrylint runs ${verdict(allRunsAgree)}; without the prefilter ${verdict(prefilterAgrees)}` +
    (baseline ? `; retrylint at ${baseline.ref} ${verdict(baseline.identical)} (${baseline.findings})` : ''));
  return { findings: reference.length, allRunsAgree, prefilterAgrees, unfilteredMs: unfiltered.ms, baseline };
}

/** The bundle the benchmark times must be the one the sources describe. */
function buildCli() {
  log('building the CLI (linter/build.mjs) ...');
  execFileSync(process.execPath, [path.join(repoRoot, 'linter/build.mjs')], { stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
}

function runScaling() {
  log('\nScaling: one generated file of N retry sites per run');
  const dir = path.join(cacheDir, 'scaling');
  const bin = path.join(repoRoot, 'linter', 'bin', 'retrylint.cjs');
  const rssPreload = path.join(benchDir, 'report-rss.cjs');
  const rows = measureScaling({ bin, dir, rssPreload, timeoutMs, log });
  log(`  python, ${HUGE_PYTHON_FUNCTIONS} functions in one file:`);
  const huge = timeHugePythonFile({ bin, dir, rssPreload, timeoutMs, log });
  return { rows, huge };
}

async function runSpeed() {
  const mayContainRetryCode = await loadPrefilter();
  const keptBy = (paths, language) => {
    const kept = paths.filter((file) => mayContainRetryCode(readFileSync(file, 'utf8'), language));
    return { kept: kept.length, keptBytes: kept.reduce((sum, file) => sum + statSync(file).size, 0) };
  };
  const peersDir = installPeers(cacheDir, log);
  let baselineTool;
  if (flags.baseline) {
    const { dir, commit } = buildBaseline(repoRoot, cacheDir, flags.baseline, log);
    baselineTool = retrylintTool(dir, { jobs: 1, label: `retrylint@${commit.slice(0, 7)}` });
  }
  const retrylintVariants = () =>
    [retrylintTool(repoRoot), retrylintTool(repoRoot, { jobs: 1 }), retrylintTool(repoRoot, { jobs: 2 })].map((tool) => ({ ...tool, retrylint: true }));

  const typescript = typescriptCorpus(cacheDir, log);
  const eslint = eslintTool(peersDir);
  const oxlint = oxlintTool(peersDir);
  const python = pythonCorpus(cacheDir, log);
  ensurePylint(log);
  const pylint = pylintTool();
  const ruff = ruffWasmTool(peersDir, benchDir);
  const comparison = (title, language, corpus, peer, anchor) => ({
    title,
    language,
    corpus: { ...corpus, ...keptBy(corpus.paths, language) },
    tools: [...retrylintVariants(), peer, anchor],
    baseline: peer,
    anchor,
    baselineTool,
    baselineRef: flags.baseline,
  });
  const comparisons = [
    comparison('TypeScript: retrylint vs ESLint and oxlint', 'typescript', typescript, eslint, oxlint),
    comparison('Python: retrylint vs pylint and Ruff', 'python', python, pylint, ruff),
  ];
  for (const each of comparisons) measure(each);
  printSummary(comparisons, log);
  return { comparisons, versions: [`retrylint ${comparisons[0].tools[0].version}`, eslint.version, oxlint.version, pylint.version, ruff.version], eslintSelectors: eslint.selectors };
}

function runProject() {
  const peersDir = installPeers(cacheDir, log);
  const results = runProjectBench({ repoRoot, benchDir, cacheDir, peersDir, runs, timeoutMs, log });
  printProjectSummary(results, log);
  return results;
}

const performanceDoc = path.join(repoRoot, 'docs', 'performance.md');
const suiteRuns = (suite) => flags.only === undefined || flags.only === suite;

/** The simulator's part: its own section of docs/performance.md. */
async function simulatorSuite() {
  // The timings need two runs at least: the first one, and the warm ones after it.
  const results = await runSimulatorBench({ repoRoot, cacheDir, runs: Math.max(runs, 2), log });
  if (!results.met) process.exitCode = 1;
  if (flags['no-write']) return;
  writeSimulatorSection(performanceDoc, simulatorMarkdown(results, machineSentence()));
  log('wrote the Simulator section of docs/performance.md');
}

const lspBenchmark = () => runLspBenchmark({ repoRoot, cacheDir, edits: lspEdits, log, docPath: flags['no-write'] ? undefined : performanceDoc });

async function main() {
  mkdirSync(cacheDir, { recursive: true });
  buildCli();
  await lintSuites();
  if (suiteRuns('simulator')) await simulatorSuite();
  if (suiteRuns('lsp')) await lspBenchmark();
}

async function lintSuites() {
  if (!suiteRuns('scaling') && !suiteRuns('speed') && !suiteRuns('project')) return;
  const results = {};
  if (suiteRuns('scaling')) results.scaling = runScaling();
  if (suiteRuns('speed')) results.speed = await runSpeed();
  if (suiteRuns('project')) {
    try {
      results.project = runProject();
    } catch (error) {
      // Asked for alone, the suite's failure is the run's; in a full run the other sections are still written.
      if (flags.only === 'project') throw error;
      log(`project suite skipped: ${error.message}`);
      process.exitCode = 1;
    }
  }

  const findingsChanged =
    results.speed?.comparisons.some(({ findingsCheck: check }) => !check.allRunsAgree || !check.prefilterAgrees || check.baseline?.identical === false) ||
    results.project?.findings.projectRunsAgree === false;
  if (findingsChanged) {
    log('the findings differ between runs, with and without the prefilter, or from the baseline: see above');
    process.exitCode = 1;
  }
  if (flags['no-write']) return;
  const context = { runs, machine: machineInfo(), date: new Date().toISOString().slice(0, 10), load: loadAtStart };
  const sections = {
    ...(results.scaling ? { scaling: scalingMarkdown(results.scaling, context) } : {}),
    ...(results.speed ? { speed: speedMarkdown(results.speed, context) } : {}),
    ...(results.project ? { project: projectMarkdown(results.project, context) } : {}),
  };
  writeFileSync(performanceDoc, updateSections(readFileSync(performanceDoc, 'utf8'), sections));
  log(`wrote ${Object.keys(sections).join(', ')} into docs/performance.md`);
}

main().catch((error) => {
  console.error(`benchmark failed: ${error.message}`);
  process.exitCode = 1;
});
