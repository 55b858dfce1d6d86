/**
 * Questions answered by the TypeScript program: what an import names (through barrels,
 * `export *`, renames and path aliases), what a callee is, and which package type a
 * parameter or field is declared with. Answers are places in project files (a file and the
 * start of the declared name), which project-links.ts maps onto the TS-ESTree trees the
 * recognizers read.
 */
import type * as TsMorph from 'ts-morph';
import type { ProjectProgram } from './load-program.js';

type ts = typeof TsMorph.ts;
type TsNode = TsMorph.ts.Node;
type TsSymbol = TsMorph.ts.Symbol;

export interface DeclarationPlace {
  readonly file: string;
  /** Where the declared name starts (the `default` export: where its expression starts). */
  readonly nameStart: number;
}

export interface PackageExport {
  /** The package (`openai`, `@anthropic-ai/sdk`). */
  readonly module: string;
  /** The export (`OpenAI`, `default`). */
  readonly name: string;
}

const MAX_ALIAS_STEPS = 16;

/** The innermost node that spans exactly [start, end). */
export function nodeAtRange(ts: ts, sourceFile: TsMorph.ts.SourceFile, start: number, end: number): TsNode | undefined {
  let found: TsNode | undefined;
  const visit = (node: TsNode): void => {
    if (node.end < end || node.pos > start) return;
    if (node.getStart(sourceFile) === start && node.end === end) found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}

/** The symbol a name or a member access refers to. */
function symbolOf(project: ProjectProgram, node: TsNode): TsSymbol | undefined {
  const { ts } = project;
  const checker = project.checker();
  let target = node;
  while (ts.isParenthesizedExpression(target) || ts.isAsExpression(target) || ts.isNonNullExpression(target) || ts.isSatisfiesExpression(target)) {
    target = target.expression;
  }
  if (ts.isPropertyAccessExpression(target)) return checker.getSymbolAtLocation(target.name);
  return checker.getSymbolAtLocation(target);
}

/** Follows import and export aliases to the symbol that declares the value. */
function resolveAliases(project: ProjectProgram, symbol: TsSymbol): TsSymbol | undefined {
  const { ts } = project;
  const checker = project.checker();
  let current = symbol;
  for (let step = 0; step < MAX_ALIAS_STEPS && current.flags & ts.SymbolFlags.Alias; step++) {
    const next = checker.getImmediateAliasedSymbol(current);
    if (!next || next === current || next.flags & ts.SymbolFlags.ValueModule) return next === current ? undefined : next;
    current = next;
  }
  return current.flags & ts.SymbolFlags.Alias ? undefined : current;
}

/** Where a resolved symbol is declared, if that is a project source file. */
function placeOf(project: ProjectProgram, symbol: TsSymbol | undefined): { declaration: TsNode; place: DeclarationPlace } | undefined {
  const { ts } = project;
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  const sourceFile = declaration.getSourceFile();
  if (sourceFile.isDeclarationFile) return undefined;
  const named = declaration as TsNode & { name?: TsNode };
  const anchor = ts.isExportAssignment(declaration) ? declaration.expression : named.name ?? declaration;
  return { declaration, place: { file: sourceFile.fileName, nameStart: anchor.getStart(sourceFile) } };
}

/** The declaration `name` exported by `specifier` names, as imported into `fromFile`. */
export function exportedDeclaration(project: ProjectProgram, fromFile: string, specifier: string, name: string): DeclarationPlace | undefined {
  const { ts } = project;
  const sourceFile = project.sourceFile(fromFile);
  if (!sourceFile) return undefined;
  const checker = project.checker();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== specifier) continue;
    const moduleSymbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!moduleSymbol) return undefined;
    const exported = checker.tryGetMemberInModuleExports(name, moduleSymbol);
    const resolved = exported ? resolveAliases(project, exported) : undefined;
    return placeOf(project, resolved)?.place;
  }
  return undefined;
}

/** The function, method or variable a callee (`ask`, `this.llm.ask`, `service.run`) refers to. */
export function calleeDeclaration(project: ProjectProgram, file: string, start: number, end: number): DeclarationPlace | undefined {
  const sourceFile = project.sourceFile(file);
  const node = sourceFile ? nodeAtRange(project.ts, sourceFile, start, end) : undefined;
  const symbol = node ? symbolOf(project, node) : undefined;
  const resolved = symbol ? resolveAliases(project, symbol) : undefined;
  return placeOf(project, resolved)?.place;
}

/**
 * The package export an expression's declared type names: `client: OpenAI`, a parameter
 * property `private readonly llm: LlmClient` where `type LlmClient = OpenAI` lives in another
 * module, a field of an interface typed so. Read from the declarations, not from the type
 * (the package's own declarations are never loaded).
 */
export function declaredPackageType(project: ProjectProgram, file: string, start: number, end: number): PackageExport | undefined {
  const { ts } = project;
  const sourceFile = project.sourceFile(file);
  const node = sourceFile ? nodeAtRange(ts, sourceFile, start, end) : undefined;
  const symbol = node ? symbolOf(project, node) : undefined;
  const declaration = symbol?.valueDeclaration;
  if (!declaration) return undefined;
  const typed = declaration as TsNode & { type?: TsMorph.ts.TypeNode };
  return typed.type ? packageOfTypeNode(project, typed.type, 0) : undefined;
}

function packageOfTypeNode(project: ProjectProgram, typeNode: TsMorph.ts.TypeNode, depth: number): PackageExport | undefined {
  const { ts } = project;
  if (depth > 6 || !ts.isTypeReferenceNode(typeNode) || !ts.isIdentifier(typeNode.typeName)) return undefined;
  const checker = project.checker();
  let symbol = checker.getSymbolAtLocation(typeNode.typeName);
  for (let step = 0; symbol && step < MAX_ALIAS_STEPS; step++) {
    const declaration = symbol.declarations?.[0];
    if (!declaration) return undefined;
    if (ts.isTypeAliasDeclaration(declaration)) return packageOfTypeNode(project, declaration.type, depth + 1);
    if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
    const external = unresolvedImport(project, declaration);
    if (external) return external;
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return undefined;
}

/** `import OpenAI from 'openai'` / `import { OpenAI as Client } from 'openai'`, when the package is not part of the program. */
function unresolvedImport(project: ProjectProgram, declaration: TsNode): PackageExport | undefined {
  const { ts } = project;
  let importDeclaration: TsNode | undefined = declaration;
  while (importDeclaration && !ts.isImportDeclaration(importDeclaration)) importDeclaration = importDeclaration.parent;
  if (!importDeclaration || !ts.isImportDeclaration(importDeclaration) || !ts.isStringLiteral(importDeclaration.moduleSpecifier)) return undefined;
  if (project.checker().getSymbolAtLocation(importDeclaration.moduleSpecifier)) return undefined;
  const module = importDeclaration.moduleSpecifier.text;
  if (ts.isImportClause(declaration)) return { module, name: 'default' };
  if (ts.isImportSpecifier(declaration)) return { module, name: (declaration.propertyName ?? declaration.name).text };
  return undefined;
}
