/**
 * The TypeScript program of one tsconfig, loaded with ts-morph: the project's compiler
 * options and path aliases, and only the files retry sites need: the files being linted and
 * the project files they import, transitively. Packages are left unresolved (no
 * node_modules, no lib files): an import of `openai` is read as what it names, not by loading
 * the SDK's declarations, which is what keeps the program small and fast to build.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TsMorph from 'ts-morph';

type Ts = typeof TsMorph.ts;

const requireHere = createRequire(import.meta.url);
let tsMorph: typeof TsMorph | undefined;

/** ts-morph (and the TypeScript it carries) loads on first use: per-file runs never pay for it. */
export function loadTsMorph(): typeof TsMorph {
  tsMorph ??= requireHere('ts-morph') as typeof TsMorph;
  return tsMorph;
}

const NODE_MODULES = /[\\/]node_modules[\\/]/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export interface ProjectProgram {
  readonly ts: Ts;
  /** The tsconfig's folder: findings name files relative to it. */
  readonly root: string;
  readonly tsconfig: string;
  /** The program as of the last change (built on demand). */
  program(): TsMorph.ts.Program;
  checker(): TsMorph.ts.TypeChecker;
  /** The file's syntax tree in the program, if the program holds it. */
  sourceFile(file: string): TsMorph.ts.SourceFile | undefined;
  /** Adds files (and the project files they import); files already present keep their text. */
  addFiles(files: readonly string[]): void;
  /** Replaces a file's text (an unsaved editor buffer); adds the file if it is new. */
  setText(file: string, text: string): void;
}

export class ProjectLoadError extends Error {}

export function loadProgram(tsconfig: string): ProjectProgram {
  const { Project, ts } = loadTsMorph();
  const tsconfigPath = path.resolve(tsconfig);
  let project: TsMorph.Project;
  try {
    project = new Project({
      tsConfigFilePath: tsconfigPath,
      skipAddingFilesFromTsConfig: true,
      skipLoadingLibFiles: true,
      compilerOptions: { noLib: true, types: [], skipLibCheck: true, noEmit: true, allowJs: true },
      resolutionHost: (host, compilerOptions) => {
        // One cache for the program: a package looked up from many files is looked up once per folder.
        const cache = ts.createModuleResolutionCache(path.dirname(tsconfigPath), (name) => name, compilerOptions());
        return {
          resolveModuleNames: (names, containingFile) =>
            names.map((name) => {
              const resolved = ts.resolveModuleName(name, containingFile, compilerOptions(), host, cache).resolvedModule;
              return resolved && isProjectSource(resolved) ? resolved : undefined;
            }),
        };
      },
    });
  } catch (error) {
    throw new ProjectLoadError(`cannot load ${tsconfigPath}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  let built: { program: TsMorph.ts.Program; checker: TsMorph.ts.TypeChecker } | undefined;
  const invalidate = (): void => {
    built = undefined;
  };
  const build = () => {
    built ??= (() => {
      const program = project.getProgram().compilerObject;
      return { program, checker: program.getTypeChecker() };
    })();
    return built;
  };
  return {
    ts,
    root: path.dirname(tsconfigPath),
    tsconfig: tsconfigPath,
    program: () => build().program,
    checker: () => build().checker,
    sourceFile: (file) => build().program.getSourceFile(path.resolve(file)),
    // The program pulls in the project files these import when it is built (createProgram
    // resolves them through the narrowed resolution above), so they are not resolved here too.
    addFiles(files) {
      const added = files.filter((file) => !project.getSourceFile(file)).map((file) => project.addSourceFileAtPathIfExists(file));
      if (added.some((file) => file !== undefined)) invalidate();
    },
    setText(file, text) {
      const existing = project.getSourceFile(file);
      if (existing?.getFullText() === text) return;
      project.createSourceFile(file, text, { overwrite: true });
      invalidate();
    },
  };
}

/**
 * A module of the project's own: not under node_modules and not a declaration file. A
 * workspace package of a monorepo, linked into node_modules, resolves to its real path under
 * packages/ and counts (TypeScript follows the link).
 */
function isProjectSource(resolved: TsMorph.ts.ResolvedModuleFull): boolean {
  return !NODE_MODULES.test(resolved.resolvedFileName) && !DECLARATION_FILE.test(resolved.resolvedFileName);
}
