// The commands the benchmark times: retrylint (the built CLI) and its peers, each with a
// way to check that a run worked and to count what it found.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const OUTPUT_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * ESLint's closest match to what retrylint looks for: calls to retry and sleep helpers and
 * SDK client constructions, found by AST selectors on the typescript-eslint parser.
 */
const ESLINT_SELECTORS = [
  { selector: 'CallExpression[callee.name=/retry|sleep/i]', message: 'retry or sleep call' },
  { selector: 'CallExpression[callee.property.name=/retry|sleep/i]', message: 'retry or sleep method call' },
  { selector: 'NewExpression[callee.name=/^(OpenAI|Anthropic)$/]', message: 'SDK client' },
];

function packageJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function countEslintStyleMessages(stdout) {
  try {
    return JSON.parse(stdout).reduce((sum, file) => sum + file.messages.length, 0);
  } catch {
    return undefined;
  }
}

/** Every message of an ESLint-style JSON report as `file:line:column:rule`, sorted. */
export function findingKeys(stdout) {
  return JSON.parse(stdout)
    .flatMap((file) => file.messages.map((message) => `${file.filePath}:${message.line}:${message.column}:${message.ruleId}`))
    .sort();
}

export function retrylintTool(repoRoot, { jobs, prefilter = true, stats = false } = {}) {
  const manifest = packageJson(path.join(repoRoot, 'linter', 'package.json'));
  const bin = path.join(repoRoot, 'linter', manifest.bin.retrylint);
  if (!existsSync(bin)) throw new Error(`the retrylint CLI is not built (${path.relative(repoRoot, bin)}): run \`npm run build\` first`);
  const extraArgs = [
    ...(jobs === undefined ? [] : ['--jobs', String(jobs)]),
    ...(prefilter ? [] : ['--no-prefilter']),
    ...(stats ? ['--stats'] : []),
  ];
  return {
    name: ['retrylint', ...extraArgs].join(' '),
    version: manifest.version,
    command: (target) => [process.execPath, [bin, '--format', 'json', '--no-ignore', ...extraArgs, target]],
    // 0: clean, 1: findings; 2 is a usage, config or internal error.
    succeeded: (status) => status === 0 || status === 1,
    findings: countEslintStyleMessages,
  };
}

/** `retrylint --version`: the fixed cost of every run (Node start and loading the bundle). */
export function retrylintStartTool(repoRoot) {
  const lint = retrylintTool(repoRoot);
  const [node, [bin]] = lint.command('.');
  return { ...lint, name: 'retrylint --version', command: () => [node, [bin, '--version']], succeeded: (status) => status === 0, findings: () => 0 };
}

export function eslintTool(repoRoot, cacheDir) {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const manifestPath = require.resolve('eslint/package.json');
  const manifest = packageJson(manifestPath);
  const bin = path.join(path.dirname(manifestPath), manifest.bin.eslint);
  const parserVersion = packageJson(require.resolve('@typescript-eslint/parser/package.json')).version;
  const config = path.join(cacheDir, 'eslint.config.mjs');
  writeFileSync(
    config,
    [
      "import tsParser from '@typescript-eslint/parser';",
      '',
      'export default [',
      '  {',
      "    files: ['**/*.ts'],",
      '    languageOptions: { parser: tsParser },',
      `    rules: { 'no-restricted-syntax': ['warn', ...${JSON.stringify(ESLINT_SELECTORS)}] },`,
      '  },',
      '];',
      '',
    ].join('\n'),
  );
  return {
    name: 'ESLint + @typescript-eslint/parser',
    version: `eslint ${manifest.version}, @typescript-eslint/parser ${parserVersion}`,
    command: (target) => [process.execPath, [bin, '--config', config, '--format', 'json', target]],
    // Warnings only: anything but 0 means ESLint itself failed.
    succeeded: (status) => status === 0,
    findings: countEslintStyleMessages,
    selectors: ESLINT_SELECTORS.map((entry) => entry.selector),
  };
}

export function pylintTool() {
  const bin = '/usr/bin/pylint';
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 }).stdout?.split('\n')[0] ?? 'unknown';
  return {
    name: 'pylint missing-timeout',
    version,
    command: (target) => [bin, ['--disable=all', '--enable=missing-timeout', '--recursive=y', target]],
    // pylint's status is a bit mask: 1 fatal, 2 error, 32 usage error; 4 (a warning) is a finding.
    succeeded: (status) => status !== null && (status & (1 | 2 | 32)) === 0,
    findings: (stdout) => stdout.split('\n').filter((line) => line.includes('(missing-timeout)')).length,
  };
}

/** Runs a tool once on `target` (relative to `cwd`); wall-clock time includes process start. */
export function timeRun(tool, target, cwd, timeoutMs) {
  const [command, args] = tool.command(target);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: OUTPUT_LIMIT_BYTES });
  const ms = performance.now() - started;
  if (result.error) {
    const reason = result.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs} ms` : result.error.message;
    throw new Error(`${tool.name}: ${reason}`);
  }
  if (!tool.succeeded(result.status)) {
    throw new Error(`${tool.name} failed with exit code ${result.status}:\n${result.stderr.slice(0, 2000)}`);
  }
  return { ms, findings: tool.findings(result.stdout), stdout: result.stdout, stderr: result.stderr };
}
