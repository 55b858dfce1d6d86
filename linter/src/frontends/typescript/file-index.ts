/**
 * What one pass over a file learns: parents, declarations per scope, import bindings and
 * the nodes the recognizers start from. Recognizers ask it what a name refers to.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { isFunction, isLoop, memberPath, propertyName, stringValue, stripCasts, unwrap, type CallExpression, type FunctionNode, type LoopNode, type NewExpression, type Node, type Program } from './syntax.js';
import { indexedOrder, type WalkOrder } from './walk.js';

export interface ImportBinding {
  /** Module specifier without a `node:` prefix. */
  readonly module: string;
  /** The export name; `*` for a namespace import or a whole `require(...)` result. */
  readonly imported: string;
  readonly viaRequire: boolean;
}

export type Declaration =
  | { readonly kind: 'variable'; readonly constant: boolean; readonly declarator: TSESTree.VariableDeclarator; readonly init?: Node }
  | { readonly kind: 'function'; readonly node: FunctionNode }
  | { readonly kind: 'parameter'; readonly fn: FunctionNode; readonly index: number; readonly defaultValue?: Node }
  | { readonly kind: 'import'; readonly binding: ImportBinding }
  | { readonly kind: 'class'; readonly body: TSESTree.ClassBody }
  /** `const { retries = 3 } = options`: the property `key` of `init`, or `defaultValue` when it is missing. */
  | { readonly kind: 'destructured'; readonly constant: boolean; readonly init: Node; readonly key: string; readonly defaultValue?: Node }
  | { readonly kind: 'other' };

/** A reference to something a module exports: `pRetry`, `pRetry.AbortError`, `ns.retry`. */
export interface ImportRef {
  readonly module: string;
  /** Export name then members: ['default'], ['AbortError'], ['default', 'exponentialDelay']; [] for the module object. */
  readonly path: readonly string[];
  readonly viaRequire: boolean;
}

export class FileIndex {
  /** The nodes in walk order: parents, and fast walks of this file's subtrees (walk.ts). */
  private readonly order: WalkOrder;
  readonly parents: { get(node: Node): Node | undefined } = { get: (node) => this.order.parentOf(node) };
  readonly loops: LoopNode[] = [];
  readonly calls: CallExpression[] = [];
  readonly news: NewExpression[] = [];
  readonly functions: FunctionNode[] = [];
  /** Names assigned after their declaration (`x = ...`, `x += ...`, `x++`). */
  readonly reassigned = new Set<string>();
  /** Every module the file imports or requires (lets a recognizer skip a file cheaply). */
  readonly importedModules = new Set<string>();
  /** Declarations by the walk-order index of their scope node. */
  private readonly scopes = new Map<number, Map<string, Declaration>>();
  /** Every name declared anywhere in the file: most lookups are of globals (`fetch`, `JSON`), answered without a climb. */
  private readonly declaredNames = new Set<string>();
  /** importRef answers by node: each call's callee is asked about by every recognizer. */
  private readonly importRefs = new Map<Node, ImportRef | undefined>();
  /** Methods and function-valued fields of each class, by name (`#wait` for private ones). */
  private readonly members = new Map<TSESTree.ClassBody, Map<string, FunctionNode>>();

  constructor(readonly program: Program) {
    this.order = indexedOrder(program);
    this.order.walkFrom(0, (node, parent) => this.index(node, parent));
  }

  private declare(at: Node, name: string, declaration: Declaration): void {
    // `export const x` / `export function f`: declared in the module, not in the export statement.
    const scope = at.type === 'ExportNamedDeclaration' || at.type === 'ExportDefaultDeclaration' ? (this.parents.get(at) ?? at) : at;
    const index = this.order.indexOf(scope);
    let names = this.scopes.get(index);
    if (!names) this.scopes.set(index, (names = new Map()));
    names.set(name, declaration);
    this.declaredNames.add(name);
  }

  private index(node: Node, parent: Node | undefined): void {
    switch (node.type) {
      case 'CallExpression':
        this.calls.push(node);
        return;
      case 'NewExpression':
        this.news.push(node);
        return;
      case 'ImportDeclaration':
        this.indexImport(node);
        return;
      case 'VariableDeclaration':
        this.indexVariables(node, parent);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.functions.push(node);
        if (node.type === 'FunctionDeclaration' && node.id && parent) this.declare(parent, node.id.name, { kind: 'function', node });
        node.params.forEach((param, index) => {
          for (const { name, defaultValue } of patternNames(param)) {
            this.declare(node, name, { kind: 'parameter', fn: node, index, ...(defaultValue ? { defaultValue } : {}) });
          }
        });
        return;
      case 'ClassDeclaration':
        if (node.id && parent) this.declare(parent, node.id.name, { kind: 'class', body: node.body });
        return;
      case 'MethodDefinition':
      case 'PropertyDefinition':
        this.indexMember(node, parent);
        return;
      case 'CatchClause':
        if (node.param) for (const { name } of patternNames(node.param)) this.declare(node, name, { kind: 'other' });
        return;
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier') this.reassigned.add(node.left.name);
        return;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.reassigned.add(node.argument.name);
        return;
      default:
        if (isLoop(node)) this.loops.push(node);
    }
  }

  private indexMember(node: TSESTree.MethodDefinition | TSESTree.PropertyDefinition, parent: Node | undefined): void {
    if (parent?.type !== 'ClassBody' || node.computed || !node.value || !isFunction(node.value)) return;
    if (node.type === 'MethodDefinition' && node.kind !== 'method') return;
    const name = propertyName(node.key, false);
    if (name === undefined) return;
    let names = this.members.get(parent);
    if (!names) this.members.set(parent, (names = new Map()));
    names.set(name, node.value);
  }

  private indexImport(node: TSESTree.ImportDeclaration): void {
    const module = normalizeModule(String(node.source.value));
    for (const specifier of node.specifiers) {
      const imported =
        specifier.type === 'ImportDefaultSpecifier'
          ? 'default'
          : specifier.type === 'ImportNamespaceSpecifier'
            ? '*'
            : (propertyName(specifier.imported, false) ?? '?');
      this.importedModules.add(module);
      this.declare(this.program, specifier.local.name, { kind: 'import', binding: { module, imported, viaRequire: false } });
    }
  }

  private indexVariables(node: TSESTree.VariableDeclaration, parent: Node | undefined): void {
    if (!parent) return;
    // `var` is function-scoped; the enclosing block is close enough for the rest.
    const scope = node.kind === 'var' ? this.functionScopeOf(parent) : parent;
    for (const declarator of node.declarations) {
      const required = declarator.init ? requiredModule(declarator.init) : undefined;
      if (declarator.id.type === 'Identifier') {
        if (required) {
          this.importedModules.add(required.module);
          this.declare(scope, declarator.id.name, { kind: 'import', binding: { ...required, viaRequire: true } });
        } else {
          this.declare(scope, declarator.id.name, {
            kind: 'variable',
            constant: node.kind === 'const',
            declarator,
            ...(declarator.init ? { init: declarator.init } : {}),
          });
        }
        continue;
      }
      if (declarator.id.type === 'ObjectPattern' && required && required.imported === '*') {
        for (const property of declarator.id.properties) {
          if (property.type !== 'Property') continue;
          const key = propertyName(property.key, property.computed);
          const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
          if (key && value.type === 'Identifier') {
            this.importedModules.add(required.module);
            this.declare(scope, value.name, { kind: 'import', binding: { module: required.module, imported: key, viaRequire: true } });
          }
        }
        continue;
      }
      if (declarator.id.type === 'ObjectPattern' && declarator.init && !required) {
        this.indexDestructuring(scope, declarator.id, declarator.init, node.kind === 'const');
        continue;
      }
      for (const { name } of patternNames(declarator.id)) this.declare(scope, name, { kind: 'other' });
    }
  }

  private indexDestructuring(scope: Node, pattern: TSESTree.ObjectPattern, init: Node, constant: boolean): void {
    for (const property of pattern.properties) {
      const key = property.type === 'Property' ? propertyName(property.key, property.computed) : undefined;
      const value = property.type === 'Property' ? property.value : undefined;
      const target = value?.type === 'AssignmentPattern' ? value.left : value;
      if (key !== undefined && target?.type === 'Identifier') {
        const defaultValue = value?.type === 'AssignmentPattern' ? { defaultValue: value.right } : {};
        this.declare(scope, target.name, { kind: 'destructured', constant, init, key, ...defaultValue });
      } else {
        for (const { name } of patternNames(property)) this.declare(scope, name, { kind: 'other' });
      }
    }
  }

  private functionScopeOf(node: Node): Node {
    let current: Node | undefined = node;
    while (current && !isFunction(current) && current.type !== 'Program') current = this.parents.get(current);
    return current ?? this.program;
  }

  /** The declaration a name refers to at a place in the file. */
  lookup(name: string, at: Node): Declaration | undefined {
    if (!this.declaredNames.has(name)) return undefined;
    for (let index = this.order.indexOf(at); index >= 0; index = this.order.parentIndexAt(index)) {
      const found = this.scopes.get(index)?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** What module export an expression refers to, following member accesses. */
  importRef(expression: Node): ImportRef | undefined {
    if (this.importRefs.has(expression)) return this.importRefs.get(expression);
    const ref = this.resolveImportRef(expression);
    this.importRefs.set(expression, ref);
    return ref;
  }

  private resolveImportRef(expression: Node): ImportRef | undefined {
    const node = stripCasts(expression);
    if (node.type === 'Identifier') {
      const declaration = this.lookup(node.name, node);
      if (declaration?.kind === 'import') {
        const { module, imported, viaRequire } = declaration.binding;
        return { module, path: imported === '*' ? [] : [imported], viaRequire };
      }
      if (declaration?.kind === 'variable' && declaration.constant && declaration.init && declaration.init.type !== 'ObjectExpression') {
        const init = stripCasts(declaration.init);
        // `const retry = pRetry` / `const retry = require('p-retry').default`
        if (init.type === 'Identifier' || init.type === 'MemberExpression') return this.importRef(init);
      }
      return undefined;
    }
    if (node.type === 'MemberExpression') {
      const name = propertyName(node.property, node.computed);
      if (name === undefined) return undefined;
      const required = requiredModule(node);
      if (required) return { module: required.module, path: required.imported === '*' ? [] : [required.imported], viaRequire: true };
      const base = this.importRef(node.object);
      return base ? { ...base, path: [...base.path, name] } : undefined;
    }
    if (node.type === 'CallExpression') {
      const required = requiredModule(node);
      if (required) return { module: required.module, path: [], viaRequire: true };
    }
    // `(0, p_retry_1.default)(...)`: how compilers call an import without a `this`.
    if (node.type === 'SequenceExpression' && node.expressions.length === 2) {
      const [first, last] = node.expressions;
      if (first?.type === 'Literal' && first.value === 0 && last) return this.importRef(last);
    }
    return undefined;
  }

  /** The function a callee or argument names: an inline function, or a declared one in this file. */
  functionOf(expression: Node | undefined, depth = 0): FunctionNode | undefined {
    if (!expression || depth > 5) return undefined;
    const node = stripCasts(expression);
    if (isFunction(node)) return node;
    if (node.type === 'Identifier') {
      const declaration = this.lookup(node.name, node);
      if (declaration?.kind === 'function') return declaration.node;
      if (declaration?.kind === 'variable' && declaration.constant && declaration.init) return this.functionOf(declaration.init, depth + 1);
    }
    if (node.type === 'MemberExpression' && !node.computed) return this.memberFunction(node);
    // `fn.bind(this)`
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && propertyName(node.callee.property, node.callee.computed) === 'bind') {
      return this.functionOf(node.callee.object, depth + 1);
    }
    return undefined;
  }

  /** `this.wait`, `this.#wait`, `Client.wait`: a method or function-valued field of a class in this file. */
  private memberFunction(node: TSESTree.MemberExpression): FunctionNode | undefined {
    const name = propertyName(node.property, false);
    if (name === undefined) return undefined;
    const object = stripCasts(node.object);
    let body: TSESTree.ClassBody | undefined;
    if (object.type === 'ThisExpression') {
      let current = this.parents.get(node);
      while (current && current.type !== 'ClassBody') current = this.parents.get(current);
      body = current;
    } else if (object.type === 'Identifier') {
      const declaration = this.lookup(object.name, object);
      if (declaration?.kind === 'class') body = declaration.body;
    }
    return body ? this.members.get(body)?.get(name) : undefined;
  }

  /** The innermost function around a node. */
  enclosingFunction(node: Node): FunctionNode | undefined {
    let current = this.parents.get(node);
    while (current) {
      if (isFunction(current)) return current;
      current = this.parents.get(current);
    }
    return undefined;
  }

  /** The initializer of a `const` (or never reassigned `let`) an identifier names. */
  constantInit(expression: Node): Node | undefined {
    const node = stripCasts(expression);
    if (node.type !== 'Identifier') return undefined;
    const declaration = this.lookup(node.name, node);
    if (declaration?.kind !== 'variable' || !declaration.init) return undefined;
    if (!declaration.constant && this.reassigned.has(node.name)) return undefined;
    return declaration.init;
  }
}

export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

const INTEROP_HELPERS = /^_*(?:importDefault|importStar|interopRequireDefault|interopRequireWildcard)$/;

/** `require('m')`, `require('m').x`, `await import('m')`: the module and export it yields. */
function requiredModule(expression: Node): { module: string; imported: string } | undefined {
  const node = unwrap(expression);
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') {
    const specifier = stringValue(node.arguments[0]);
    return specifier === undefined ? undefined : { module: normalizeModule(specifier), imported: '*' };
  }
  // tsc's and Babel's CJS interop: `__importDefault(require('m'))`, `tslib_1.__importStar(require('m'))`.
  if (node.type === 'CallExpression' && node.arguments.length === 1 && INTEROP_HELPERS.test(memberPath(node.callee)?.at(-1) ?? '')) {
    const inner = requiredModule(node.arguments[0]);
    return inner?.imported === '*' ? inner : undefined;
  }
  if (node.type === 'ImportExpression') {
    const specifier = stringValue(node.source);
    return specifier === undefined ? undefined : { module: normalizeModule(specifier), imported: '*' };
  }
  if (node.type === 'MemberExpression') {
    const inner = requiredModule(node.object);
    const name = propertyName(node.property, node.computed);
    if (inner && inner.imported === '*' && name) return { module: inner.module, imported: name };
  }
  return undefined;
}

/** The names a binding pattern declares, with a parameter's default value. */
export function patternNames(pattern: Node): { name: string; defaultValue?: Node }[] {
  switch (pattern.type) {
    case 'Identifier':
      return [{ name: pattern.name }];
    case 'AssignmentPattern':
      return patternNames(pattern.left).map((entry) =>
        pattern.left.type === 'Identifier' ? { ...entry, defaultValue: pattern.right } : entry,
      );
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) =>
        property.type === 'RestElement' ? patternNames(property.argument) : patternNames(property.value),
      );
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'TSParameterProperty':
      return patternNames(pattern.parameter);
    default:
      return [];
  }
}

/** True when `ref` names `exportName` of `module` (default exports also via CJS `require`). */
export function refersTo(ref: ImportRef | undefined, modules: readonly string[], exportName: string): boolean {
  if (!ref || !modules.includes(ref.module)) return false;
  const [first, second, ...rest] = ref.path;
  if (rest.length > 0) return false;
  if (exportName === 'default') {
    if (first === 'default' && second === undefined) return true;
    return first === undefined && ref.viaRequire;
  }
  if (first === exportName && second === undefined) return true;
  // CJS interop: `require('p-retry').AbortError`, `axiosRetry.exponentialDelay`.
  return first === 'default' && second === exportName;
}

export function isCall(node: Node): node is CallExpression {
  return node.type === 'CallExpression';
}
