/**
 * Module links backed by the TypeScript program (project mode). The program answers where a
 * name is declared; the value is then read, like every other value, from that module's
 * TS-ESTree tree (parsed with the same parser as the file being linted), so the recognizers
 * need no second model of the code.
 */
import path from 'node:path';
import type { RetrySite } from '@retrylint/shared';
import { ExtractionContext } from '../context.js';
import type { ExportedValue, FunctionInModule, ModuleLinks, ProjectLinks } from '../cross-module.js';
import { extractFromProgram } from '../extract.js';
import { FileIndex } from '../file-index.js';
import { parseText } from '../parse.js';
import { isFunction, stripCasts, type FunctionNode, type Node } from '../syntax.js';
import { walk } from '../walk.js';
import { calleeDeclaration, declaredPackageType, exportedDeclaration, type DeclarationPlace } from './declarations.js';
import type { ProjectProgram } from './load-program.js';

const MAX_IMPORT_HOPS = 8;
const MAX_MODULE_CHARS = 2_000_000;

interface ModuleEntry {
  readonly context: ExtractionContext | undefined;
  sites?: readonly RetrySite[];
  extracting?: boolean;
}

export class ProgramLinks implements ModuleLinks, ProjectLinks {
  readonly maxHops = MAX_IMPORT_HOPS;
  readonly project: ProjectLinks = this;
  private readonly modules = new Map<string, ModuleEntry>();

  constructor(
    private readonly program: ProjectProgram,
    /** Findings name files relative to this folder (the CLI's working folder); default: the tsconfig's. */
    private readonly displayRoot: string = program.root,
  ) {}

  /** Forgets every module: the program changed in a way that may move declarations. */
  forgetAll(): void {
    this.modules.clear();
    this.importedPackages.clear();
  }

  displayPath(file: string): string {
    return path.relative(this.displayRoot, file).split(path.sep).join('/');
  }

  importedValue(fromFile: string, specifier: string, name: string): ExportedValue | undefined {
    const place = exportedDeclaration(this.program, fromFile, specifier, name);
    const found = place ? this.declaredNode(place) : undefined;
    if (!found) return undefined;
    const value = valueOfDeclaration(found.node, found.context);
    return value ? { node: value, context: found.context } : undefined;
  }

  calledFunction(context: ExtractionContext, callee: Node): FunctionInModule | undefined {
    if (!context.filePath) return undefined;
    const target = stripCasts(callee);
    if (target.type !== 'Identifier' && target.type !== 'MemberExpression') return undefined;
    // Answered by the file alone: a function of this file, a global (`console.log`, `Math.max`).
    const local = context.index.functionOf(target);
    if (local) return { fn: local, context };
    if (!mayNameAnotherModule(target, context)) return undefined;
    const place = calleeDeclaration(this.program, context.filePath, target.range[0], target.range[1]);
    const found = place ? this.declaredNode(place) : undefined;
    const fn = found ? functionOfDeclaration(found.node) : undefined;
    return fn && found ? { fn, context: found.context } : undefined;
  }

  declaredType(context: ExtractionContext, expression: Node, packages: readonly string[]): { module: string; name: string } | undefined {
    if (!context.filePath || !packages.some((name) => this.programImports(name))) return undefined;
    const target = stripCasts(expression);
    if (target.type !== 'Identifier' && !(target.type === 'MemberExpression' && stripCasts(target.object).type === 'ThisExpression')) return undefined;
    if (target.type === 'Identifier' && context.index.lookup(target.name, target)?.kind !== 'parameter') return undefined;
    return declaredPackageType(this.program, context.filePath, target.range[0], target.range[1]);
  }

  private readonly importedPackages = new Map<string, boolean>();

  /** Whether any file of the program imports the package: types from it can be declared only then. */
  private programImports(name: string): boolean {
    let imports = this.importedPackages.get(name);
    if (imports === undefined) {
      imports = this.program.program().getSourceFiles().some((file) => importsOf(file as unknown as ImportingFile).includes(name));
      this.importedPackages.set(name, imports);
    }
    return imports;
  }

  sitesOf(context: ExtractionContext): readonly RetrySite[] | undefined {
    const file = context.filePath;
    const entry = file ? this.entry(file) : undefined;
    if (!entry?.context || entry.extracting) return undefined;
    if (!entry.sites) {
      entry.extracting = true;
      try {
        entry.sites = extractFromProgram(entry.context.index.program, entry.context.text, file).sites;
      } finally {
        entry.extracting = false;
      }
    }
    return entry.sites;
  }

  /** The module's context, parsed from the program's text of the file. */
  moduleContext(file: string): ExtractionContext | undefined {
    return this.entry(file)?.context;
  }

  private entry(file: string): ModuleEntry | undefined {
    const key = path.resolve(file);
    let entry = this.modules.get(key);
    if (entry) return entry;
    const text = this.program.sourceFile(key)?.text;
    const parsed = text !== undefined && text.length <= MAX_MODULE_CHARS ? parseText(text, key) : undefined;
    entry = { context: parsed?.ok ? new ExtractionContext(text!, new FileIndex(parsed.program), key) : undefined };
    this.modules.set(key, entry);
    return entry;
  }

  private declaredNode(place: DeclarationPlace): { node: Node; context: ExtractionContext } | undefined {
    const context = this.moduleContext(place.file);
    const node = context ? declarationsByNameStart(context).get(place.nameStart) : undefined;
    return node && context ? { node, context } : undefined;
  }
}

/** The module specifiers a source file imports (TypeScript records them while building the program). */
interface ImportingFile {
  /** Not in TypeScript's public types, but set on every file of a built program. */
  readonly imports?: readonly { readonly text: string }[];
}

function importsOf(file: ImportingFile): string[] {
  return (file.imports ?? []).map((specifier) => specifier.text);
}

/**
 * Whether a callee can name a function of another module: an imported name, a member of an
 * import, of `this`, of a local or a parameter (an instance of an imported class). A global
 * (`console.log`, `JSON.parse`) cannot.
 */
function mayNameAnotherModule(callee: Node, context: ExtractionContext): boolean {
  let root: Node = callee;
  while (root.type === 'MemberExpression') root = stripCasts(root.object);
  if (root.type === 'ThisExpression') return callee.type === 'MemberExpression';
  if (root.type !== 'Identifier') return false;
  const declaration = context.index.lookup(root.name, root);
  if (!declaration) return false;
  return declaration.kind === 'import' || callee.type === 'MemberExpression';
}

/** Declarations of a module keyed by where their name starts (the TypeScript program's anchor). */
function declarationsByNameStart(context: ExtractionContext): Map<number, Node> {
  return context.memo('declarationsByNameStart', () => {
    const byStart = new Map<number, Node>();
    walk(context.index.program, (node) => {
      switch (node.type) {
        case 'VariableDeclarator':
          byStart.set(node.id.range[0], node);
          break;
        case 'FunctionDeclaration':
        case 'ClassDeclaration':
          if (node.id) byStart.set(node.id.range[0], node);
          break;
        case 'MethodDefinition':
        case 'PropertyDefinition':
        case 'Property':
          byStart.set(node.key.range[0], node);
          break;
        case 'ExportDefaultDeclaration':
          byStart.set(node.declaration.range[0], node.declaration as Node);
          break;
        default:
          break;
      }
    });
    return byStart;
  });
}

/** The value a declaration gives its name: a const's initializer, a function, a class. */
function valueOfDeclaration(node: Node, context: ExtractionContext): Node | undefined {
  if (node.type === 'VariableDeclarator') {
    const declaration = context.index.parents.get(node);
    return declaration?.type === 'VariableDeclaration' && declaration.kind === 'const' ? (node.init ?? undefined) : undefined;
  }
  if (node.type === 'PropertyDefinition' || node.type === 'Property' || node.type === 'MethodDefinition') return undefined;
  return node;
}

function functionOfDeclaration(node: Node): FunctionNode | undefined {
  if (isFunction(node)) return node;
  if (node.type === 'VariableDeclarator' && node.init && isFunction(stripCasts(node.init))) return stripCasts(node.init) as FunctionNode;
  if (node.type === 'MethodDefinition') return node.value as FunctionNode;
  if ((node.type === 'PropertyDefinition' || node.type === 'Property') && node.value && isFunction(stripCasts(node.value as Node))) {
    return stripCasts(node.value as Node) as FunctionNode;
  }
  return undefined;
}
