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

/**
 * A tree's nodes in walk order, each with its parent and the end of its subtree. The file
 * index builds one per file; later walks of a subtree of that tree then run over the array
 * (the recognizers walk each node about four times), and a parent is an index away.
 */
/**
 * Each node's position in the last order built over its tree, kept on the node itself: a
 * property is much cheaper to set and read than a Map entry per node. A symbol, so nothing
 * that lists or copies the node's fields sees it; an order checks that the position is its own.
 */
const POSITION = Symbol('walk-order position');
type Positioned = { [POSITION]?: number };

export class WalkOrder {
  private readonly nodes: Node[] = [];
  private readonly parentIndex: number[] = [];
  /** For each node, the index just past the last node of its subtree. */
  private readonly ends: number[] = [];

  constructor(root: Node) {
    const pending: Node[] = [root];
    const pendingParents: number[] = [-1];
    while (pending.length > 0) {
      const node = pending.pop()!;
      const parentIndex = pendingParents.pop()!;
      const index = this.nodes.length;
      this.nodes.push(node);
      this.parentIndex.push(parentIndex);
      this.ends.push(index + 1);
      (node as Positioned)[POSITION] = index;
      withRange(node);
      forEachChildReversed(node, (child) => {
        pending.push(child);
        pendingParents.push(index);
      });
    }
    for (let index = this.nodes.length - 1; index > 0; index--) {
      const parent = this.parentIndex[index];
      if (this.ends[index] > this.ends[parent]) this.ends[parent] = this.ends[index];
    }
    remember(this);
  }

  /** The node's parent in this tree (undefined for the root and for nodes outside the tree). */
  parentOf(node: Node): Node | undefined {
    const index = this.indexOf(node);
    const parent = index < 0 ? -1 : this.parentIndex[index];
    return parent < 0 ? undefined : this.nodes[parent];
  }

  /** The node's position in walk order, or -1 outside this tree. */
  indexOf(node: Node): number {
    const index = (node as Positioned)[POSITION];
    return index !== undefined && this.nodes[index] === node ? index : -1;
  }

  parentIndexAt(index: number): number {
    return this.parentIndex[index];
  }

  walkFrom(start: number, visit: (node: Node, parent: Node | undefined) => void): void {
    const end = this.ends[start];
    for (let index = start; index < end; index++) {
      chargeWork();
      visit(this.nodes[index], index === start ? undefined : this.nodes[this.parentIndex[index]]);
    }
  }

  walkWithinFunctionFrom(start: number, visit: (node: Node) => boolean | void): void {
    const end = this.ends[start];
    let index = start;
    while (index < end) {
      const node = this.nodes[index];
      chargeWork();
      const enter = visit(node) !== false && (index === start || !isFunctionNode(node));
      index = enter ? index + 1 : this.ends[index];
    }
  }
}

type Spanned = Node & { start?: number; end?: number };

/**
 * oxc's trees carry `start` and `end` only (asking it for `range` too costs a third more JSON to
 * deserialize); the recognizers read TS-ESTree's `range`, added here as the order is built, which
 * parse.ts does for every tree it returns. Trees from ESLint have it already.
 */
function withRange(node: Spanned): void {
  if (node.range === undefined && node.start !== undefined && node.end !== undefined) node.range = [node.start, node.end];
}

/**
 * The orders of the trees analysed last (a file and the modules it imports): a walk of a
 * subtree of one of them runs over its array. Any other tree is walked through its keys.
 */
const recentOrders: WalkOrder[] = [];
const RECENT_ORDERS = 4;

function remember(order: WalkOrder): void {
  recentOrders.unshift(order);
  if (recentOrders.length > RECENT_ORDERS) recentOrders.pop();
}

/** The order of the tree whose root is `root`: the one built last, or a new one. */
export function indexedOrder(root: Node): WalkOrder {
  const held = orderHolding(root);
  return held?.start === 0 ? held.order : new WalkOrder(root);
}

function orderHolding(root: Node): { order: WalkOrder; start: number } | undefined {
  for (const order of recentOrders) {
    const start = order.indexOf(root);
    if (start >= 0) return { order, start };
  }
  return undefined;
}

function isFunctionNode(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** Calls `push` with each child of `node`, last child first (so a stack pops them in order). */
function forEachChildReversed(node: Node, push: (child: Node) => void): void {
  const keys = childKeys(node);
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = (node as unknown as Record<string, unknown>)[keys[k]];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) push(value[i]);
    } else if (isNode(value)) {
      push(value);
    }
  }
}

/** Calls `visit(node, parent)` for every node in document order (the root's parent: undefined). */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  const flat = orderHolding(root);
  if (flat) {
    flat.order.walkFrom(flat.start, visit);
    return;
  }
  // Two parallel stacks rather than one of {node, parent} pairs: no allocation per node.
  const nodes: Node[] = [root];
  const parents: (Node | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop();
    chargeWork();
    visit(node, parent);
    forEachChildReversed(node, (child) => {
      nodes.push(child);
      parents.push(node);
    });
  }
}

/** Visits the nodes under `root` (itself included) without entering nested functions. */
export function walkWithinFunction(root: Node, visit: (node: Node) => boolean | void): void {
  const flat = orderHolding(root);
  if (flat) {
    flat.order.walkWithinFunctionFrom(flat.start, visit);
    return;
  }
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    chargeWork();
    if (visit(node) === false) continue;
    if (node !== root && isFunctionNode(node)) continue;
    forEachChildReversed(node, (child) => {
      stack.push(child);
    });
  }
}
