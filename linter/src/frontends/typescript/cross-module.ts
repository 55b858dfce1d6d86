/**
 * Values imported from other modules: `import { openai } from './clients'` where `clients.ts`
 * says `export const openai = new OpenAI({ maxRetries: 0 })`. The per-file path (the CLI's
 * default) follows relative imports one hop, each module parsed once per run; project mode
 * (`--project`, ./project/) installs links that follow the TypeScript program instead:
 * barrels, `export *`, path aliases, typed parameters and calls into other modules. The
 * editor's per-file path has no links. Values found in another module are facts; levers
 * point into the other file only when the links say which file (project mode).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RetrySite } from '@retrylint/shared';
import { ExtractionContext } from './context.js';
import { FileIndex } from './file-index.js';
import { parseText } from './parse.js';
import type { FunctionNode, Node, Program } from './syntax.js';

const CANDIDATE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];
const MAX_MODULE_BYTES = 1_000_000;

export interface ExportedValue {
  readonly node: Node;
  /** The other module's context: evaluate the value there. */
  readonly context: ExtractionContext;
}

/** A function with the context of the module that declares it (read it there). */
export interface FunctionInModule {
  readonly fn: FunctionNode;
  readonly context: ExtractionContext;
}

/** Where a module's values come from when a recognizer meets an import. */
export interface ModuleLinks {
  /** How many imports in a row a value may be followed through. */
  readonly maxHops: number;
  /** The value `name` exported by `specifier` as seen from `fromFile`, in the module that declares it. */
  importedValue(fromFile: string, specifier: string, name: string): ExportedValue | undefined;
  /** Set in project mode: facts that need the whole program. */
  readonly project?: ProjectLinks;
}

/** What project mode adds: calls and types resolved through the program. */
export interface ProjectLinks {
  /** A file as findings name it (relative to the project's root). */
  displayPath(file: string): string;
  /** The function a callee (`ask`, `this.llm.ask`, `service.run`) names, wherever it is declared. */
  calledFunction(context: ExtractionContext, callee: Node): FunctionInModule | undefined;
  /**
   * The package type a parameter or `this` field is declared with (`client: OpenAI`, `private
   * llm: LlmClient`), when it is one of `packages`.
   */
  declaredType(context: ExtractionContext, expression: Node, packages: readonly string[]): { readonly module: string; readonly name: string } | undefined;
  /** The sites of another module of the program, extracted with the same links (undefined while it is being extracted). */
  sitesOf(context: ExtractionContext): readonly RetrySite[] | undefined;
}

let links: ModuleLinks | undefined;

export function setModuleLinks(next: ModuleLinks | undefined): void {
  links = next;
}

export function moduleLinks(): ModuleLinks | undefined {
  return links;
}

/** The per-file path's links: relative imports, one hop (on in the CLI, off in the editor). */
export function setCrossModuleResolution(on: boolean): void {
  relativeModules.clear();
  links = on ? relativeLinks : undefined;
}

const relativeModules = new Map<string, ExtractionContext | null>();

function moduleContext(file: string): ExtractionContext | undefined {
  if (relativeModules.has(file)) return relativeModules.get(file) ?? undefined;
  let context: ExtractionContext | null = null;
  try {
    const stat = fs.statSync(file);
    if (stat.isFile() && stat.size <= MAX_MODULE_BYTES) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = parseText(text, file);
      if (parsed.ok) context = new ExtractionContext(text, new FileIndex(parsed.program), file);
    }
  } catch {
    context = null;
  }
  relativeModules.set(file, context);
  return context ?? undefined;
}

/**
 * The tree of `file` if this run already parsed it as an imported module and its text is
 * unchanged: a module imported by another file is then parsed once, not again when its own
 * turn comes.
 */
export function alreadyParsed(file: string, text: string): Program | undefined {
  const context = links === relativeLinks ? relativeModules.get(file) : undefined;
  return context && context.text === text ? context.index.program : undefined;
}

function resolveFile(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  // TypeScript ESM imports name the emitted `.js`; the source is `.ts`.
  const stems = /\.(c|m)?js$/.test(base) ? [base.replace(/\.(c|m)?js$/, '.$1ts').replace('..ts', '.ts'), base] : [base];
  for (const stem of stems) {
    for (const suffix of CANDIDATE_SUFFIXES) {
      const candidate = stem + suffix;
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/** `export const <name> = ...` or the default export, among a module's top-level statements. */
export function exportedInitializer(context: ExtractionContext, name: string): ExportedValue | undefined {
  for (const statement of context.index.program.body) {
    if (name === 'default' && statement.type === 'ExportDefaultDeclaration') return { node: statement.declaration as Node, context };
    if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'VariableDeclaration') continue;
    if (statement.declaration.kind !== 'const') continue;
    for (const declarator of statement.declaration.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.id.name === name && declarator.init) return { node: declarator.init, context };
    }
  }
  return undefined;
}

const relativeLinks: ModuleLinks = {
  maxHops: 1,
  importedValue(fromFile, specifier, name) {
    const file = resolveFile(fromFile, specifier);
    const context = file ? moduleContext(file) : undefined;
    return context ? exportedInitializer(context, name) : undefined;
  },
};

/** The value an import binding names, through whatever links are installed. */
export function importedValue(fromFile: string | undefined, specifier: string, name: string): ExportedValue | undefined {
  if (!links || !fromFile) return undefined;
  return links.importedValue(fromFile, specifier, name);
}
