import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** vitest globalSetup: bundles the linter (dist/cli.cjs, dist/worker.cjs) before any test file runs. */
export default function buildCli(): void {
  execFileSync(process.execPath, [path.join(root, 'linter/build.mjs')], { stdio: 'inherit' });
}
