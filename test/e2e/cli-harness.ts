/** Runs the built `retrylint` as a child process on real files in temp folders. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliBin = path.join(repoRoot, 'linter/bin/retrylint.cjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): CliRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.FORCE_COLOR;
  delete childEnv.NO_COLOR;
  const result = spawnSync(process.execPath, [cliBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...childEnv, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp folder with the given files (paths relative to it); removed by `dispose`. */
export function makeProject(files: Readonly<Record<string, string | Buffer>>): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-e2e-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
