// `npm run bench -- --only project`: retrylint's project mode, its per-file path and
// typescript-eslint's typed linting (projectService, one typed rule) on one real
// multi-package repository, alternating, with their findings, peak memory, and a CPU profile
// of project mode split into its phases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { profileBreakdown } from './cpu-profile.mjs';
import { projectCorpus } from './project-corpus.mjs';
import { findingsDelta } from './project-report.mjs';
import { findingKeys, retrylintTool, timeRun, typedEslintTool } from './tools.mjs';

/** The same tool with node flags before its script (every tool here is a Node program). */
function withNodeFlags(tool, flags, env) {
  return {
    ...tool,
    env,
    command: (target) => {
      const [node, args] = tool.command(target);
      return [node, [...flags, ...args]];
    },
  };
}

/** A run that also reports the process's peak resident set (the preload writes it at exit). */
function timeWithRss(tool, target, cwd, timeoutMs, rssPreload, rssFile) {
  rmSync(rssFile, { force: true });
  const run = timeRun(withNodeFlags(tool, ['--require', rssPreload], { RETRYLINT_BENCH_RSS_FILE: rssFile }), target, cwd, timeoutMs);
  let rssMb;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    rssMb = undefined;
  }
  return { ...run, rssMb };
}

/** Finding keys relative to the corpus root. */
function keysOf(stdout, root) {
  return findingKeys(stdout).map((key) => path.relative(root, key));
}

/** Milliseconds to load ts-morph (and the TypeScript it carries) in a fresh Node, over an empty one. */
function tsMorphLoadMs(repoRoot, timeoutMs) {
  const time = (script) => {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, timeout: timeoutMs });
    return performance.now() - started;
  };
  const samples = Array.from({ length: 3 }, () => time("require('ts-morph')") - time(''));
  return samples.sort((a, b) => a - b)[1];
}

function profileProjectMode(tool, target, cwd, dir, timeoutMs) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  timeRun(withNodeFlags(tool, ['--cpu-prof', '--cpu-prof-dir', dir]), target, cwd, timeoutMs);
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  return profileBreakdown(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
}

export function runProjectBench({ repoRoot, benchDir, cacheDir, peersDir, runs, timeoutMs, log }) {
  const corpus = projectCorpus(cacheDir, log);
  const project = retrylintTool(repoRoot, { project: true });
  const perFile = retrylintTool(repoRoot);
  const typed = typedEslintTool(peersDir, corpus.root);
  const tools = [project, perFile, typed];
  const target = path.basename(corpus.root);
  const cwd = path.dirname(corpus.root);
  const rssPreload = path.join(benchDir, 'report-rss.cjs');
  const rssFile = path.join(cacheDir, 'project-rss.txt');
  const timed = (tool) => timeWithRss(tool, target, cwd, timeoutMs, rssPreload, rssFile);

  log(`\nProject mode vs typed typescript-eslint: ${corpus.files} files (${corpus.name})`);
  log('  warming up ...');
  const [projectWarm, perFileWarm, typedWarm] = tools.map(timed);
  const fatal = typed.fatalMessages(typedWarm.stdout);
  if (fatal.length > 0) throw new Error(`typed ESLint could not give every file a program (${fatal.length} files), e.g.:\n${fatal.slice(0, 5).join('\n')}`);
  const projectKeys = keysOf(projectWarm.stdout, corpus.root);
  const perFileKeys = keysOf(perFileWarm.stdout, corpus.root);

  const runsByTool = new Map(tools.map((tool) => [tool.name, []]));
  let projectRunsAgree = true;
  for (let round = 1; round <= runs; round++) {
    const times = tools.map((tool) => {
      const { ms, cpuMs, findings, stdout, rssMb } = timed(tool);
      runsByTool.get(tool.name).push({ ms, cpuMs, findings, rssMb });
      if (tool === project && JSON.stringify(keysOf(stdout, corpus.root)) !== JSON.stringify(projectKeys)) projectRunsAgree = false;
      return `${tool.name} ${(ms / 1000).toFixed(2)} s`;
    });
    log(`  run ${round}/${runs}: ${times.join(', ')}`);
  }
  log('  project mode: --stats and a CPU profile ...');
  const stats = timeRun(retrylintTool(repoRoot, { project: true, stats: true }), target, cwd, timeoutMs).stderr.trim();
  const profile = profileProjectMode(project, target, cwd, path.join(cacheDir, 'profiles', 'project'), timeoutMs);
  return {
    corpus,
    tools,
    project,
    perFile,
    typed,
    runs: runsByTool,
    findings: { project: projectKeys.length, perFile: perFileKeys.length, projectRunsAgree, ...findingsDelta(projectKeys, perFileKeys) },
    stats,
    profile,
    tsMorphLoadMs: tsMorphLoadMs(repoRoot, timeoutMs),
  };
}
