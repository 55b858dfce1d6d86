/**
 * Which paths a directory walk leaves out: `.gitignore` and `.retrylintignore` files (each
 * relative to its own folder, nested ones included), a config's `ignorePatterns`, and the
 * folders no one wants linted.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.venv',
  'venv',
  'dist',
  'build',
  '.git',
  '__pycache__',
]);

const IGNORE_FILES = ['.gitignore', '.retrylintignore'];

export interface IgnoreRulesOptions {
  readonly cwd: string;
  /** false for `--no-ignore`: only the skipped folders are left out. */
  readonly useIgnoreFiles: boolean;
  /** `ignorePatterns` of the config file in a folder, if that folder has one. */
  readonly configPatterns?: (directory: string) => readonly string[];
}

function readLines(file: string): string | undefined {
  // Most folders have neither file, and a failed read throws: an exception per folder costs more than the check.
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class IgnoreRules {
  private readonly perDirectory = new Map<string, Ignore | null>();
  private readonly roots = new Map<string, string>();
  private readonly repositories = new Map<string, string | undefined>();

  constructor(private readonly options: IgnoreRulesOptions) {}

  /** True when the walk should leave the path out. */
  isIgnored(absolutePath: string, isDirectory: boolean): boolean {
    if (isDirectory && SKIPPED_DIRECTORIES.has(path.basename(absolutePath))) return true;
    if (!this.options.useIgnoreFiles) return false;
    const parent = path.dirname(absolutePath);
    const top = this.ignoreRootOf(parent);
    for (const directory of ancestorsFrom(top, parent)) {
      const rules = this.rulesIn(directory);
      if (!rules) continue;
      const relative = path.relative(directory, absolutePath).split(path.sep).join('/');
      if (rules.ignores(isDirectory ? `${relative}/` : relative)) return true;
    }
    return false;
  }

  /** A path inside a skipped folder (`node_modules/x.ts`, matched by a glob). */
  isInSkippedDirectory(absolutePath: string, below: string): boolean {
    const relative = path.relative(below, path.dirname(absolutePath));
    if (relative === '' || relative.startsWith('..')) return false;
    return relative.split(path.sep).some((part) => SKIPPED_DIRECTORIES.has(part));
  }

  /**
   * Ignore files count from the repository root (the nearest folder with `.git`), else
   * from the run's folder when the path is inside it, else from the path's own folder.
   */
  private ignoreRootOf(directory: string): string {
    const cached = this.roots.get(directory);
    if (cached) return cached;
    const root = this.repositoryRootOf(directory) ?? (isInside(directory, this.options.cwd) ? this.options.cwd : directory);
    this.roots.set(directory, root);
    return root;
  }

  /** The nearest folder with `.git` at or above `directory`; each folder is asked once per run. */
  private repositoryRootOf(directory: string): string | undefined {
    if (this.repositories.has(directory)) return this.repositories.get(directory);
    const parent = path.dirname(directory);
    const root = existsSync(path.join(directory, '.git')) ? directory : parent === directory ? undefined : this.repositoryRootOf(parent);
    this.repositories.set(directory, root);
    return root;
  }

  private rulesIn(directory: string): Ignore | null {
    let rules = this.perDirectory.get(directory);
    if (rules !== undefined) return rules;
    const patterns: string[] = [];
    for (const name of IGNORE_FILES) {
      const text = readLines(path.join(directory, name));
      if (text !== undefined) patterns.push(text);
    }
    patterns.push(...(this.options.configPatterns?.(directory) ?? []));
    rules = patterns.length > 0 ? ignore().add(patterns) : null;
    this.perDirectory.set(directory, rules);
    return rules;
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Folders from `top` down to `bottom`, both included (just `bottom` if it is not below `top`). */
function ancestorsFrom(top: string, bottom: string): string[] {
  if (!isInside(bottom, top)) return [bottom];
  const chain: string[] = [];
  for (let current = bottom; ; current = path.dirname(current)) {
    chain.push(current);
    if (current === top || path.dirname(current) === current) break;
  }
  return chain.reverse();
}
