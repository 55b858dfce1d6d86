/**
 * Constant evaluation of the expressions retry code is configured with: literals,
 * arithmetic, `Math.min/max/pow`, `Infinity`, module and local constants, parameter
 * defaults, `??` / `||` defaults, properties of constant object literals (through
 * same-file spreads), destructured options and `this.x` class field initializers.
 * Anything else is undefined (unknown): precision before recall.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ExportedValue } from './cross-module.js';
import type { FileIndex, ImportBinding } from './file-index.js';
import { findProperty, memberPath, propertyName, stringValue, stripCasts, type Node } from './syntax.js';
import { walk } from './walk.js';

const MAX_DEPTH = 12;

function isThisMember(node: Node, name: string): boolean {
  return node.type === 'MemberExpression' && stripCasts(node.object).type === 'ThisExpression' && propertyName(node.property, node.computed) === name;
}

/** Reads what an import names in its own module (the extraction context decides how far imports are followed). */
export type ImportReader = <T>(binding: ImportBinding, read: (exported: ExportedValue) => T | undefined) => T | undefined;

export class Evaluator {
  constructor(
    private readonly index: FileIndex,
    private readonly throughImport?: ImportReader,
  ) {}

  number(expression: Node | undefined, depth = 0): number | undefined {
    if (!expression || depth > MAX_DEPTH) return undefined;
    const node = stripCasts(expression);
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'number' ? node.value : undefined;
      case 'UnaryExpression': {
        const value = this.number(node.argument, depth + 1);
        if (value === undefined) return undefined;
        if (node.operator === '-') return -value;
        if (node.operator === '+') return value;
        return undefined;
      }
      case 'BinaryExpression': {
        if (node.left.type === 'PrivateIdentifier') return undefined;
        const left = this.number(node.left, depth + 1);
        const right = left === undefined ? undefined : this.number(node.right, depth + 1);
        if (left === undefined || right === undefined) return undefined;
        switch (node.operator) {
          case '+': return left + right;
          case '-': return left - right;
          case '*': return left * right;
          case '/': return right === 0 ? undefined : left / right;
          case '%': return right === 0 ? undefined : left % right;
          case '**': return left ** right;
          default: return undefined;
        }
      }
      case 'LogicalExpression': {
        // `options.maxRetries ?? 3`, `process.env.RETRIES || 3`: the code's default holds unless the caller overrides it.
        if (node.operator !== '??' && node.operator !== '||') return undefined;
        const left = this.number(node.left, depth + 1);
        if (left !== undefined && !(node.operator === '||' && left === 0)) return left;
        return this.number(node.right, depth + 1);
      }
      case 'CallExpression': {
        const path = memberPath(node.callee);
        if (!path || path.length !== 2 || path[0] !== 'Math') return undefined;
        if (this.index.lookup('Math', node)) return undefined;
        const args = node.arguments.map((argument) => this.number(argument, depth + 1));
        if (args.some((value) => value === undefined)) return undefined;
        const values = args as number[];
        if (path[1] === 'min' && values.length > 0) return Math.min(...values);
        if (path[1] === 'max' && values.length > 0) return Math.max(...values);
        if (path[1] === 'pow' && values.length === 2) return values[0] ** values[1];
        if (path[1] === 'round' && values.length === 1) return Math.round(values[0]);
        if (path[1] === 'floor' && values.length === 1) return Math.floor(values[0]);
        if (path[1] === 'ceil' && values.length === 1) return Math.ceil(values[0]);
        return undefined;
      }
      case 'Identifier':
        return this.identifier(node.name, node, depth);
      case 'MemberExpression':
        return this.member(node, depth);
      case 'ConditionalExpression':
      default:
        return undefined;
    }
  }

  private identifier(name: string, at: Node, depth: number): number | undefined {
    const declaration = this.index.lookup(name, at);
    if (!declaration) {
      if (name === 'Infinity') return Infinity;
      return undefined;
    }
    if (declaration.kind === 'parameter') return this.number(declaration.defaultValue, depth + 1);
    if (declaration.kind === 'import') return this.throughImport?.(declaration.binding, (exported) => exported.context.evaluate.number(exported.node, depth + 1));
    if (declaration.kind === 'variable') {
      if (!declaration.constant && this.index.reassigned.has(name)) return undefined;
      return this.number(declaration.init, depth + 1);
    }
    if (declaration.kind === 'destructured') {
      if (!declaration.constant && this.index.reassigned.has(name)) return undefined;
      const object = this.objectLiteral(declaration.init, depth + 1);
      if (!object) return undefined;
      const found = this.propertyThroughSpreads(object, declaration.key);
      return found ? this.number(found.property.value, depth + 1) : this.number(declaration.defaultValue, depth + 1);
    }
    return undefined;
  }

  /**
   * The property that sets `name`, the last one as at runtime, also inside spread objects this
   * file defines (`{ ...DEFAULT_OPTIONS, ...options }`): their values hold unless the caller's
   * spread overrides them, so they are read as the code's defaults.
   */
  propertyThroughSpreads(object: TSESTree.ObjectExpression, name: string, depth = 0): { property: TSESTree.Property; viaSpread: boolean } | undefined {
    let found: { property: TSESTree.Property; viaSpread: boolean } | undefined;
    for (const property of object.properties) {
      if (property.type === 'SpreadElement') {
        const spread = depth < 3 ? this.objectLiteral(property.argument) : undefined;
        const inner = spread && spread !== object ? this.propertyThroughSpreads(spread, name, depth + 1) : undefined;
        if (inner) found = { property: inner.property, viaSpread: true };
      } else if (propertyName(property.key, property.computed) === name) {
        found = { property, viaSpread: false };
      }
    }
    return found;
  }

  private member(node: TSESTree.MemberExpression, depth: number): number | undefined {
    const path = memberPath(node);
    if (path && path.length === 2 && path[0] === 'Number' && !this.index.lookup('Number', node)) {
      if (path[1] === 'POSITIVE_INFINITY') return Infinity;
      if (path[1] === 'MAX_SAFE_INTEGER') return Number.MAX_SAFE_INTEGER;
      return undefined;
    }
    const name = propertyName(node.property, node.computed);
    if (name === undefined) return undefined;
    const object = this.objectLiteral(node.object, depth + 1);
    if (object) {
      const property = this.propertyThroughSpreads(object, name)?.property;
      return property ? this.number(property.value, depth + 1) : undefined;
    }
    const imported = this.importedObject(node.object);
    if (imported) {
      return this.throughImport?.(imported, (exported) => {
        const other = exported.context.evaluate;
        const literal = other.objectLiteral(exported.node, depth + 1);
        const property = literal ? other.propertyThroughSpreads(literal, name)?.property : undefined;
        return property ? other.number(property.value, depth + 1) : undefined;
      });
    }
    if (stripCasts(node.object).type === 'ThisExpression') return this.number(this.classFieldInit(node, name), depth + 1);
    return undefined;
  }

  /** The import binding of `CONFIG` in `CONFIG.retries`, when the object is imported. */
  private importedObject(expression: Node): ImportBinding | undefined {
    const node = stripCasts(expression);
    if (node.type !== 'Identifier') return undefined;
    const declaration = this.index.lookup(node.name, node);
    return declaration?.kind === 'import' ? declaration.binding : undefined;
  }

  /** The object literal an expression stands for (`CONFIG`, `CONFIG.retry`, `{...}`). */
  objectLiteral(expression: Node | undefined, depth = 0): TSESTree.ObjectExpression | undefined {
    if (!expression || depth > MAX_DEPTH) return undefined;
    const node = stripCasts(expression);
    if (node.type === 'ObjectExpression') return node;
    if (node.type === 'Identifier') {
      const declaration = this.index.lookup(node.name, node);
      if (declaration?.kind === 'variable' && declaration.init && (declaration.constant || !this.index.reassigned.has(node.name))) {
        return this.objectLiteral(declaration.init, depth + 1);
      }
      if (declaration?.kind === 'parameter') return this.objectLiteral(declaration.defaultValue, depth + 1);
      return undefined;
    }
    if (node.type === 'MemberExpression') {
      const name = propertyName(node.property, node.computed);
      if (name !== undefined && stripCasts(node.object).type === 'ThisExpression') return this.objectLiteral(this.classFieldInit(node, name), depth + 1);
      const object = name === undefined ? undefined : this.objectLiteral(node.object, depth + 1);
      const property = object && name !== undefined ? findProperty(object, name) : undefined;
      return property ? this.objectLiteral(property.value, depth + 1) : undefined;
    }
    return undefined;
  }

  /**
   * `this.x`: the field's initializer, or the one value the class assigns to it
   * (`constructor({ maxRetries = 2 } = {}) { this.maxRetries = maxRetries; }`, as compiled
   * classes spell fields).
   */
  private classFieldInit(node: Node, name: string): Node | undefined {
    let current = this.index.parents.get(node);
    while (current && current.type !== 'ClassBody') current = this.index.parents.get(current);
    if (!current) return undefined;
    for (const member of current.body) {
      if (member.type === 'PropertyDefinition' && !member.computed && propertyName(member.key, false) === name && member.value) {
        return member.value;
      }
    }
    const assigned: Node[] = [];
    let plain = true;
    walk(current, (inner) => {
      if (inner.type === 'AssignmentExpression' && isThisMember(inner.left, name)) {
        if (inner.operator === '=') assigned.push(inner.right);
        else plain = false;
      }
      if (inner.type === 'UpdateExpression' && isThisMember(inner.argument, name)) plain = false;
      return plain;
    });
    return plain && assigned.length === 1 ? assigned[0] : undefined;
  }

  /** A string literal, or a constant (`const RETRY_AFTER = 'Retry-After'`, `HEADERS.retryAfter`) that holds one. */
  string(expression: Node | undefined, depth = 0): string | undefined {
    if (!expression || depth > MAX_DEPTH) return undefined;
    const literal = stringValue(expression);
    if (literal !== undefined) return literal;
    const node = stripCasts(expression);
    if (node.type === 'Identifier') {
      const init = this.index.constantInit(node);
      if (init) return this.string(init, depth + 1);
      const imported = this.importedObject(node);
      return imported ? this.throughImport?.(imported, (exported) => exported.context.evaluate.string(exported.node, depth + 1)) : undefined;
    }
    if (node.type === 'MemberExpression') {
      const name = propertyName(node.property, node.computed);
      const object = name === undefined ? undefined : this.objectLiteral(node.object, depth + 1);
      const property = object && name !== undefined ? findProperty(object, name) : undefined;
      return property ? this.string(property.value, depth + 1) : undefined;
    }
    return undefined;
  }

  boolean(expression: Node | undefined): boolean | undefined {
    if (!expression) return undefined;
    const node = stripCasts(expression);
    if (node.type === 'Literal' && typeof node.value === 'boolean') return node.value;
    if (node.type === 'Identifier') {
      const init = this.index.constantInit(node);
      return init ? this.boolean(init) : undefined;
    }
    return undefined;
  }
}
