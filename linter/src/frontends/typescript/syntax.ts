/**
 * ESTree node shapes and small structural predicates. The same code reads the tree from
 * oxc-parser and from ESLint's parsers (espree, @typescript-eslint/parser), so it
 * relies only on ESTree fields plus `range`.
 */
import type { TSESTree } from '@typescript-eslint/types';

export type Node = TSESTree.Node;
export type Expression = TSESTree.Expression;
export type CallExpression = TSESTree.CallExpression;
export type NewExpression = TSESTree.NewExpression;
export type ObjectExpression = TSESTree.ObjectExpression;
export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export type LoopNode = TSESTree.ForStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForOfStatement | TSESTree.ForInStatement;
export type Program = TSESTree.Program;

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  return (
    node?.type === 'FunctionDeclaration' ||
    node?.type === 'FunctionExpression' ||
    node?.type === 'ArrowFunctionExpression'
  );
}

export function isLoop(node: Node): node is LoopNode {
  return (
    node.type === 'ForStatement' ||
    node.type === 'WhileStatement' ||
    node.type === 'DoWhileStatement' ||
    node.type === 'ForOfStatement' ||
    node.type === 'ForInStatement'
  );
}

/** Strips wrappers that do not change a value: parentheses are not nodes; casts, `!`, `await` are. */
export function unwrap(node: Node): Node {
  let current: Node = node;
  for (;;) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'ChainExpression':
        current = current.expression as Node;
        break;
      case 'AwaitExpression':
        current = current.argument;
        break;
      default:
        return current;
    }
  }
}

/** Strips casts only (keeps `await`). */
export function stripCasts(node: Node): Node {
  let current: Node = node;
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'ChainExpression'
  ) {
    current = current.expression as Node;
  }
  return current;
}

/** The name of a non-computed property key or member property (`a.b`, `{ b: 1 }`, `{ 'b': 1 }`). */
export function propertyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `a.b.c` -> ['a', 'b', 'c']; `this.a` -> ['this', 'a']; undefined for anything dynamic. */
export function memberPath(node: Node): string[] | undefined {
  const current = stripCasts(node);
  if (current.type === 'Identifier') return [current.name];
  if (current.type === 'ThisExpression') return ['this'];
  // `(0, module_1.sleep)(ms)`: how compilers call an imported function without a `this`.
  if (current.type === 'SequenceExpression' && current.expressions.length === 2) {
    const [first, last] = current.expressions;
    if (first?.type === 'Literal' && first.value === 0 && last) return memberPath(last);
  }
  if (current.type === 'MemberExpression') {
    const name = propertyName(current.property, current.computed);
    if (name === undefined) return undefined;
    const head = memberPath(current.object);
    return head ? [...head, name] : undefined;
  }
  return undefined;
}

export function stringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const current = stripCasts(node);
  if (current.type === 'Literal' && typeof current.value === 'string') return current.value;
  if (current.type === 'TemplateLiteral' && current.expressions.length === 0) return current.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function isIdentifierNamed(node: Node | undefined, name: string): boolean {
  return node?.type === 'Identifier' && node.name === name;
}

/** The last property name of a callee (`a.b.create` -> 'create'), or the identifier's name. */
export function calleeTail(call: CallExpression | NewExpression): string | undefined {
  const callee = stripCasts(call.callee);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee.property, callee.computed);
  return undefined;
}

/** A property of an object literal by name (the last one wins, as at runtime). */
export function findProperty(object: ObjectExpression, name: string): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  for (const property of object.properties) {
    if (property.type === 'Property' && propertyName(property.key, property.computed) === name) found = property;
  }
  return found;
}

export function hasSpread(object: ObjectExpression): boolean {
  return object.properties.some((property) => property.type === 'SpreadElement');
}

/** Statements that never complete normally at their end (throw, return, break, continue). */
export function alwaysExits(node: Node | null | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'ThrowStatement':
    case 'ReturnStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return true;
    case 'BlockStatement':
      return node.body.some((statement) => alwaysExits(statement));
    case 'IfStatement':
      return alwaysExits(node.consequent) && alwaysExits(node.alternate);
    default:
      return false;
  }
}

/** Statements that leave the loop or the function (throw, return, break), never continue. */
export function alwaysLeaves(node: Node | null | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'ThrowStatement':
    case 'ReturnStatement':
    case 'BreakStatement':
      return true;
    case 'ExpressionStatement':
      return false;
    case 'BlockStatement': {
      for (const statement of node.body) {
        if (statement.type === 'ContinueStatement') return false;
        if (alwaysLeaves(statement)) return true;
        if (alwaysExits(statement)) return false;
      }
      return false;
    }
    case 'IfStatement':
      return alwaysLeaves(node.consequent) && alwaysLeaves(node.alternate);
    default:
      return false;
  }
}
