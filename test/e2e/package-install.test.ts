import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack` of linter/, installed from the tarball into a project
// of its own next to eslint and @typescript-eslint/parser, then used as the CLI and as a plugin.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INSTALL_TIMEOUT_MS = 240_000;

const retryLoop = [
  "import OpenAI from 'openai';",
  'const client = new OpenAI();',
  'export async function ask(question: string): Promise<unknown> {',
  '  for (let attempt = 0; attempt < 5; attempt++) {',
  "    try { return await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: question }] }); }",
  '    catch (error) { await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt)); }',
  '  }',
  '  return undefined;',
  '}',
  '',
].join('\n');

const pythonCall = ['import requests', '', 'def load(url):', '    return requests.get(url)', ''].join('\n');

const eslintConfig = [
  "import tsParser from '@typescript-eslint/parser';",
  "import retrylint from 'retrylint/eslint-plugin';",
  'export default [',
  '  ...[].concat(retrylint.configs.recommended),',
  "  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },",
  '];',
  '',
].join('\n');

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: INSTALL_TIMEOUT_MS });
}

let project: string;

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'retrylint-install-'));
  const packDir = path.join(project, 'pack');
  mkdirSync(packDir);
  npm(['pack', '--silent', '--pack-destination', packDir], path.join(repoRoot, 'linter'));
  const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${packDir}`);
  const app = path.join(project, 'app');
  mkdirSync(path.join(app, 'src'), { recursive: true });
  mkdirSync(path.join(app, 'py'), { recursive: true });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(path.join(app, 'src/ask.ts'), retryLoop);
  writeFileSync(path.join(app, 'py/load.py'), pythonCall);
  writeFileSync(path.join(app, 'eslint.config.js'), eslintConfig);
  const versionOf = (name: string) => (JSON.parse(npm(['ls', name, '--json', '--depth=0'], repoRoot)).dependencies[name] as { version: string }).version;
  npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(packDir, tarball), `eslint@${versionOf('eslint')}`, `@typescript-eslint/parser@${versionOf('@typescript-eslint/parser')}`],
    app,
  );
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function run(command: string, args: string[]) {
  const app = path.join(project, 'app');
  return spawnSync(path.join(app, 'node_modules/.bin', command), args, { cwd: app, encoding: 'utf8', timeout: 60_000 });
}

describe('the packed package installed into a project of its own', () => {
  it('installs without the unpublished workspace packages', () => {
    const manifest = JSON.parse(npm(['ls', '--json', '--depth=1'], path.join(project, 'app'))) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(manifest.dependencies.retrylint.dependencies ?? {})).not.toContain('@retrylint/shared');
  });

  it('runs as the CLI and reports the retry loop', () => {
    const result = run('retrylint', ['--format', 'json', 'src']);
    expect(result.stderr).toBe('');
    const files = JSON.parse(result.stdout) as { messages: { ruleId: string; line: number }[] }[];
    const found = files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.ruleId}`));
    expect(found).toEqual(expect.arrayContaining(['5:no-nested-retries', '6:require-jitter']));
    expect(result.status).not.toBe(0);
  });

  it('lints Python with the native tree-sitter binding, and with wasm when the binding is missing', () => {
    const findings = (stdout: string) =>
      (JSON.parse(stdout) as { messages: { ruleId: string; line: number }[] }[]).flatMap((file) => file.messages.map((message) => `${message.line}:${message.ruleId}`));
    const native = run('retrylint', ['--format', 'json', '--stats', 'py']);
    expect(native.stderr).toContain('python parser: native tree-sitter');
    expect(findings(native.stdout)).toEqual(['4:require-timeout']);
    // As an install without optional dependencies (or without a prebuilt binary) leaves it.
    const binding = path.join(project, 'app/node_modules/tree-sitter');
    renameSync(binding, `${binding}.hidden`);
    try {
      const wasm = run('retrylint', ['--format', 'json', '--stats', 'py']);
      expect(wasm.stderr).toMatch(/python parser: web-tree-sitter \(wasm\), the native binding did not load: Cannot find module 'tree-sitter'/);
      expect(wasm.stdout).toBe(native.stdout);
    } finally {
      renameSync(`${binding}.hidden`, binding);
    }
  });

  it('runs as an ESLint flat-config plugin with @typescript-eslint/parser', () => {
    const result = run('eslint', ['--format', 'json', 'src/ask.ts']);
    const [file] = JSON.parse(result.stdout) as { messages: { ruleId: string; line: number }[] }[];
    expect(file.messages.map((message) => `${message.line}:${message.ruleId}`)).toEqual(
      expect.arrayContaining(['5:retrylint/no-nested-retries', '6:retrylint/require-jitter']),
    );
  });
});
