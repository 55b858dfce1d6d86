// Fetches the packages named by an evaluation manifest into a cache outside the repository:
// npm packages with `npm pack`, Debian packages with `apt-get download` + `dpkg-deb -x`,
// applications from their public git repository at one pinned commit (`git fetch --depth 1`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FETCH_TIMEOUT_MS = 5 * 60_000;

export function defaultCacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'retrylint-eval');
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: FETCH_TIMEOUT_MS });
}

/** A folder name for a package id that is safe on every file system. */
function folderName(id) {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function fetchNpm(pkg, target) {
  const work = `${target}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarball = run('npm', ['pack', '--silent', `${pkg.name}@${pkg.version}`], work).trim().split('\n').pop();
  run('tar', ['-xzf', tarball], work);
  // npm tarballs hold one top folder, `package/` for nearly all packages.
  const top = readdirSync(work, { withFileTypes: true }).find((entry) => entry.isDirectory());
  if (!top) throw new Error(`npm pack ${pkg.name}@${pkg.version} produced no folder`);
  renameSync(path.join(work, top.name), target);
  rmSync(work, { recursive: true, force: true });
}

let aptListsUpdated = false;

function fetchDebian(pkg, target) {
  const work = `${target}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const spec = `${pkg.name}=${pkg.version}`;
  try {
    run('apt-get', ['download', spec], work);
  } catch (error) {
    if (aptListsUpdated) throw error;
    // A fresh machine may have no package lists yet.
    run('apt-get', ['update'], work);
    aptListsUpdated = true;
    run('apt-get', ['download', spec], work);
  }
  const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${spec} produced no .deb`);
  run('dpkg-deb', ['-x', deb, 'root'], work);
  renameSync(path.join(work, 'root'), target);
  rmSync(work, { recursive: true, force: true });
}

/**
 * An application's source at one commit: `name` is the repository URL, `version` the full
 * commit hash, so the labels always meet the code they were read from.
 */
function fetchGit(pkg, target) {
  const work = `${target}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    run('git', ['init', '--quiet'], work);
    run('git', ['fetch', '--quiet', '--depth', '1', pkg.name, pkg.version], work);
    run('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD'], work);
    const fetched = run('git', ['rev-parse', 'HEAD'], work).trim();
    if (fetched !== pkg.version) throw new Error(`git fetch ${pkg.name} ${pkg.version} gave commit ${fetched}`);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`package ${pkg.id}: could not fetch ${pkg.name} at ${pkg.version}: ${error.stderr?.trim() || error.message}`);
  }
  rmSync(path.join(work, '.git'), { recursive: true, force: true });
  renameSync(work, target);
}

/** The folder to lint for `pkg`, fetching it first when the cache does not hold it. */
export function packageRoot(pkg, cacheDir) {
  const target = path.join(cacheDir, pkg.source, folderName(pkg.id));
  if (!existsSync(target)) {
    mkdirSync(path.dirname(target), { recursive: true });
    if (pkg.source === 'npm') fetchNpm(pkg, target);
    else if (pkg.source === 'debian') fetchDebian(pkg, target);
    else if (pkg.source === 'git') fetchGit(pkg, target);
    else throw new Error(`package ${pkg.id}: unknown source "${pkg.source}" (npm, debian or git)`);
  }
  const root = pkg.root ? path.join(target, pkg.root) : target;
  if (!existsSync(root)) throw new Error(`package ${pkg.id}: its root "${pkg.root}" does not exist in the fetched package`);
  return root;
}
