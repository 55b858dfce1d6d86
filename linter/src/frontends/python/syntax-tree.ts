/**
 * A plain-JavaScript copy of the tree-sitter tree, built in one cursor pass.
 *
 * Reading a tree-sitter node from JS costs about a microsecond per property access, so the
 * recognizers never touch tree-sitter nodes: they walk these objects. Subtrees that cannot
 * matter (large statements with no retry/HTTP vocabulary, pathological nesting) are kept as
 * opaque leaves so generated files stay linear and shallow.
 */
import { chargeWork } from '../work-budget.js';
import type { PyEdit, PyTree, PyTreeCursor } from './parser.js';

export interface PyNode {
  readonly type: string;
  readonly named: boolean;
  /** The grammar field this node fills in its parent (`function`, `arguments`...). */
  readonly field: string | null;
  /** UTF-16 offsets (web-tree-sitter parses JS strings as UTF-16). */
  readonly start: number;
  readonly end: number;
  readonly children: PyNode[];
  readonly parent: PyNode | null;
  /** Children were not copied. */
  opaque: boolean;
  /** The subtree holds an ERROR or MISSING node. */
  hasError: boolean;
}

/** Deeper than this the tree is not copied (and not analysed): recursion stays safe. */
const MAX_DEPTH = 300;
/** Statements longer than this are copied only when they mention something we look for. */
const LARGE_NODE = 4000;

/**
 * Offsets where retry/HTTP vocabulary occurs, found with one regex pass over the text, so
 * "does this range mention any of it" is a binary search.
 */
export class VocabularyIndex {
  private readonly positions: number[] = [];

  constructor(text: string, pattern: RegExp) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of text.matchAll(global)) this.positions.push(match.index ?? 0);
  }

  get isEmpty(): boolean {
    return this.positions.length === 0;
  }

  mentions(start: number, end: number): boolean {
    let low = 0;
    let high = this.positions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.positions[mid] < start) low = mid + 1;
      else high = mid;
    }
    return low < this.positions.length && this.positions[low] < end;
  }
}

/** The children of every leaf: one shared (frozen) array instead of an empty one per leaf. */
const NO_CHILDREN = Object.freeze([]) as unknown as PyNode[];

function appendChild(parent: PyNode, child: PyNode): void {
  if (parent.children === NO_CHILDREN) (parent as { children: PyNode[] }).children = [child];
  else parent.children.push(child);
}

/**
 * Brackets and separators: no recognizer reads them (operators and keywords such as `in`,
 * `not`, `async` are kept), and they are a quarter of a tree's nodes. Kept when the tree has
 * a syntax error, where a MISSING `)` is the error a site's range is tested against.
 */
const PUNCTUATION: ReadonlySet<string> = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';']);

/**
 * Node types and field names by id, read from the cursor the first time an id is seen: each
 * cursor read is a call into the runtime, and a number costs less than a string.
 */
class TreeCopier {
  private readonly types: string[] = [];
  private readonly named: boolean[] = [];
  private readonly skipped: boolean[] = [];
  private readonly fields: (string | null)[] = [null];

  constructor(
    private readonly cursor: PyTreeCursor,
    private readonly treeHasError: boolean,
  ) {}

  /** The type id of the node under the cursor, or of the first sibling after it that is copied; -1 when none is. */
  private copiedTypeId(): number {
    const cursor = this.cursor;
    for (;;) {
      const typeId = cursor.nodeTypeId;
      if (this.types[typeId] === undefined) {
        const type = cursor.nodeType;
        this.types[typeId] = type;
        this.named[typeId] = cursor.nodeIsNamed;
        this.skipped[typeId] = !this.treeHasError && !this.named[typeId] && PUNCTUATION.has(type);
      }
      if (!this.skipped[typeId]) return typeId;
      if (!cursor.gotoNextSibling()) return -1;
    }
  }

  /** Copies the node under the cursor (or the next copied sibling) into `parent`; undefined when none is left. */
  copy(parent: PyNode | null): PyNode | undefined {
    const typeId = this.copiedTypeId();
    if (typeId < 0) return undefined;
    chargeWork();
    const cursor = this.cursor;
    const type = this.types[typeId];
    const fieldId = cursor.currentFieldId;
    let field = this.fields[fieldId];
    if (field === undefined) {
      field = cursor.currentFieldName;
      this.fields[fieldId] = field;
    }
    const node: PyNode = {
      type,
      named: this.named[typeId],
      field,
      start: cursor.startIndex,
      end: cursor.endIndex,
      children: NO_CHILDREN,
      parent,
      opaque: false,
      // A tree without errors has no MISSING node to ask about.
      hasError: this.treeHasError && (type === 'ERROR' || cursor.nodeIsMissing),
    };
    if (parent) appendChild(parent, node);
    return node;
  }
}

/**
 * The copy of an earlier tree of the same document, and the edit between the two texts: its
 * top-level statements that the edit did not touch are cloned from it (shifted by the edit)
 * instead of read again from the runtime.
 */
export interface EarlierCopy {
  readonly root: PyNode;
  readonly edit: PyEdit;
}

export function copyTree(tree: PyTree, vocabulary: VocabularyIndex, earlier?: EarlierCopy): PyNode {
  const cursor = tree.walk();
  const treeHasError = tree.rootNode.hasError;
  const copier = new TreeCopier(cursor, treeHasError);
  try {
    const root = copier.copy(null) as PyNode;
    // With a syntax error anywhere, error recovery may parse unchanged text differently.
    if (!earlier || treeHasError || earlier.root.hasError) {
      copySubtree(cursor, copier, root, vocabulary, 0);
      return root;
    }
    const statements = new TopLevelStatements(earlier);
    if (cursor.gotoFirstChild()) {
      for (let statement = copier.copy(root); statement; statement = cursor.gotoNextSibling() ? copier.copy(root) : undefined) {
        const clone = statements.cloneOf(statement, root);
        if (clone) root.children[root.children.length - 1] = clone;
        else copySubtree(cursor, copier, statement, vocabulary, 1);
      }
      cursor.gotoParent();
    }
    return root;
  } finally {
    cursor.delete?.();
  }
}

/** Copies the descendants of `top`, the node under the cursor; the cursor ends where it started. */
function copySubtree(cursor: PyTreeCursor, copier: TreeCopier, top: PyNode, vocabulary: VocabularyIndex, topDepth: number): void {
  let current = top;
  let depth = topDepth;
  for (;;) {
    const large = current.end - current.start > LARGE_NODE;
    const worthCopying = depth < MAX_DEPTH && (!large || depth === 0 || vocabulary.mentions(current.start, current.end));
    if (worthCopying && cursor.gotoFirstChild()) {
      const child = copier.copy(current);
      if (child) {
        current = child;
        depth++;
        continue;
      }
      // Only punctuation below: the cursor is on the last child.
      cursor.gotoParent();
    } else if (!worthCopying && cursor.gotoFirstChild()) {
      cursor.gotoParent();
      current.opaque = true;
      // Errors inside a skipped subtree still keep sites that contain it out.
      current.hasError ||= cursor.currentNode.hasError;
    }
    for (;;) {
      if (current === top) {
        if (top.hasError && top.parent) top.parent.hasError = true;
        return;
      }
      const parent = current.parent as PyNode;
      if (current.hasError) parent.hasError = true;
      const sibling = cursor.gotoNextSibling() ? copier.copy(parent) : undefined;
      if (sibling) {
        current = sibling;
        break;
      }
      cursor.gotoParent();
      current = parent;
      depth--;
    }
  }
}

/**
 * The earlier copy's top-level statements, found by where they sit. A statement of an
 * error-free tree with the same type and span, wholly before or after the edit, has the same
 * text, and at the top level the parser starts it from the same state: its subtree is the
 * same, only moved (test/linter/server/python-trees.test.ts compares against fresh copies).
 */
class TopLevelStatements {
  private readonly byStart = new Map<number, PyNode>();
  private readonly shift: number;

  constructor(private readonly earlier: EarlierCopy) {
    for (const statement of earlier.root.children) this.byStart.set(statement.start, statement);
    this.shift = earlier.edit.newEndIndex - earlier.edit.oldEndIndex;
  }

  cloneOf(statement: PyNode, root: PyNode): PyNode | undefined {
    const { edit } = this.earlier;
    const shift = statement.end <= edit.startIndex ? 0 : statement.start >= edit.newEndIndex ? this.shift : undefined;
    if (shift === undefined) return undefined;
    const old = this.byStart.get(statement.start - shift);
    if (!old || old.end + shift !== statement.end || old.type !== statement.type) return undefined;
    return cloneShifted(old, root, shift);
  }
}

function cloneShifted(node: PyNode, parent: PyNode, shift: number): PyNode {
  const clone: PyNode = {
    type: node.type,
    named: node.named,
    field: node.field,
    start: node.start + shift,
    end: node.end + shift,
    children: NO_CHILDREN,
    parent,
    opaque: node.opaque,
    hasError: node.hasError,
  };
  for (const child of node.children) appendChild(clone, cloneShifted(child, clone, shift));
  return clone;
}

export function childByField(node: PyNode, field: string): PyNode | undefined {
  for (const child of node.children) if (child.field === field) return child;
  return undefined;
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  return node.children.filter((child) => child.field === field);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((child) => child.named && child.type !== 'comment');
}

export function firstNamedChild(node: PyNode): PyNode | undefined {
  return node.children.find((child) => child.named && child.type !== 'comment');
}

/** Pre-order walk. `enter` returns false to skip a node's children. Iterative: no stack overflow. */
export function walk(root: PyNode, enter: (node: PyNode) => boolean | void): void {
  const stack: PyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as PyNode;
    chargeWork();
    if (enter(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}

/** Descendants of a type, not looking inside nested functions, lambdas or classes. */
export function findInScope(root: PyNode, types: ReadonlySet<string>): PyNode[] {
  const found: PyNode[] = [];
  walk(root, (node) => {
    if (node !== root && SCOPE_TYPES.has(node.type)) return false;
    if (types.has(node.type)) found.push(node);
    return true;
  });
  return found;
}

export const SCOPE_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);

export function ancestors(node: PyNode): PyNode[] {
  const result: PyNode[] = [];
  for (let current = node.parent; current; current = current.parent) result.push(current);
  return result;
}

/** The nearest enclosing function definition (not crossing into an outer one). */
export function enclosingFunction(node: PyNode): PyNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current;
    if (current.type === 'lambda' || current.type === 'class_definition') return undefined;
  }
  return undefined;
}

export function enclosingClass(node: PyNode): PyNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return current;
  }
  return undefined;
}

export function isAsyncFunction(fn: PyNode): boolean {
  return fn.children.some((child) => child.type === 'async');
}

/**
 * The outermost node whose span is exactly `start`..`end`, found by descending through the
 * children that contain it (binary search by offset): no walk of the whole tree per lookup.
 */
export function nodeWithSpan(root: PyNode, start: number, end: number): PyNode | undefined {
  let node: PyNode | undefined = root;
  while (node) {
    if (node.start === start && node.end === end) return node;
    if (node.start > start || node.end < end) return undefined;
    node = childContaining(node.children, start, end);
  }
  return undefined;
}

function childContaining(children: readonly PyNode[], start: number, end: number): PyNode | undefined {
  let low = 0;
  let high = children.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (children[mid].start <= start) low = mid + 1;
    else high = mid;
  }
  // Children touch at their edges (and zero-width ones share an offset): look a little to the left.
  for (let index = low - 1; index >= 0 && children[index].end >= start; index--) {
    const child = children[index];
    if (child.start <= start && end <= child.end) return child;
  }
  return undefined;
}

/**
 * Answers "is this node inside any of these regions" by binary search over the regions'
 * spans, merged once, instead of testing every region per node.
 */
export class RegionIndex {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(regions: readonly { readonly start: number; readonly end: number }[]) {
    const sorted = [...regions].sort((a, b) => a.start - b.start || b.end - a.end);
    for (const region of sorted) {
      const last = this.ends.length - 1;
      if (last >= 0 && region.start < this.ends[last]) this.ends[last] = Math.max(this.ends[last], region.end);
      else {
        this.starts.push(region.start);
        this.ends.push(region.end);
      }
    }
  }

  /** True when `start`..`end` lies within one region (as `isInside` tests it). */
  covers(start: number, end: number): boolean {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid] <= start) low = mid + 1;
      else high = mid;
    }
    return low > 0 && end <= this.ends[low - 1];
  }
}

export function isInside(inner: PyNode, outer: PyNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Unwraps parentheses and `await`. */
export function unwrap(node: PyNode): PyNode {
  let current = node;
  for (;;) {
    if (current.type === 'parenthesized_expression' || current.type === 'await') {
      const inner = firstNamedChild(current);
      if (!inner) return current;
      current = inner;
    } else return current;
  }
}

export function firstErrorNode(tree: PyTree): { start: number; end: number; missing: boolean; type: string } | undefined {
  let node = tree.rootNode;
  if (!node.hasError) return undefined;
  for (;;) {
    if (node.isError || node.isMissing) {
      return { start: node.startIndex, end: node.endIndex, missing: node.isMissing, type: node.type };
    }
    const next = node.children.find((child) => child !== null && (child.hasError || child.isMissing || child.isError));
    if (!next) return { start: node.startIndex, end: node.endIndex, missing: false, type: node.type };
    node = next;
  }
}
