/**
 * The evaluation's fetch of an application at a pinned commit, against a real git repository
 * served from a local folder (file://), and the manifest checks for such entries.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the evaluation scripts, without type declarations
import { packageRoot } from '../../eval/fetch.mjs';
// @ts-expect-error plain ES module of the evaluation scripts, without type declarations
import { readManifest } from '../../eval/manifest.mjs';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'retrylint-eval-fetch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=eval', '-c', 'user.email=eval@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A repository with two commits; returns its URL and both hashes. */
function makeRepository() {
  const folder = path.join(scratch, 'app');
  execFileSync('mkdir', ['-p', path.join(folder, 'src')]);
  git(folder, 'init', '--quiet');
  writeFileSync(path.join(folder, 'src/retry.ts'), 'export const version = 1;\n');
  git(folder, 'add', '.');
  git(folder, 'commit', '--quiet', '-m', 'first');
  const first = git(folder, 'rev-parse', 'HEAD');
  writeFileSync(path.join(folder, 'src/retry.ts'), 'export const version = 2;\n');
  git(folder, 'commit', '--quiet', '-am', 'second');
  const second = git(folder, 'rev-parse', 'HEAD');
  return { url: `file://${folder}`, first, second };
}

describe('evaluation: applications from git', () => {
  const repository = makeRepository();

  it('fetches the pinned commit into the cache, without its history, and reuses it', () => {
    const cache = path.join(scratch, 'cache');
    const pkg = { id: 'app', source: 'git', name: repository.url, version: repository.second, root: 'src' };
    const root = packageRoot(pkg, cache);
    expect(readFileSync(path.join(root, 'retry.ts'), 'utf8')).toBe('export const version = 2;\n');
    expect(existsSync(path.join(root, '..', '.git'))).toBe(false);
    writeFileSync(path.join(root, 'marker'), '');
    expect(packageRoot(pkg, cache)).toBe(root);
    expect(existsSync(path.join(root, 'marker'))).toBe(true);
  });

  it('fails with the repository and commit when the commit cannot be fetched', () => {
    const pkg = { id: 'gone', source: 'git', name: repository.url, version: 'f'.repeat(40) };
    expect(() => packageRoot(pkg, path.join(scratch, 'cache-gone'))).toThrow(/package gone: could not fetch file:\/\/.* at f{40}/);
    expect(existsSync(path.join(scratch, 'cache-gone', 'git', 'gone'))).toBe(false);
    expect(existsSync(path.join(scratch, 'cache-gone', 'git', 'gone.partial'))).toBe(false);
  });

  it('accepts only a full commit hash as the version of a git entry', () => {
    const file = path.join(scratch, 'manifest.json');
    const write = (version: string) =>
      writeFileSync(file, JSON.stringify({ packages: [{ id: 'app', source: 'git', name: repository.url, version }], expected: [], silent: [] }));
    write(repository.first);
    expect(readManifest(file).packages[0].version).toBe(repository.first);
    write('main');
    expect(() => readManifest(file)).toThrow(/packages\[0\].*full commit hash, found "main"/);
  });
});
