/**
 * What every recognizer needs about one file: its text, spans, import bindings and the
 * module-level definitions that values can be followed to.
 */
import { LineIndex, type Span } from '@retrylint/shared';
import { childByField, childrenByField, namedChildren, walk, type PyNode } from './syntax-tree.js';

export type IndexedKind = 'call' | 'loop' | 'function' | 'import' | 'rebinding';

const INDEXED_KINDS: ReadonlyMap<string, IndexedKind> = new Map([
  ['call', 'call'],
  ['for_statement', 'loop'],
  ['while_statement', 'loop'],
  ['function_definition', 'function'],
  ['import_statement', 'import'],
  ['import_from_statement', 'import'],
  ['augmented_assignment', 'rebinding'],
  ['global_statement', 'rebinding'],
]);

export class FileContext {
  private lineIndex: LineIndex | undefined;
  /** Local name -> dotted qualified name (`r` -> `tenacity.retry`, `t` -> `tenacity`). */
  readonly imports = new Map<string, string>();
  /** Module-level names assigned exactly once -> the assigned expression. */
  readonly constants = new Map<string, PyNode>();
  readonly classes = new Map<string, PyNode>();
  /** Module-level functions by name. */
  readonly functions = new Map<string, PyNode>();

  private readonly byKind = new Map<IndexedKind, PyNode[]>();

  constructor(
    readonly text: string,
    readonly root: PyNode,
  ) {
    this.indexNodes();
    this.indexImports();
    this.indexModuleLevel();
  }

  /** Every node of a kind in the file, in document order (what a walk of the file would visit). */
  nodesOf(kind: IndexedKind): readonly PyNode[] {
    return this.byKind.get(kind) ?? [];
  }

  /** One walk of the file for all the recognizers that look at every call, loop or function. */
  private indexNodes(): void {
    walk(this.root, (node) => {
      const kind = INDEXED_KINDS.get(node.type);
      if (!kind) return;
      let nodes = this.byKind.get(kind);
      if (!nodes) this.byKind.set(kind, (nodes = []));
      nodes.push(node);
    });
  }

  /** Built on the first span: most files have no site, and so never need one. */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  textOf(node: PyNode): string {
    return this.text.slice(node.start, node.end);
  }

  span(node: PyNode): Span {
    return this.lines.span(node.start, node.end);
  }

  spanOf(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  /**
   * The dotted name an identifier or attribute chain refers to through the imports, or
   * undefined when its root is not an imported name (a local, a parameter, `self`).
   */
  qualify(node: PyNode | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier') return this.imports.get(this.textOf(node));
    if (node.type === 'attribute') {
      const object = childByField(node, 'object');
      const attribute = childByField(node, 'attribute');
      const base = this.qualify(object);
      return base && attribute ? `${base}.${this.textOf(attribute)}` : undefined;
    }
    return undefined;
  }

  /** True when the module imports anything from `module` (or a submodule). */
  importsModule(module: string): boolean {
    for (const qualified of this.imports.values()) {
      if (qualified === module || qualified.startsWith(`${module}.`)) return true;
    }
    return false;
  }

  /** The local name bound to a qualified name, if any (`wait_random_exponential`). */
  localNameFor(qualified: string): string | undefined {
    for (const [local, target] of this.imports) if (target === qualified) return local;
    return undefined;
  }

  private indexImports(): void {
    for (const node of this.nodesOf('import')) {
      if (node.type === 'import_statement') {
        for (const child of childrenByField(node, 'name')) this.bindImport(child, '');
        continue;
      }
      const moduleNode = childByField(node, 'module_name');
      if (!moduleNode || moduleNode.type === 'relative_import') continue;
      const module = this.textOf(moduleNode).replace(/\s+/g, '');
      for (const child of childrenByField(node, 'name')) this.bindImport(child, `${module}.`);
    }
  }

  private bindImport(child: PyNode, prefix: string): void {
    if (child.type === 'dotted_name') {
      const dotted = this.textOf(child).replace(/\s+/g, '');
      // `import a.b` binds `a`; `from m import x` binds `x`.
      const local = prefix ? dotted : dotted.split('.')[0];
      this.imports.set(local, prefix ? `${prefix}${dotted}` : local);
    } else if (child.type === 'aliased_import') {
      const name = childByField(child, 'name');
      const alias = childByField(child, 'alias');
      if (name && alias) this.imports.set(this.textOf(alias), `${prefix}${this.textOf(name).replace(/\s+/g, '')}`);
    }
  }

  private indexModuleLevel(): void {
    const assignedCount = new Map<string, number>();
    for (const statement of namedChildren(this.root)) {
      const definition = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
      if (!definition) continue;
      if (definition.type === 'function_definition') {
        const name = childByField(definition, 'name');
        if (name) this.functions.set(this.textOf(name), definition);
      } else if (definition.type === 'class_definition') {
        const name = childByField(definition, 'name');
        if (name) this.classes.set(this.textOf(name), definition);
      } else if (definition.type === 'expression_statement') {
        const assignment = namedChildren(definition)[0];
        if (assignment?.type !== 'assignment') continue;
        const left = childByField(assignment, 'left');
        const right = childByField(assignment, 'right');
        if (left?.type !== 'identifier') continue;
        const name = this.textOf(left);
        assignedCount.set(name, (assignedCount.get(name) ?? 0) + 1);
        if (right) this.constants.set(name, right);
      }
    }
    for (const [name, count] of assignedCount) if (count > 1) this.constants.delete(name);
    // A name also re-bound inside functions with `global` is not a constant: keep it simple
    // and drop names that are targets of augmented assignment anywhere.
    for (const node of this.nodesOf('rebinding')) {
      const target = node.type === 'augmented_assignment' ? childByField(node, 'left') : undefined;
      if (target?.type === 'identifier') this.constants.delete(this.textOf(target));
      if (node.type === 'global_statement') {
        for (const name of namedChildren(node)) this.constants.delete(this.textOf(name));
      }
    }
  }

  /** Methods of a class by name. */
  methodsOf(classNode: PyNode): Map<string, PyNode> {
    const methods = new Map<string, PyNode>();
    const body = childByField(classNode, 'body');
    if (!body) return methods;
    for (const statement of namedChildren(body)) {
      const definition = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
      if (definition?.type !== 'function_definition') continue;
      const name = childByField(definition, 'name');
      if (name) methods.set(this.textOf(name), definition);
    }
    return methods;
  }
}
