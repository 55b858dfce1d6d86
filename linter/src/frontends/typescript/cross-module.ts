/**
 * Resolves an imported client across modules: `import { openai } from './clients'` where
 * `clients.ts` says `export const openai = new OpenAI({ maxRetries: 0 })`. Relative imports
 * only, one hop, files parsed once per run. Off by default (the editor stays fast); the
 * CLI turns it on. Values found there are facts; levers are not (a fix must not edit
 * another file through this one's spans).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ExtractionContext } from './context.js';
import { FileIndex } from './file-index.js';
import { parseText } from './parse.js';
import type { Node, Program } from './syntax.js';

const CANDIDATE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];
const MAX_MODULE_BYTES = 1_000_000;

export interface ExportedValue {
  readonly node: Node;
  /** The other module's context: evaluate the value there. */
  readonly context: ExtractionContext;
}

let enabled = false;
const modules = new Map<string, ExtractionContext | null>();

export function setCrossModuleResolution(on: boolean): void {
  enabled = on;
  if (!on) modules.clear();
}

function moduleContext(file: string): ExtractionContext | undefined {
  if (modules.has(file)) return modules.get(file) ?? undefined;
  let context: ExtractionContext | null = null;
  try {
    const stat = fs.statSync(file);
    if (stat.isFile() && stat.size <= MAX_MODULE_BYTES) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = parseText(text, file);
      if (parsed.ok) context = new ExtractionContext(text, new FileIndex(parsed.program));
    }
  } catch {
    context = null;
  }
  modules.set(file, context);
  return context ?? undefined;
}

/**
 * The tree of `file` if this run already parsed it as an imported module and its text is
 * unchanged: a module imported by another file is then parsed once, not again when its own
 * turn comes.
 */
export function alreadyParsed(file: string, text: string): Program | undefined {
  const context = enabled ? modules.get(file) : undefined;
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

/** The initializer of `export const <name> = ...` (or the default export) in a relative module. */
export function importedValue(fromFile: string | undefined, specifier: string, name: string): ExportedValue | undefined {
  if (!enabled || !fromFile) return undefined;
  const file = resolveFile(fromFile, specifier);
  const context = file ? moduleContext(file) : undefined;
  if (!context) return undefined;
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
