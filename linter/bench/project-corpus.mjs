// The corpus of the project-mode benchmark: a real multi-package TypeScript repository at one
// pinned commit (shallow `git fetch` into the cache, as eval's git sources), cut down to its
// packages' tsconfigs and the TypeScript those tsconfigs cover.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { corpusOf, filesUnder, run } from './corpus.mjs';

/**
 * continue (an AI coding assistant): the `core` package and the workspace packages beside it,
 * each with its own tsconfig. `sources` are the folders each tsconfig's `include` covers;
 * `skip` holds vendored third-party declarations.
 */
export const PROJECT_REPOSITORY = {
  name: 'continue',
  url: 'https://github.com/continuedev/continue',
  commit: 'd0a3c0b626b5bebc3bef4742eec05a0242be0bab',
  packages: [
    { dir: 'core', sources: ['.'], skip: ['vendor'] },
    { dir: 'packages/config-types', sources: ['src'] },
    { dir: 'packages/config-yaml', sources: ['src'] },
    { dir: 'packages/fetch', sources: ['src'] },
    { dir: 'packages/llm-info', sources: ['src'] },
    { dir: 'packages/openai-adapters', sources: ['src'] },
    { dir: 'packages/terminal-security', sources: ['src'] },
  ],
};

const TYPESCRIPT = ['.ts', '.tsx', '.mts', '.cts'];

/** The shell commands that fetch `repository` into `target`, for the message when it is missing. */
export function fetchCommands(repository, target) {
  return [
    `git init ${target}`,
    `git -C ${target} fetch --depth 1 ${repository.url} ${repository.commit}`,
    `git -C ${target} checkout FETCH_HEAD`,
  ];
}

/** The checkout of the pinned commit in the cache, fetched when missing. */
function checkout(cacheDir, repository, log) {
  const target = path.join(cacheDir, 'git', `${repository.name}-${repository.commit}`);
  if (existsSync(target)) return target;
  const work = `${target}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`git fetch --depth 1 ${repository.url} ${repository.commit} ...`);
  try {
    run('git', ['init', '--quiet'], { cwd: work });
    run('git', ['fetch', '--quiet', '--depth', '1', repository.url, repository.commit], { cwd: work });
    run('git', ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD'], { cwd: work });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(
      `the project corpus is missing and could not be fetched (${error.stderr?.trim() || error.message}).\n` +
        `Fetch ${repository.url} at ${repository.commit} into ${target} yourself (any copy of that commit's tree will do), e.g.:\n` +
        fetchCommands(repository, target).map((command) => `  ${command}`).join('\n'),
    );
  }
  rmSync(path.join(work, '.git'), { recursive: true, force: true });
  renameSync(work, target);
  return target;
}

/** Copies one package's tsconfig.json and the TypeScript of its source folders. */
function copyPackage(source, target, pkg) {
  mkdirSync(target, { recursive: true });
  cpSync(path.join(source, 'tsconfig.json'), path.join(target, 'tsconfig.json'));
  const skipped = (pkg.skip ?? []).map((folder) => path.join(source, folder));
  for (const folder of pkg.sources) {
    cpSync(path.join(source, folder), path.join(target, folder), {
      recursive: true,
      filter: (file) =>
        !skipped.some((skip) => file === skip || file.startsWith(`${skip}${path.sep}`)) &&
        !file.includes(`${path.sep}node_modules`) &&
        (statSync(file).isDirectory() || TYPESCRIPT.some((extension) => file.endsWith(extension))),
    });
  }
}

/** The packages of the pinned repository, each with its tsconfig, under one folder of the cache. */
export function projectCorpus(cacheDir, log, repository = PROJECT_REPOSITORY) {
  const root = path.join(cacheDir, 'corpus', 'project', `${repository.name}-${repository.commit.slice(0, 10)}`);
  if (!existsSync(root)) {
    const source = checkout(cacheDir, repository, log);
    const scratch = `${root}.partial`;
    rmSync(scratch, { recursive: true, force: true });
    for (const pkg of repository.packages) copyPackage(path.join(source, pkg.dir), path.join(scratch, pkg.dir), pkg);
    renameSync(scratch, root);
  }
  const name = `${repository.name} at ${repository.commit.slice(0, 10)} (${repository.url}), packages ${repository.packages.map((pkg) => pkg.dir).join(', ')}`;
  return { ...corpusOf(name, root, filesUnder(root, TYPESCRIPT)), repository, tsconfigs: repository.packages.length };
}
