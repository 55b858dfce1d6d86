// Builds retrylint as it was at another commit, in the cache, so the benchmark can prove
// that a faster retrylint still finds the same things (`--baseline <git ref>`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const BUILD_TIMEOUT_MS = 5 * 60_000;

/** The repository's dependencies, linked, but its own workspace packages from the old tree. */
function linkNodeModules(repoRoot, dir) {
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const entry of readdirSync(path.join(repoRoot, 'node_modules'))) {
    if (entry === '@retrylint') continue;
    symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(modules, entry));
  }
  mkdirSync(path.join(modules, '@retrylint'), { recursive: true });
  symlinkSync(path.join(dir, 'shared'), path.join(modules, '@retrylint', 'shared'));
}

/** The root of a built copy of `ref`; its CLI is `linter/bin/retrylint.cjs` as in the repository. */
export function buildBaseline(repoRoot, cacheDir, ref, log) {
  const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = path.join(cacheDir, 'baseline', commit);
  if (!existsSync(path.join(dir, 'linter', 'dist', 'cli.cjs'))) {
    log(`building retrylint at ${ref} (${commit.slice(0, 10)}) ...`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = path.join(cacheDir, 'baseline', `${commit}.tar`);
    execFileSync('git', ['-C', repoRoot, 'archive', '--format=tar', '-o', archive, commit]);
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    rmSync(archive);
    linkNodeModules(repoRoot, dir);
    // Since the engine bundle, the build writes declarations from tsc's output.
    if (existsSync(path.join(dir, 'linter', 'engine-types.mjs'))) {
      const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      execFileSync(process.execPath, [tsc, '-b'], { cwd: dir, stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
    }
    execFileSync(process.execPath, [path.join(dir, 'linter', 'build.mjs')], { stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
  }
  return { dir, commit };
}
