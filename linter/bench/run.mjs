#!/usr/bin/env node
// `npm run bench`: times retrylint against ESLint (TypeScript) and pylint (Python) on
// corpora it builds itself, prints the medians and writes docs/performance.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pythonCorpus, typescriptCorpus } from './corpus.mjs';
import { machineInfo, performanceMarkdown, printSummary, targetMet, TARGET_SPEEDUP } from './report.mjs';
import { eslintTool, findingKeys, pylintTool, retrylintStartTool, retrylintTool, timeRun } from './tools.mjs';
import { runLspBenchmark } from './lsp-latency.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = path.join(repoRoot, '.bench');
const log = (line) => process.stdout.write(`${line}\n`);
const BUILD_TIMEOUT_MS = 5 * 60_000;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '600' },
    'no-write': { type: 'boolean', default: false },
    // `--only lsp`: just the language server latency (its section of docs/performance.md).
    only: { type: 'string' },
    'lsp-edits': { type: 'string', default: '40' },
  },
});
const runs = Number(flags.runs);
const timeoutMs = Number(flags.timeout) * 1000;
const lspEdits = Number(flags['lsp-edits']);
if (!Number.isInteger(runs) || runs < 1 || !(timeoutMs > 0) || !Number.isInteger(lspEdits) || lspEdits < 1 || ![undefined, 'lsp'].includes(flags.only)) {
  console.error('usage: node linter/bench/run.mjs [--runs N] [--timeout SECONDS] [--no-write] [--only lsp] [--lsp-edits N]');
  process.exit(2);
}

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

function measure(comparison) {
  const { corpus, tools } = comparison;
  const target = path.basename(corpus.root);
  const cwd = path.dirname(corpus.root);
  log(`\n${comparison.title}: warming up ...`);
  const warmUps = tools.map((tool) => timeRun(tool, target, cwd, timeoutMs));
  comparison.runs = new Map(tools.map((tool) => [tool.name, []]));
  for (let round = 1; round <= runs; round++) {
    const times = tools.map((tool) => {
      const { ms, findings } = timeRun(tool, target, cwd, timeoutMs);
      const run = { ms, findings };
      comparison.runs.get(tool.name).push(run);
      return `${tool.name} ${(run.ms / 1000).toFixed(2)} s`;
    });
    log(`  run ${round}/${runs}: ${times.join(', ')}`);
  }
  comparison.prefilterCheck = checkPrefilter(warmUps[0].stdout, target, cwd);
  // The fixed cost of every run (Node and the bundle, no file read), for the analysis.
  const startTool = retrylintStartTool(repoRoot);
  const startTimes = Array.from({ length: runs }, () => timeRun(startTool, '.', cwd, timeoutMs).ms).sort((a, b) => a - b);
  comparison.startupMs = startTimes[Math.floor(startTimes.length / 2)];
  // Where retrylint's time goes, in its own words.
  comparison.stats = timeRun(retrylintTool(repoRoot, { jobs: 1, stats: true }), target, cwd, timeoutMs).stderr.trim();
}

/** The prefilter must not change what is found: one run that parses every file, compared. */
function checkPrefilter(prefilteredStdout, target, cwd) {
  const unfiltered = timeRun(retrylintTool(repoRoot, { jobs: 1, prefilter: false }), target, cwd, timeoutMs);
  const withPrefilter = findingKeys(prefilteredStdout);
  const withoutPrefilter = findingKeys(unfiltered.stdout);
  const identical = JSON.stringify(withPrefilter) === JSON.stringify(withoutPrefilter);
  log(`  prefilter check: ${withPrefilter.length} findings with it, ${withoutPrefilter.length} without (${identical ? 'identical' : 'DIFFERENT'})`);
  return { identical, findings: withPrefilter.length, unfilteredMs: unfiltered.ms };
}

/** The bundle the benchmark times must be the one the sources describe. */
function buildCli() {
  log('building the CLI (linter/build.mjs) ...');
  execFileSync(process.execPath, [path.join(repoRoot, 'linter/build.mjs')], { stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
}

const lspBenchmark = () =>
  runLspBenchmark({ repoRoot, cacheDir, edits: lspEdits, log, docPath: flags['no-write'] ? undefined : path.join(repoRoot, 'docs', 'performance.md') });

async function main() {
  mkdirSync(cacheDir, { recursive: true });
  buildCli();
  if (flags.only === 'lsp') return lspBenchmark();
  const mayContainRetryCode = await loadPrefilter();
  const keptBy = (paths, language) => {
    const kept = paths.filter((file) => mayContainRetryCode(readFileSync(file, 'utf8'), language));
    return { kept: kept.length, keptBytes: kept.reduce((sum, file) => sum + statSync(file).size, 0) };
  };

  const comparisons = [];
  const typescript = typescriptCorpus(cacheDir, log);
  const eslint = eslintTool(repoRoot, cacheDir);
  comparisons.push({
    title: 'TypeScript: retrylint vs ESLint',
    language: 'typescript',
    corpus: { ...typescript, ...keptBy(typescript.paths, 'typescript') },
    tools: [retrylintTool(repoRoot), retrylintTool(repoRoot, { jobs: 1 }), retrylintTool(repoRoot, { jobs: 2 }), eslint],
    baseline: eslint,
  });

  let skipped;
  try {
    const python = pythonCorpus(cacheDir, log);
    const pylint = pylintTool();
    comparisons.push({
      title: 'Python: retrylint vs pylint',
      language: 'python',
      corpus: { ...python, ...keptBy(python.paths, 'python') },
      tools: [retrylintTool(repoRoot), retrylintTool(repoRoot, { jobs: 1 }), retrylintTool(repoRoot, { jobs: 2 }), pylint],
      baseline: pylint,
    });
  } catch (error) {
    skipped = error.message;
    log(`\nPython comparison skipped: ${skipped}`);
  }

  for (const comparison of comparisons) measure(comparison);
  printSummary(comparisons, log);
  const prefilterBroken = comparisons.some((comparison) => !comparison.prefilterCheck.identical);

  const met = targetMet(comparisons[0]);
  log(`\ntarget (retrylint at least ${TARGET_SPEEDUP}x faster than ESLint on TypeScript): ${met ? 'met' : 'NOT met'}`);
  for (const tool of [eslint, ...(comparisons[1] ? [comparisons[1].baseline] : [])]) log(`${tool.name}: ${tool.version}`);

  if (prefilterBroken) {
    log('the prefilter changed the findings: it dropped a file a rule flags (see linter/src/cli/prefilter.ts)');
    process.exitCode = 1;
  }
  if (flags['no-write']) return lspBenchmark();
  if (skipped) {
    log('docs/performance.md not updated: the run is incomplete.');
    return lspBenchmark();
  }
  const markdown = performanceMarkdown({
    comparisons,
    runs,
    machine: machineInfo(),
    date: new Date().toISOString().slice(0, 10),
    eslintSelectors: eslint.selectors,
    versions: [`retrylint ${comparisons[0].tools[0].version}`, eslint.version, comparisons[1].baseline.version],
  });
  writeFileSync(path.join(repoRoot, 'docs', 'performance.md'), markdown);
  log('wrote docs/performance.md');
  // After the page is written: the language server adds its own section to it.
  await lspBenchmark();
}

main().catch((error) => {
  console.error(`benchmark failed: ${error.message}`);
  process.exitCode = 1;
});
