// Builds the benchmark corpora in the cache folder from pinned releases, so every machine
// times the same code: the src/ folders of five npm packages (npm pack, then unpacked),
// and the Python sources of three Debian packages (apt-get download, then dpkg-deb -x).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const INSTALL_TIMEOUT_MS = 15 * 60_000;

export const TYPESCRIPT_PACKAGES = [
  { name: 'openai', version: '5.23.2' },
  { name: '@anthropic-ai/sdk', version: '1.14.0' },
  { name: 'rxjs', version: '7.8.2' },
  { name: 'effect', version: '3.22.4' },
  { name: 'zod', version: '3.25.76' },
];

/** Debian packages whose Python modules form the corpus (module folder under dist-packages). */
export const PYTHON_PACKAGES = [
  { deb: 'python3-urllib3', module: 'urllib3' },
  { deb: 'python3-requests', module: 'requests' },
  { deb: 'python3-botocore', module: 'botocore' },
];
const DIST_PACKAGES = 'usr/lib/python3/dist-packages';

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
export function corpusOf(name, root, paths) {
  const bytes = paths.reduce((sum, file) => sum + statSync(file).size, 0);
  return { name, root, paths, files: paths.length, bytes };
}

export function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, ...options });
}

function folderName(pkg) {
  return `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}`;
}

/** `npm pack` of one release into the cache, unpacked; returns its `src/` folder. */
function packedSource(cacheDir, pkg, log) {
  const unpacked = path.join(cacheDir, 'npm-pack', folderName(pkg));
  if (!existsSync(path.join(unpacked, 'package'))) {
    log(`npm pack ${pkg.name}@${pkg.version} ...`);
    const scratch = `${unpacked}.partial`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const [packed] = JSON.parse(run('npm', ['pack', `${pkg.name}@${pkg.version}`, '--json', '--pack-destination', scratch]));
    run('tar', ['-xzf', path.join(scratch, packed.filename), '-C', scratch]);
    rmSync(unpacked, { recursive: true, force: true });
    renameSync(scratch, unpacked);
  }
  const src = path.join(unpacked, 'package', 'src');
  if (!existsSync(src)) throw new Error(`${pkg.name}@${pkg.version} ships no src/ folder; pick another TypeScript corpus`);
  return src;
}

/** The src/ TypeScript of the pinned npm releases, one folder per package. */
export function typescriptCorpus(cacheDir, log) {
  const root = path.join(cacheDir, 'corpus', 'typescript');
  for (const pkg of TYPESCRIPT_PACKAGES) {
    const target = path.join(root, folderName(pkg));
    if (!existsSync(target)) cpSync(packedSource(cacheDir, pkg, log), target, { recursive: true });
  }
  const name = TYPESCRIPT_PACKAGES.map((pkg) => `${pkg.name} ${pkg.version}`).join(', ');
  return corpusOf(`src/ of ${name}`, root, filesUnder(root, ['.ts', '.tsx', '.mts', '.cts']));
}

/** `apt-get download` + `dpkg-deb -x` of one Debian package into the cache; returns the folder and version. */
function debianSource(cacheDir, deb, log) {
  const debDir = path.join(cacheDir, 'debian', 'debs');
  mkdirSync(debDir, { recursive: true });
  let file = readdirSync(debDir).find((entry) => entry.startsWith(`${deb}_`) && entry.endsWith('.deb'));
  if (!file) {
    log(`apt-get download ${deb} ...`);
    try {
      run('apt-get', ['download', deb], { cwd: debDir });
    } catch (error) {
      // A fresh machine has no package lists yet; as root the benchmark fetches them once.
      if (process.getuid?.() !== 0) throw new Error(`apt-get download ${deb} failed (run \`sudo apt-get update\` first?): ${error.stderr || error.message}`);
      run('apt-get', ['update'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      run('apt-get', ['download', deb], { cwd: debDir });
    }
    file = readdirSync(debDir).find((entry) => entry.startsWith(`${deb}_`) && entry.endsWith('.deb'));
  }
  const version = decodeURIComponent(file.split('_')[1]);
  const extracted = path.join(cacheDir, 'debian', `${deb}-${version}`);
  if (!existsSync(extracted)) {
    run('dpkg-deb', ['-x', path.join(debDir, file), `${extracted}.partial`]);
    renameSync(`${extracted}.partial`, extracted);
  }
  return { extracted, version };
}

/** Debian's pylint, installed with apt-get when missing (as root; otherwise the command to run is named). */
export function ensurePylint(log) {
  if (existsSync('/usr/bin/pylint')) return;
  if (process.getuid?.() !== 0) throw new Error('the Python comparison needs Debian\'s pylint: run `sudo apt-get install -y pylint` and re-run the benchmark');
  log('installing pylint with apt-get ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', 'pylint'], { env });
}

/** The .py sources of the Debian packages, one folder per module. */
export function pythonCorpus(cacheDir, log) {
  const root = path.join(cacheDir, 'corpus', 'python');
  const names = [];
  for (const { deb, module } of PYTHON_PACKAGES) {
    const { extracted, version } = debianSource(cacheDir, deb, log);
    names.push(`${deb} ${version}`);
    const target = path.join(root, module);
    if (existsSync(target)) continue;
    // Only the sources: botocore's data/ folder is megabytes of JSON no tool reads.
    cpSync(path.join(extracted, DIST_PACKAGES, module), target, {
      recursive: true,
      filter: (source) => !source.includes('__pycache__') && (statSync(source).isDirectory() || source.endsWith('.py')),
    });
  }
  return corpusOf(names.join(', '), root, filesUnder(root, ['.py']));
}
