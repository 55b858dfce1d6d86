// The project-mode section of docs/performance.md (`<!-- bench:project -->`) and its console
// summary, from the runs of linter/bench/project.mjs.
import { footer, median, summarise } from './report.mjs';

/** Project mode must beat typed typescript-eslint by this factor (median wall time). */
export const PROJECT_TARGET_SPEEDUP = 3;

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (value) => `${value.toFixed(1)}x`;

/** Findings project mode has and the per-file path has not (gained), and the other way round (lost). */
export function findingsDelta(projectKeys, perFileKeys) {
  return {
    gained: projectKeys.filter((key) => !perFileKeys.includes(key)),
    lost: perFileKeys.filter((key) => !projectKeys.includes(key)),
  };
}

/** Rows of the table (summarise's, against typed ESLint) with the median peak RSS added. */
export function projectRows({ tools, typed, runs }) {
  return summarise({ tools, baseline: typed, runs }).map((row) => {
    const rss = runs.get(row.tool).map((run) => run.rssMb).filter((value) => value !== undefined);
    return { ...row, rssMb: rss.length > 0 ? median(rss) : undefined };
  });
}

/** Project mode against typed ESLint (wall and CPU) and against the per-file path. */
export function projectVerdict(rows, { project, perFile, typed }, target = PROJECT_TARGET_SPEEDUP) {
  const row = (tool) => rows.find((each) => each.tool === tool.name);
  const [projectRow, perFileRow, typedRow] = [row(project), row(perFile), row(typed)];
  const speedup = typedRow.medianMs / projectRow.medianMs;
  const cpuSpeedup = projectRow.cpuMs && typedRow.cpuMs ? typedRow.cpuMs / projectRow.cpuMs : undefined;
  return {
    speedup,
    cpuSpeedup,
    met: speedup >= target,
    target,
    // How much project mode costs over the default path, and how far the default path is ahead.
    projectOverPerFile: projectRow.medianMs / perFileRow.medianMs,
    perFileSpeedup: typedRow.medianMs / perFileRow.medianMs,
  };
}

export function printProjectSummary(results, log) {
  const rows = projectRows(results);
  for (const row of rows) {
    log(`  ${row.tool.padEnd(50)} median ${seconds(row.medianMs).padStart(8)}  CPU ${row.cpuMs === undefined ? '?' : seconds(row.cpuMs)}  findings ${String(row.findings ?? '?').padStart(4)}  ${row.speedup === undefined ? 'baseline' : `${ratio(row.speedup)} faster`}`);
  }
  const verdict = projectVerdict(rows, results);
  log(`  target: project mode >= ${verdict.target}x faster than typed typescript-eslint: ${verdict.met ? 'met' : 'NOT met'} (${ratio(verdict.speedup)})`);
}

function findingsLines({ findings, typed }, rows) {
  const typedFindings = rows.find((row) => row.tool === typed.name).findings;
  const list = (keys) => keys.map((key) => `\`${key}\``).join(', ');
  return [
    `- Findings: project mode ${findings.project}, per file ${findings.perFile}` +
      (findings.gained.length + findings.lost.length === 0
        ? ' (the same ones: file, line, column, rule)'
        : `; only in project mode: ${findings.gained.length > 0 ? list(findings.gained) : 'none'}; only per file: ${findings.lost.length > 0 ? list(findings.lost) : 'none'}`) +
      `. Every timed project-mode run reported ${findings.projectRunsAgree ? 'the same' : '**different**'} findings. ` +
      `typescript-eslint's \`${typed.rule}\` reported ${typedFindings ?? '?'} (it looks for something else: the count shows the rule ran with types).`,
  ];
}

function profileLines(profile) {
  const share = (ms) => `${((100 * ms) / profile.totalMs).toFixed(0)}%`;
  return [
    `Where project mode's time goes (\`node --cpu-prof\` on the same command, one more run, ${seconds(profile.totalMs)} of samples):`,
    '',
    '| phase | time | share |',
    '|---|---|---|',
    ...profile.phases.filter((phase) => phase.ms > 0).map((phase) => `| ${phase.name} | ${seconds(phase.ms)} | ${share(phase.ms)} |`),
  ];
}

export function projectMarkdown(results, context) {
  const { corpus, project, perFile, typed } = results;
  const rows = projectRows(results);
  const verdict = projectVerdict(rows, results);
  const cpu = verdict.cpuSpeedup === undefined ? '' : `; in CPU time ${ratio(verdict.cpuSpeedup)}`;
  const mb = (value) => (value === undefined ? '?' : `${value.toFixed(0)} MB`);
  const versions = [`retrylint ${project.version}`, typed.version];
  return [
    '## Project mode against typed typescript-eslint',
    '',
    `${corpus.name}: ${corpus.files} TypeScript files, ${(corpus.bytes / 1024).toFixed(0)} KB, ${corpus.tsconfigs} tsconfigs (one per package).`,
    '',
    '| tool | median | min – max | CPU (median) | peak RSS | findings | speed-up |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.tool} | ${seconds(row.medianMs)} | ${seconds(row.minMs)} – ${seconds(row.maxMs)} | ${row.cpuMs === undefined ? '?' : seconds(row.cpuMs)} | ${mb(row.rssMb)} | ${row.findings ?? '?'} | ${
          row.speedup === undefined ? 'baseline' : `**${ratio(row.speedup)}**`
        } |`,
    ),
    '',
    `- Project mode is **${ratio(verdict.speedup)}** faster than typed typescript-eslint (median wall time, target >= ${verdict.target}x: ${verdict.met ? 'met' : '**not met**'})${cpu}.`,
    `- The per-file path (the default, no program) is ${ratio(verdict.perFileSpeedup)} faster than typed typescript-eslint; project mode takes ${ratio(verdict.projectOverPerFile)} its time.`,
    ...findingsLines(results, rows),
    `- The program is loaded lazily: ts-morph (and the TypeScript it carries, ${seconds(results.tsMorphLoadMs)} to load in a fresh Node) is required only when project mode adds the first file to a program; the per-file path never loads it.`,
    '',
    "Project mode's own account (`--stats`, one more run):",
    '',
    '```',
    results.stats,
    '```',
    '',
    ...profileLines(results.profile),
    '',
    ...footer(context, versions),
    '',
    '### Method',
    '',
    `- **Corpus**: ${corpus.repository.url} at commit \`${corpus.repository.commit}\`, fetched with \`git fetch --depth 1\` into the cache`,
    '  (`git/`), then cut down to each package\'s `tsconfig.json` and the TypeScript its `include` covers (`corpus/project/`),',
    '  so that a round of the three tools takes about a minute (the whole repository, with the VS Code extension, the GUI',
    '  and the CLI, has about 1,750 TypeScript files and several tsconfigs per package):',
    `  ${corpus.repository.packages.map((pkg) => `\`${pkg.dir}\` (${pkg.sources.map((folder) => (folder === '.' ? 'all' : `${folder}/`)).join(', ')}${pkg.skip ? `, without ${pkg.skip.map((folder) => `${folder}/`).join(', ')}` : ''})`).join(', ')}.`,
    '  No `node_modules` is installed: imports of npm packages (and of the workspace packages by their npm names) are',
    '  unresolved for every tool alike. Declaration files are not linted (ESLint ignores `**/*.d.ts`, as retrylint does).',
    `- **retrylint, project mode**: \`${project.name} --format json --no-ignore <corpus>\`: each file's nearest tsconfig, one ts-morph`,
    '  program per tsconfig, built once with the files that pass the prefilter and the project files they import (no lib files,',
    '  no packages), in one thread; every rule of the recommended config.',
    `- **retrylint, per file**: \`${perFile.name} --format json --no-ignore <corpus>\` (the default path, one relative import hop).`,
    `- **typescript-eslint, typed**: ESLint with \`@typescript-eslint/parser\`, \`parserOptions: { projectService: true, tsconfigRootDir: <corpus> }\``,
    `  and one rule that needs the type checker, \`${typed.rule}\` (from \`@typescript-eslint/eslint-plugin\`). The run fails if any file`,
    '  lacks a program (a fatal parser message), so every file is linted with types.',
    '- Wall-clock time of the whole command, process start included; the tools alternate (one run of each per round).',
    '  "CPU" is user + system time from the kernel\'s account of finished children; "peak RSS" comes from a preload',
    '  (`linter/bench/report-rss.cjs`) that reads `process.resourceUsage().maxRSS` at exit.',
    '- The phases of the profile: a sample counts for the first phase found on its stack, in the order of the table',
    '  (module resolution inside the program build counts as module resolution; `linter/bench/cpu-profile.mjs`).',
    '',
    'Reproduce: `npm run bench -- --only project`. The corpus and the peers are fetched into the cache on the first run; without',
    `network access, put a checkout of that commit at \`<cache>/git/${corpus.repository.name}-${corpus.repository.commit}\` (the benchmark prints the git commands).`,
  ].join('\n');
}
