/**
 * A fresh clone must pass its tests with nothing beside it: no test, build step or source may
 * name a file outside the repository. This scans the repository's own code for path literals
 * and resolves them from the folder they are written in and, when they are joined to a
 * repository-root variable (`path.resolve(repoRoot, '../x')`), from the root.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Folders that hold inputs or generated output rather than code that reads files. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.bench', 'coverage', 'fixtures', 'examples']);
const CODE_FILE = /\.(?:[cm]?[jt]s|mts|cts)$/;
/** The benchmark reads peer tools and system-installed corpora on purpose (docs/performance.md). */
const SKIPPED_FILES = new Set(['linter/bench/corpus.mjs']);

function codeFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) files.push(...codeFiles(path.join(folder, entry.name)));
    } else if (CODE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path.join(folder, entry.name));
    }
  }
  return files;
}

interface PathLiteral {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly bases: readonly string[];
}

const RELATIVE_LITERAL = /(\b\w+\s*,\s*)?(['"`])(\.\.\/[^'"`\n]*)\2/g;
const MACHINE_PATH_LITERAL = /(['"`])(\/(?:work|tmp|root|home)\/[^'"`\n]*)\1/g;

function relativeLiterals(file: string, text: string): PathLiteral[] {
  const literals: PathLiteral[] = [];
  for (const match of text.matchAll(RELATIVE_LITERAL)) {
    const joinedTo = match[1]?.replace(/\s*,\s*$/, '') ?? '';
    const bases = [path.dirname(file)];
    if (/root/i.test(joinedTo)) bases.push(repoRoot);
    literals.push({ file, line: lineOf(text, match.index), text: match[3]!, bases });
  }
  return literals;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function escapesRepository(literal: PathLiteral): boolean {
  return literal.bases.some((base) => {
    const resolved = path.resolve(base, literal.text);
    return resolved !== repoRoot && !resolved.startsWith(repoRoot + path.sep);
  });
}

function describeLiteral(literal: PathLiteral): string {
  return `${path.relative(repoRoot, literal.file)}:${literal.line} '${literal.text}'`;
}

const thisFile = fileURLToPath(import.meta.url);
const files = codeFiles(repoRoot).filter(
  (file) => file !== thisFile && !SKIPPED_FILES.has(path.relative(repoRoot, file).split(path.sep).join('/')),
);

describe('the repository stands alone', () => {
  it('scans the code of every workspace and the tests', () => {
    const folders = new Set(files.map((file) => path.relative(repoRoot, file).split(path.sep)[0]));
    expect([...folders]).toEqual(expect.arrayContaining(['linter', 'shared', 'test']));
  });

  it('names no file outside the repository through a relative path', () => {
    const escaping = files.flatMap((file) => relativeLiterals(file, readFileSync(file, 'utf8')).filter(escapesRepository));
    expect(escaping.map(describeLiteral)).toEqual([]);
  });

  it('names no absolute path of a particular machine', () => {
    const machinePaths = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(MACHINE_PATH_LITERAL)].map((match) => `${path.relative(repoRoot, file)}:${lineOf(text, match.index)} ${match[2]}`);
    });
    expect(machinePaths).toEqual([]);
  });

  it('catches a path that climbs out of the root it is joined to', () => {
    const probe = path.join(repoRoot, 'test/linter/cli/probe.test.ts');
    const [literal] = relativeLiterals(probe, "path.resolve(repoRoot, '../outside/data/schema.json')");
    expect(literal && escapesRepository(literal)).toBe(true);
    const [inside] = relativeLiterals(probe, "path.join(here, '../../fixtures/a.py')");
    expect(inside && escapesRepository(inside)).toBe(false);
  });
});
