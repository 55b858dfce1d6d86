// Builds the benchmark corpus in the cache folder: the openai npm package's own src/
// TypeScript, and the Python sources of Debian packages. Both are copied out of
// node_modules and dist-packages so that every tool sees plain project folders.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const INSTALL_TIMEOUT_MS = 15 * 60_000;

export const DEBIAN_PACKAGES = ['python3-botocore', 'python3-urllib3', 'pylint'];
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const PYTHON_CORPUS_PACKAGES = ['botocore', 'urllib3'];

/** Every file under `root` whose name ends with one of `extensions`, sorted. */
export function filesUnder(root, extensions) {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => extensions.some((extension) => entry.endsWith(extension)))
    .filter((entry) => !entry.endsWith('.d.ts'))
    .map((entry) => path.join(root, entry))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** A corpus: its files' paths, how many there are and their total size. */
function corpusOf(name, root, paths) {
  const bytes = paths.reduce((sum, file) => sum + statSync(file).size, 0);
  return { name, root, paths, files: paths.length, bytes };
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, ...options });
}

/** The openai package's src/ TypeScript, installed once into the cache. */
export function typescriptCorpus(cacheDir, log) {
  const prefix = path.join(cacheDir, 'npm');
  const packageDir = path.join(prefix, 'node_modules', 'openai');
  if (!existsSync(path.join(packageDir, 'src'))) {
    log(`installing the openai npm package into ${path.relative(process.cwd(), prefix)} ...`);
    mkdirSync(prefix, { recursive: true });
    run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts', 'openai']);
  }
  if (!existsSync(path.join(packageDir, 'src'))) {
    throw new Error('the openai npm package no longer ships its src/ folder; pick another TypeScript corpus');
  }
  const version = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const root = path.join(cacheDir, 'corpus', 'typescript');
  const target = path.join(root, 'openai-src');
  if (!existsSync(target)) {
    cpSync(path.join(packageDir, 'src'), target, { recursive: true });
  }
  return corpusOf(`openai ${version} src/`, root, filesUnder(root, ['.ts']));
}

function debianPackagesMissing() {
  return !existsSync('/usr/bin/pylint') || PYTHON_CORPUS_PACKAGES.some((name) => !existsSync(path.join(DIST_PACKAGES, name)));
}

function installDebianPackages(log) {
  if (!debianPackagesMissing()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the Python comparison needs Debian's ${DEBIAN_PACKAGES.join(', ')}: run \`sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}\` and re-run the benchmark`,
    );
  }
  log(`installing ${DEBIAN_PACKAGES.join(', ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES], { env });
}

function debianVersion(name) {
  try {
    return run('dpkg-query', ['--showformat=${Version}', '--show', name]).trim();
  } catch {
    return 'unknown';
  }
}

/** Python sources of Debian's botocore and urllib3 packages. */
export function pythonCorpus(cacheDir, log) {
  installDebianPackages(log);
  const root = path.join(cacheDir, 'corpus', 'python');
  for (const name of PYTHON_CORPUS_PACKAGES) {
    const target = path.join(root, name);
    if (existsSync(target)) continue;
    // Only the sources: botocore's data/ folder is megabytes of JSON no tool reads.
    cpSync(path.join(DIST_PACKAGES, name), target, {
      recursive: true,
      filter: (source) => !source.includes('__pycache__') && (statSync(source).isDirectory() || source.endsWith('.py')),
    });
  }
  const versions = ['python3-botocore', 'python3-urllib3'].map((name) => `${name} ${debianVersion(name)}`);
  return corpusOf(versions.join(' + '), root, filesUnder(root, ['.py']));
}
