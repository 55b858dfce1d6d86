/**
 * What every recognizer works with: the text, spans, the file index, the evaluator and the
 * option reader that turns object literals into values and levers (OptionSlot).
 */
import { LineIndex, type OptionSlot, type RetrySite, type SiteKind, type SlotUnit, type Span } from '@retrylint/shared';
import { Evaluator } from './evaluate.js';
import type { FileIndex } from './file-index.js';
import { importedValue, moduleLinks, type ExportedValue } from './cross-module.js';
import type { ImportBinding } from './file-index.js';
import type { TSESTree } from '@typescript-eslint/types';
import { endOfTypeArguments } from './written-types.js';
import { hasSpread, stripCasts, type CallExpression, type NewExpression, type Node, type ObjectExpression } from './syntax.js';

export class ExtractionContext {
  private lineIndex: LineIndex | undefined;
  readonly evaluate: Evaluator;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly text: string,
    readonly index: FileIndex,
    /** The file's path, for resolving relative imports (cross-module resolution). */
    readonly filePath?: string,
  ) {
    // Constants are evaluated across modules in project mode only: the per-file path reads
    // imported clients, options and strings, as it always did.
    this.evaluate = new Evaluator(index, (binding, read) => (moduleLinks()?.project ? this.throughImport(binding, read) : undefined));
  }

  /**
   * Reads the value an import binding names in the module that declares it, as far as the
   * installed links follow imports (one relative hop per file, or the program in project mode).
   */
  throughImport<T>(binding: ImportBinding, read: (exported: ExportedValue) => T | undefined): T | undefined {
    if (binding.imported === '*' || importDepth >= (moduleLinks()?.maxHops ?? 0)) return undefined;
    const exported = importedValue(this.filePath, binding.module, binding.imported);
    if (!exported) return undefined;
    importDepth++;
    try {
      return read(exported);
    } finally {
      importDepth--;
    }
  }

  /** Computes a per-file value once. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /**
   * A string the expression certainly holds: a literal, a constant of this file, or a
   * constant exported by a relative module (`import { RETRY_AFTER_HEADER } from './http'`).
   */
  string(expression: Node | undefined): string | undefined {
    const local = this.evaluate.string(expression);
    if (local !== undefined || !expression) return local;
    const node = stripCasts(expression);
    if (node.type !== 'Identifier') return undefined;
    const declaration = this.index.lookup(node.name, node);
    if (declaration?.kind !== 'import') return undefined;
    return this.throughImport(declaration.binding, (exported) => exported.context.string(exported.node));
  }

  /** Identity fields of a site anchored at `node`, reported at `report`. */
  identity(kind: SiteKind, library: string, node: Node, report: Node | Span = node): Pick<RetrySite, 'id' | 'kind' | 'language' | 'library' | 'span' | 'reportSpan'> {
    return {
      id: `${kind}@${node.range[0]}`,
      kind,
      language: 'typescript',
      library,
      span: this.span(node),
      reportSpan: 'type' in report ? this.span(report) : report,
    };
  }

  /** Built on the first span: most files the prefilter keeps have no site, and need none. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  span(node: Node): Span {
    return this.lines.span(node.range[0], node.range[1]);
  }

  spanOf(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  /** The argument list of a call, parentheses included; undefined for `new X` without them. */
  argumentList(call: CallExpression | NewExpression): Span | undefined {
    const afterCallee = endOfTypeArguments(call, call.callee.range[1], this.text);
    const open = this.text.indexOf('(', afterCallee);
    if (open < 0 || open >= call.range[1] || this.text[call.range[1] - 1] !== ')') return undefined;
    if (/[^\s?.]/.test(this.text.slice(afterCallee, open))) return undefined;
    return this.spanOf(open, call.range[1]);
  }

  /** The options object at `call.arguments[position]`, as far as this file shows it. */
  options(call: CallExpression | NewExpression, position: number): Options {
    const argument = call.arguments[position];
    if (!argument) {
      const list = this.argumentList(call);
      const appendable = list !== undefined && call.arguments.length === position && !call.arguments.some((a) => a.type === 'SpreadElement');
      return new Options(this, undefined, 'absent', appendable ? list : undefined);
    }
    return this.optionsOf(argument);
  }

  /** An options object given by an expression (a literal or a constant naming one). */
  optionsOf(expression: Node | undefined): Options {
    if (!expression) return new Options(this, undefined, 'absent', undefined);
    const object = this.evaluate.objectLiteral(expression);
    if (!object) return this.importedOptions(expression) ?? new Options(this, undefined, 'opaque', undefined);
    return new Options(this, object, hasSpread(object) ? 'partial' : 'literal', undefined);
  }

  /**
   * `pRetry(run, retryOptions)` where `retryOptions` is imported from another module of the
   * project: read there (when cross-module resolution is on), values only: a fix must not
   * edit another file through this one.
   */
  private importedOptions(expression: Node): Options | undefined {
    const node = stripCasts(expression);
    if (node.type !== 'Identifier') return undefined;
    const declaration = this.index.lookup(node.name, node);
    if (declaration?.kind !== 'import') return undefined;
    return this.throughImport(declaration.binding, (exported) => {
      const options = exported.context.optionsOf(exported.node);
      return options.completeness === 'opaque' ? undefined : options.foreign(this.span(node));
    });
  }
}

let importDepth = 0;

/**
 * An options object. `literal`: every option is visible; `partial`: a spread may set any
 * option not written here; `opaque`: nothing is known; `absent`: no options (defaults apply).
 */
export class Options {
  /** Set when the object lives in another module: read values there, report here. */
  private anchor: Span | undefined;
  /**
   * Project mode, options in another module: an option the literal there does not write takes
   * the library default, as it would here (the per-file path keeps such options unknown).
   */
  private defaultsHoldThere = false;

  constructor(
    private readonly context: ExtractionContext,
    readonly object: ObjectExpression | undefined,
    private readonly written: 'literal' | 'partial' | 'opaque' | 'absent',
    private readonly appendTo: Span | undefined,
  ) {}

  /**
   * How much of the object is visible. Options from another module count as partial: their
   * raw expressions are not handed out (a recognizer would evaluate and place them in the
   * wrong file), so what is not read through `number` / `boolean` is unknown, not a default.
   */
  get completeness(): 'literal' | 'partial' | 'opaque' | 'absent' {
    return this.anchor && this.written !== 'absent' ? 'partial' : this.written;
  }

  /** The value expression of an option written here. */
  value(name: string): Node | undefined {
    if (!this.object || this.anchor) return undefined;
    return this.located(name)?.property.value;
  }

  has(name: string): boolean {
    return this.value(name) !== undefined;
  }

  /** True when an option that is not written here takes the library default. */
  get defaultsApply(): boolean {
    return this.completeness === 'literal' || this.completeness === 'absent';
  }

  /** Like defaultsApply, and also for a complete literal in another module (project mode). */
  get defaultsHold(): boolean {
    return this.defaultsApply || this.defaultsHoldThere;
  }

  /** Whether the object writes the option, here or in the module it comes from. */
  writes(name: string): boolean {
    return this.located(name) !== undefined;
  }

  /**
   * Reads a number option: the written value, the default when it is certainly unset, or
   * undefined when unknown.
   */
  number(name: string, fallback: number): { value: number; span?: Span } | undefined {
    const expression = this.ownValue(name);
    if (expression) {
      const value = this.context.evaluate.number(expression);
      return value === undefined ? undefined : { value, span: this.spanOf(expression) };
    }
    return this.defaultsHold ? { value: fallback } : undefined;
  }

  boolean(name: string, fallback: boolean): { value: boolean; span?: Span } | undefined {
    const expression = this.ownValue(name);
    if (expression) {
      const value = this.context.evaluate.boolean(expression);
      return value === undefined ? undefined : { value, span: this.spanOf(expression) };
    }
    return this.defaultsHold ? { value: fallback } : undefined;
  }

  /** A lever for a fix to set the option (replace its value, add a property, add an options argument). */
  slot(name: string, unit: SlotUnit): OptionSlot | undefined {
    if (this.anchor) return undefined;
    if (this.object) {
      const located = this.located(name);
      // A value from spread defaults (`{ ...DEFAULTS, ...options }`) is not this object's to edit.
      if (located?.viaSpread) return undefined;
      const property = located?.property;
      if (property && property.shorthand) return undefined;
      const slot: OptionSlot = { name, style: 'object-property', container: this.context.span(this.object), unit };
      return property ? { ...slot, valueSpan: this.context.span(property.value) } : slot;
    }
    if (this.written === 'absent' && this.appendTo) {
      return { name, style: 'options-argument', container: this.appendTo, unit };
    }
    return undefined;
  }

  /**
   * The same options seen from another module that imports them: values read here, every
   * span moved to `anchor` (the importing expression), no levers (a fix must not edit
   * another file through this one).
   */
  foreign(anchor: Span): Options {
    const copy = new Options(this.context, this.object, this.written, undefined);
    copy.anchor = anchor;
    copy.defaultsHoldThere = moduleLinks()?.project !== undefined && (this.written === 'literal' || this.written === 'absent');
    return copy;
  }

  /** The object literal as a nested options object (`retry: { limit }`). */
  nested(name: string): Options {
    const expression = this.ownValue(name);
    if (expression) {
      const inner = this.context.optionsOf(expression);
      return this.anchor ? inner.foreign(this.anchor) : inner;
    }
    return new Options(this.context, undefined, this.defaultsApply ? 'absent' : 'opaque', undefined);
  }

  private ownValue(name: string): Node | undefined {
    return this.located(name)?.property.value;
  }

  /**
   * The property that sets `name`, the last one as at runtime, also inside spread objects this
   * file defines (`{ ...DEFAULT_OPTIONS, ...options }`): their values hold unless the caller's
   * spread overrides them, so they are read as the code's defaults.
   */
  private located(name: string): { property: TSESTree.Property; viaSpread: boolean } | undefined {
    return this.object ? this.context.evaluate.propertyThroughSpreads(this.object, name) : undefined;
  }

  private spanOf(expression: Node): Span {
    return this.anchor ?? this.context.span(expression);
  }
}

