/**
 * One iterative pass over an ESTree (no recursion: generated files nest deeply enough to
 * overflow the stack). Child keys come from typescript-eslint's visitor-keys table, which
 * covers plain ESTree and the TypeScript nodes.
 */
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { Node } from './syntax.js';
import { chargeWork } from '../work-budget.js';

const SKIPPED_KEYS = new Set(['parent', 'loc', 'range', 'tokens', 'comments', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments']);

const keysByType = new Map<string, readonly string[]>();

function childKeys(node: Node): readonly string[] {
  let keys = keysByType.get(node.type);
  if (!keys) {
    const known = (visitorKeys as Record<string, readonly string[] | undefined>)[node.type];
    if (!known) {
      // An unknown node type (a newer parser): fall back to its fields.
      return Object.keys(node).filter((key) => !SKIPPED_KEYS.has(key));
    }
    keys = known.filter((key) => !SKIPPED_KEYS.has(key));
    keysByType.set(node.type, keys);
  }
  return keys;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Calls `visit(node, parent)` for every node in document order. */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  // Two parallel stacks rather than one of {node, parent} pairs: no allocation per node.
  const nodes: Node[] = [root];
  const parents: (Node | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop();
    chargeWork();
    visit(node, parent);
    const keys = childKeys(node);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keys[k]];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          if (isNode(value[i])) {
            nodes.push(value[i]);
            parents.push(node);
          }
        }
      } else if (isNode(value)) {
        nodes.push(value);
        parents.push(node);
      }
    }
  }
}

/** Visits the nodes under `root` (itself included) without entering nested functions. */
export function walkWithinFunction(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    chargeWork();
    if (visit(node) === false) continue;
    if (node !== root && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')) continue;
    const keys = childKeys(node);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keys[k]];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push(value[i]);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
  }
}
