#!/usr/bin/env node
// `npm run eval`: lints pinned versions of real packages that hold retry code and scores the
// findings against manifests labelled by reading the code (eval/manifests/<language>.json).
// It downloads, so it is not part of `npm test`; see docs/accuracy.md for the method.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultCacheDir, packageRoot } from './fetch.mjs';
import { readManifest } from './manifest.mjs';
import { score, tally } from './score.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const cli = path.join(repoRoot, 'linter/bin/retrylint.cjs');
const LANGUAGES = ['typescript', 'python'];
const SOURCE_EXTENSIONS = {
  typescript: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  python: ['.py'],
};
const FILES_PER_RUN = 400;
const LINT_TIMEOUT_MS = 10 * 60_000;

const { values: flags } = parseArgs({
  options: {
    language: { type: 'string' },
    package: { type: 'string' },
    list: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    cache: { type: 'string' },
    project: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(`usage: npm run eval -- [--language typescript|python] [--package ID] [--list] [--write] [--project] [--cache DIR]
  --list     print every finding (true positive, false positive, unreviewed) and every miss
  --write    write docs/accuracy.md from the results
  --project  lint TypeScript in project mode (each file with its nearest tsconfig's program)
  --cache    where fetched packages are kept (default: ${defaultCacheDir()})
`);
  process.exit(0);
}
if (flags.language && !LANGUAGES.includes(flags.language)) fail(`--language must be one of ${LANGUAGES.join(', ')}`);
if (!existsSync(cli)) fail('the CLI is not built: run `npm run build` first');

const log = (line = '') => process.stdout.write(`${line}\n`);
function fail(message) {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}

/** Source files under `root` for one language, skipping installed dependencies and type stubs. */
function sourceFiles(root, language) {
  const extensions = SOURCE_EXTENSIONS[language];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => !entry.split(path.sep).includes('node_modules'))
    .filter((entry) => extensions.some((extension) => entry.endsWith(extension)) && !/\.d\.[cm]?ts$/.test(entry))
    .sort();
}

/**
 * Files are passed one by one: the CLI always lints named files, while a folder walk would
 * leave out `dist/` and `build/`, where many npm packages keep their code.
 */
function lintPackage(root, language, configFile) {
  const files = sourceFiles(root, language);
  const findings = [];
  for (let start = 0; start < files.length; start += FILES_PER_RUN) {
    const batch = files.slice(start, start + FILES_PER_RUN);
    let output;
    try {
      const mode = flags.project && language === 'typescript' ? ['--project'] : [];
      output = execFileSync(process.execPath, [cli, '--format', 'json', '--no-ignore', ...mode, '--config', configFile, ...batch], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: LINT_TIMEOUT_MS,
      });
    } catch (error) {
      // Exit code 1 means findings; anything else is a failed run.
      if (error.status !== 1) throw new Error(`retrylint failed in ${root}: ${error.stderr || error.message}`);
      output = error.stdout;
    }
    for (const result of JSON.parse(output)) {
      const file = path.relative(root, result.filePath).split(path.sep).join('/');
      for (const message of result.messages) {
        if (!message.ruleId) continue; // parse errors and skipped files are not findings
        findings.push({ file, line: message.line, rule: message.ruleId, message: message.message });
      }
    }
  }
  return { files: files.length, findings };
}

function percent(value) {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

function tableLines(rows) {
  const lines = ['| rule | TP | FP | FN | precision | recall |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const row of rows) {
    const name = row.rule === 'all rules' ? '**all rules**' : `\`${row.rule}\``;
    lines.push(`| ${name} | ${row.tp} | ${row.fp} | ${row.fn} | ${percent(row.precision)} | ${percent(row.recall)} |`);
  }
  return lines;
}

function describe(finding) {
  const where = finding.line ?? finding.lines?.join('-');
  return `${finding.package} ${finding.file}:${where} ${finding.rule}: ${finding.message ?? finding.note ?? ''}`;
}

const cacheDir = path.resolve(flags.cache ?? defaultCacheDir());
mkdirSync(cacheDir, { recursive: true });
// The recommended preset, whatever config a package ships.
const configFile = path.join(cacheDir, 'retrylint.config.json');
writeFileSync(configFile, JSON.stringify({ extends: 'retrylint:recommended' }, null, 2));

const report = [];
for (const language of flags.language ? [flags.language] : LANGUAGES) {
  const manifestFile = path.join(here, 'manifests', `${language}.json`);
  if (!existsSync(manifestFile)) {
    log(`${language}: no manifest (eval/manifests/${language}.json), skipped`);
    continue;
  }
  const manifest = readManifest(manifestFile);
  const packages = manifest.packages.filter((pkg) => !flags.package || pkg.id === flags.package);
  if (flags.package && packages.length === 0) fail(`no package "${flags.package}" in eval/manifests/${language}.json`);
  const findings = [];
  let fileCount = 0;
  for (const [index, pkg] of packages.entries()) {
    process.stderr.write(`${language}: [${index + 1}/${packages.length}] ${pkg.id}\n`);
    const root = packageRoot(pkg, cacheDir);
    const linted = lintPackage(root, language, configFile);
    fileCount += linted.files;
    for (const finding of linted.findings) findings.push({ ...finding, package: pkg.id });
  }
  const scoped = {
    ...manifest,
    expected: manifest.expected.filter((entry) => packages.some((pkg) => pkg.id === entry.package)),
    silent: manifest.silent.filter((entry) => packages.some((pkg) => pkg.id === entry.package)),
  };
  const result = score(scoped, findings);
  const rows = tally(result);
  const reviewedFiles = new Set([...scoped.expected, ...scoped.silent].map((entry) => `${entry.package}\0${entry.file}`)).size;
  report.push({ language, packages: packages.length, files: fileCount, reviewedFiles, rows, result });

  log(`\n${language}: ${packages.length} packages, ${fileCount} files linted, ${reviewedFiles} reviewed`);
  for (const line of tableLines(rows)) log(line);
  log(`unreviewed findings (in files nobody labelled): ${result.unreviewed.length}`);
  if (flags.list) {
    for (const { finding } of result.truePositives) log(`  TP ${describe(finding)}`);
    for (const finding of result.falsePositives) log(`  FP ${describe(finding)}`);
    for (const entry of result.falseNegatives) log(`  FN ${describe(entry)}`);
    for (const finding of result.unreviewed) log(`  ?? ${describe(finding)}`);
  }
}

if (flags.write) {
  if (flags.package || flags.language || flags.project) fail('--write needs the whole evaluation, per file (no --package, --language or --project)');
  const lines = [
    '# Accuracy on real code',
    '',
    'Measured by `npm run eval` (run `npm run build` first): it fetches pinned versions of real',
    'packages and applications that hold retry code (`npm pack`, `apt-get download` for Debian\'s',
    'Python packages, or a shallow `git fetch` of an application\'s repository at a pinned commit)',
    'into a cache outside the repository, lints them with the recommended config, and scores the',
    'findings against `eval/manifests/<language>.json`. Each expected finding there was labelled by',
    'reading the code against the rule docs, never from the linter\'s output; a file listed as',
    '`silent` was read in full and holds nothing a reviewer would flag.',
    '',
    '- TP: a finding that matches a labelled problem (same rule and file, within two lines).',
    '- FP: a finding in a reviewed file that matches no labelled problem.',
    '- FN: a labelled problem with no finding.',
    '- Findings in files nobody reviewed are not scored (counted below as unreviewed).',
    '',
  ];
  for (const entry of report) {
    lines.push(`## ${entry.language === 'python' ? 'Python' : 'TypeScript / JavaScript'}`, '');
    lines.push(`${entry.packages} packages, ${entry.files} files linted, ${entry.reviewedFiles} files reviewed, ${entry.result.unreviewed.length} unreviewed findings.`, '');
    lines.push(...tableLines(entry.rows), '');
  }
  writeFileSync(path.join(repoRoot, 'docs/accuracy.md'), `${lines.join('\n')}`);
  log('\nwrote docs/accuracy.md');
}
