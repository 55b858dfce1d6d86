// The commands the benchmark times: retrylint (the built CLI) and its peers, each with a
// way to check that a run worked and to count what it found.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

function countEslintStyleMessages(stdout, ruleId) {
  try {
    return JSON.parse(stdout).reduce((sum, file) => sum + file.messages.filter((message) => !ruleId || message.ruleId === ruleId).length, 0);
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

export function retrylintTool(repoRoot, { jobs, prefilter = true, stats = false, label, project = false } = {}) {
  const manifest = packageJson(path.join(repoRoot, 'linter', 'package.json'));
  const bin = path.join(repoRoot, 'linter', manifest.bin.retrylint);
  if (!existsSync(bin)) throw new Error(`the retrylint CLI is not built (${path.relative(repoRoot, bin)}): run \`npm run build\` first`);
  // `--project [tsconfig]` first, where its optional value cannot swallow another flag's.
  const leadingArgs = project ? ['--project'] : [];
  const extraArgs = [
    ...(jobs === undefined ? [] : ['--jobs', String(jobs)]),
    ...(prefilter ? [] : ['--no-prefilter']),
    ...(stats ? ['--stats'] : []),
  ];
  return {
    name: [label ?? 'retrylint', ...leadingArgs, ...extraArgs].join(' '),
    version: manifest.version,
    command: (target) => [process.execPath, [bin, ...leadingArgs, '--format', 'json', '--no-ignore', ...extraArgs, target]],
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

/** The peers, pinned, installed once into the cache (never into the repository's node_modules). */
export const PEER_PACKAGES = {
  eslint: '10.16.0',
  '@typescript-eslint/parser': '8.74.0',
  '@typescript-eslint/eslint-plugin': '8.74.0',
  // typescript-eslint's peer, pinned: typed linting's cost is this TypeScript's program and checker.
  typescript: '6.0.3',
  oxlint: '1.95.0',
  '@astral-sh/ruff-wasm-nodejs': '0.17.4',
};

export function installPeers(cacheDir, log) {
  const prefix = path.join(cacheDir, 'peers');
  const installed = Object.entries(PEER_PACKAGES).every(([name, version]) => {
    const manifest = path.join(prefix, 'node_modules', name, 'package.json');
    return existsSync(manifest) && packageJson(manifest).version === version;
  });
  if (!installed) {
    log(`installing ${Object.keys(PEER_PACKAGES).join(', ')} into ${prefix} ...`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
    const specs = Object.entries(PEER_PACKAGES).map(([name, version]) => `${name}@${version}`);
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...specs], { cwd: prefix, encoding: 'utf8', timeout: 15 * 60_000 });
    if (result.status !== 0) throw new Error(`npm install of the peers failed:\n${result.stderr}`);
  }
  return prefix;
}

export function eslintTool(peersDir) {
  const modules = path.join(peersDir, 'node_modules');
  const manifest = packageJson(path.join(modules, 'eslint', 'package.json'));
  const bin = path.join(modules, 'eslint', manifest.bin.eslint);
  const parserVersion = packageJson(path.join(modules, '@typescript-eslint', 'parser', 'package.json')).version;
  // Next to the peers' node_modules, so the parser resolves from there.
  const config = path.join(peersDir, 'eslint.config.mjs');
  writeFileSync(
    config,
    [
      "import tsParser from '@typescript-eslint/parser';",
      '',
      'export default [',
      '  {',
      "    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],",
      '    languageOptions: { parser: tsParser },',
      // The corpora's own eslint-disable comments name plugins that are not installed here.
      '    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },',
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
    // Only the rule's reports (noInlineConfig adds a notice per ignored directive).
    findings: (stdout) => countEslintStyleMessages(stdout, 'no-restricted-syntax'),
    selectors: ESLINT_SELECTORS.map((entry) => entry.selector),
  };
}

/** The typed rule of the project comparison: it needs the program's types to decide. */
export const TYPED_ESLINT_RULE = '@typescript-eslint/no-floating-promises';

/**
 * Typed linting as typescript-eslint recommends it: `parserOptions.projectService` (each
 * file's nearest tsconfig, one program per tsconfig, the type checker behind the rule) and one
 * rule that needs type information.
 */
export function typedEslintTool(peersDir, corpusRoot) {
  const modules = path.join(peersDir, 'node_modules');
  const manifest = packageJson(path.join(modules, 'eslint', 'package.json'));
  const bin = path.join(modules, 'eslint', manifest.bin.eslint);
  const version = (name) => packageJson(path.join(modules, ...name.split('/'), 'package.json')).version;
  const config = path.join(peersDir, 'eslint-typed.config.mjs');
  writeFileSync(
    config,
    [
      "import tsParser from '@typescript-eslint/parser';",
      "import tsPlugin from '@typescript-eslint/eslint-plugin';",
      '',
      'export default [',
      // retrylint does not lint declaration files either.
      "  { ignores: ['**/*.d.ts'] },",
      '  {',
      "    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],",
      `    languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(corpusRoot)} } },`,
      "    plugins: { '@typescript-eslint': tsPlugin },",
      '    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },',
      `    rules: { '${TYPED_ESLINT_RULE}': 'warn' },`,
      '  },',
      '];',
      '',
    ].join('\n'),
  );
  return {
    name: `ESLint + typescript-eslint, typed (${TYPED_ESLINT_RULE.replace('@typescript-eslint/', '')})`,
    version: `eslint ${manifest.version}, @typescript-eslint/parser ${version('@typescript-eslint/parser')}, @typescript-eslint/eslint-plugin ${version('@typescript-eslint/eslint-plugin')}, typescript ${version('typescript')}`,
    command: (target) => [process.execPath, [bin, '--config', config, '--format', 'json', target]],
    succeeded: (status) => status === 0,
    findings: (stdout) => countEslintStyleMessages(stdout, TYPED_ESLINT_RULE),
    // A file the project service could not place in a program is linted without types.
    fatalMessages: (stdout) => JSON.parse(stdout).flatMap((file) => file.messages.filter((message) => message.fatal).map((message) => `${file.filePath}: ${message.message}`)),
    rule: TYPED_ESLINT_RULE,
  };
}

/** oxlint (native) with one rule that, like retrylint, looks at awaits inside loops. */
export const OXLINT_RULE = 'no-await-in-loop';

export function oxlintTool(peersDir) {
  const modules = path.join(peersDir, 'node_modules');
  const manifest = packageJson(path.join(modules, 'oxlint', 'package.json'));
  const bin = path.join(modules, '.bin', 'oxlint');
  return {
    name: `oxlint (${OXLINT_RULE})`,
    version: `oxlint ${manifest.version}`,
    command: (target) => [bin, ['-A', 'all', '-D', OXLINT_RULE, '--format', 'unix', target]],
    // 1: it found something.
    succeeded: (status) => status === 0 || status === 1,
    findings: (stdout) => stdout.split('\n').filter((line) => /:\d+:\d+:/.test(line)).length,
  };
}

/** The Ruff rules that overlap retrylint: requests without a timeout, a blocking sleep in async code. */
export const RUFF_RULES = ['S113', 'ASYNC251'];

export function ruffWasmTool(peersDir, benchDir) {
  const packageDir = path.join(peersDir, 'node_modules', '@astral-sh', 'ruff-wasm-nodejs');
  const version = packageJson(path.join(packageDir, 'package.json')).version;
  return {
    name: `Ruff, wasm build (${RUFF_RULES.join(',')})`,
    version: `@astral-sh/ruff-wasm-nodejs ${version}`,
    command: (target) => [process.execPath, [path.join(benchDir, 'ruff-wasm.mjs'), packageDir, RUFF_RULES.join(','), target]],
    succeeded: (status) => status === 0 || status === 1,
    findings: (stdout) => stdout.split('\n').filter((line) => line.trim()).length,
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

/**
 * CPU time (user + system, ms) of this process's waited-for children so far, from
 * /proc/self/stat (cutime and cstime, in the kernel's 100 Hz user ticks); undefined off Linux.
 */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of the line, counted after the command name (which may hold spaces).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs a tool once on `target` (relative to `cwd`); wall-clock time includes process start. */
export function timeRun(tool, target, cwd, timeoutMs) {
  const [command, args] = tool.command(target);
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const env = tool.env ? { ...process.env, ...tool.env } : undefined;
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: OUTPUT_LIMIT_BYTES });
  const ms = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  if (result.error) {
    const reason = result.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs} ms` : result.error.message;
    throw new Error(`${tool.name}: ${reason}`);
  }
  if (!tool.succeeded(result.status)) {
    throw new Error(`${tool.name} failed with exit code ${result.status}:\n${result.stderr.slice(0, 2000)}`);
  }
  return { ms, cpuMs, findings: tool.findings(result.stdout), stdout: result.stdout, stderr: result.stderr };
}
