import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// .pre-commit-hooks.yaml: pre-commit's node language installs the repository with `npm install`,
// packs it with `npm pack` (reading the tarball's name from stdout), installs that tarball and runs
// the hook's entry with the staged files as arguments.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [hook] = parse(readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  language: string;
  types_or: string[];
}[];
const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

const unsafePython = [
  'import time',
  'import requests',
  '',
  'def fetch(url):',
  '    while True:',
  '        try:',
  '            return requests.get(url, timeout=10)',
  '        except requests.RequestException:',
  '            time.sleep(1)',
  '',
].join('\n');
const safeTypeScript = "export const health = () => fetch('https://example.test/health', { signal: AbortSignal.timeout(5_000) });\n";

const scratch = mkdtempSync(path.join(tmpdir(), 'retrylint-pre-commit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(scratch, 'project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '.'], { cwd: root });
  return root;
}

describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('is a node hook on Python and TypeScript/JavaScript files whose entry is the package bin', () => {
    expect(hook).toMatchObject({ id: 'retrylint', language: 'node', entry: 'retrylint' });
    expect(hook.types_or).toEqual(expect.arrayContaining(['python', 'javascript', 'jsx', 'ts', 'tsx']));
    expect(existsSync(path.join(repoRoot, rootManifest.bin[hook.entry]))).toBe(true);
    // A `prepare` script would print its banner into `npm pack`'s stdout and break the install.
    expect(rootManifest.scripts.prepare).toBeUndefined();
  });

  it('packs the built CLI with the repository, and prints only the tarball name', () => {
    const listing = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
      files: { path: string }[];
    }[];
    const files = listing[0].files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining([rootManifest.bin[hook.entry], 'linter/dist/cli.cjs', 'linter/dist/worker.cjs']));
    const plain = execFileSync('npm', ['pack', '--dry-run'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(plain.trim()).toMatch(/^retrylint-monorepo-[\d.]+\.tgz$/);
  });

  it("runs the entry on the files pre-commit passes, failing on the hook's findings", () => {
    const root = project({ 'jobs/fetch.py': unsafePython, 'web/health.ts': safeTypeScript });
    const bin = path.join(repoRoot, rootManifest.bin[hook.entry]);
    const result = spawnSync(process.execPath, [bin, 'jobs/fetch.py', 'web/health.ts'], { cwd: root, encoding: 'utf8' });
    expect(result.stdout).toContain('jobs/fetch.py');
    expect(result.stdout).toContain('bounded-attempts');
    expect(result.status).toBe(1);
  });

  const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  it.skipIf(preCommit.status !== 0)(
    'installs and runs through pre-commit itself (try-repo)',
    () => {
      const env = { ...process.env, PRE_COMMIT_HOME: path.join(scratch, 'pre-commit-home') };
      const tryRepo = (cwd: string) =>
        spawnSync('pre-commit', ['try-repo', repoRoot, hook.id, '--all-files'], { cwd, env, encoding: 'utf8', timeout: 400_000 });
      const failing = tryRepo(project({ 'jobs/fetch.py': unsafePython }));
      expect(failing.stdout).toMatch(/retrylint\.+Failed/);
      expect(failing.stdout).toContain('jobs/fetch.py');
      expect(failing.status).toBe(1);
      const passing = tryRepo(project({ 'web/health.ts': safeTypeScript }));
      expect(passing.stdout).toMatch(/retrylint\.+Passed/);
      expect(passing.status).toBe(0);
    },
    420_000,
  );
});
