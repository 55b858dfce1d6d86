/**
 * Incremental parsing for the open Python documents. The tree of each open document's last
 * lint is kept; on the next lint it is told where the text changed (the span between the
 * common prefix and the common suffix of the old and new text, which covers any series of
 * edits) and tree-sitter reparses only what that touches. An edited tree parses to the same
 * tree as a fresh parse (tree-sitter's contract; test/linter/server/python-trees.test.ts
 * checks the findings after many edits against a fresh lint). The frontend's copy of the tree
 * is kept too, so that the statements an edit did not touch are cloned instead of copied from
 * the runtime again. Files that are not open (a workspace lint) are parsed afresh and their
 * trees freed at once.
 */
import type { PythonTreeSource } from '../frontends/python/extract.js';
import type { EarlierCopy, PyNode } from '../frontends/python/syntax-tree.js';
import { deleteTree, parsePython, type PyEdit, type PyPoint, type PyTree } from '../frontends/python/parser.js';

interface KeptTree {
  text: string;
  tree: PyTree | undefined;
  /** The frontend's copy of `tree`, once made. */
  copy?: PyNode;
  /** The copy of the tree before the last edit, and that edit. */
  earlier?: EarlierCopy;
}

function pointAt(text: string, index: number): PyPoint {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}

/** The one edit that turns `before` into `after`. */
export function editBetween(before: string, after: string): PyEdit {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const oldEndIndex = before.length - suffix;
  const newEndIndex = after.length - suffix;
  return {
    startIndex: prefix,
    oldEndIndex,
    newEndIndex,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, oldEndIndex),
    newEndPosition: pointAt(after, newEndIndex),
  };
}

export class IncrementalPythonTrees implements PythonTreeSource {
  private readonly kept = new Map<string, KeptTree>();

  /** From now on the file's tree is kept between lints (the document was opened). */
  open(filePath: string): void {
    if (!this.kept.has(filePath)) this.kept.set(filePath, { text: '', tree: undefined });
  }

  /** The document was closed: its tree is freed. */
  close(filePath: string): void {
    const entry = this.kept.get(filePath);
    if (entry?.tree) deleteTree(entry.tree);
    this.kept.delete(filePath);
  }

  treeFor(text: string, filePath: string): PyTree | undefined {
    const entry = this.kept.get(filePath);
    if (!entry) return parsePython(text);
    if (entry.tree && entry.text === text) return entry.tree;
    const previous = entry.tree;
    let tree: PyTree | undefined;
    entry.earlier = undefined;
    if (previous) {
      const edit = editBetween(entry.text, text);
      previous.edit(edit);
      tree = parsePython(text, previous);
      deleteTree(previous);
      if (entry.copy) entry.earlier = { root: entry.copy, edit };
    } else {
      tree = parsePython(text);
    }
    entry.text = text;
    entry.tree = tree;
    entry.copy = undefined;
    return tree;
  }

  earlierCopy(tree: PyTree): EarlierCopy | undefined {
    return this.entryOf(tree)?.earlier;
  }

  keepCopy(tree: PyTree, root: PyNode): void {
    const entry = this.entryOf(tree);
    if (!entry) return;
    entry.copy = root;
    entry.earlier = undefined;
  }

  private entryOf(tree: PyTree): KeptTree | undefined {
    for (const entry of this.kept.values()) if (entry.tree === tree) return entry;
    return undefined;
  }

  release(tree: PyTree): void {
    if (!this.entryOf(tree)) deleteTree(tree);
  }
}
