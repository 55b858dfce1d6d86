/**
 * What every recognizer works with: the text, spans, the file index, the evaluator and the
 * option reader that turns object literals into values and levers (OptionSlot).
 */
import { LineIndex, type OptionSlot, type RetrySite, type SiteKind, type SlotUnit, type Span } from '@retrylint/shared';
import { Evaluator } from './evaluate.js';
import type { FileIndex } from './file-index.js';
import { findProperty, hasSpread, type CallExpression, type NewExpression, type Node, type ObjectExpression } from './syntax.js';

export class ExtractionContext {
  readonly lines: LineIndex;
  readonly evaluate: Evaluator;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly text: string,
    readonly index: FileIndex,
    /** The file's path, for resolving relative imports (cross-module resolution). */
    readonly filePath?: string,
  ) {
    this.lines = new LineIndex(text);
    this.evaluate = new Evaluator(index);
  }

  /** Computes a per-file value once. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
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

  span(node: Node): Span {
    return this.lines.span(node.range[0], node.range[1]);
  }

  spanOf(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  /** The argument list of a call, parentheses included; undefined for `new X` without them. */
  argumentList(call: CallExpression | NewExpression): Span | undefined {
    const afterCallee = call.typeArguments?.range[1] ?? call.callee.range[1];
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
    if (!object) return new Options(this, undefined, 'opaque', undefined);
    return new Options(this, object, hasSpread(object) ? 'partial' : 'literal', undefined);
  }
}

/**
 * An options object. `literal`: every option is visible; `partial`: a spread may set any
 * option not written here; `opaque`: nothing is known; `absent`: no options (defaults apply).
 */
export class Options {
  constructor(
    private readonly context: ExtractionContext,
    readonly object: ObjectExpression | undefined,
    readonly completeness: 'literal' | 'partial' | 'opaque' | 'absent',
    private readonly appendTo: Span | undefined,
  ) {}

  /** The value expression of an option written here. */
  value(name: string): Node | undefined {
    if (!this.object) return undefined;
    return findProperty(this.object, name)?.value;
  }

  has(name: string): boolean {
    return this.value(name) !== undefined;
  }

  /** True when an option that is not written here takes the library default. */
  get defaultsApply(): boolean {
    return this.completeness === 'literal' || this.completeness === 'absent';
  }

  /**
   * Reads a number option: the written value, the default when it is certainly unset, or
   * undefined when unknown.
   */
  number(name: string, fallback: number): { value: number; span?: Span } | undefined {
    const expression = this.value(name);
    if (expression) {
      const value = this.context.evaluate.number(expression);
      return value === undefined ? undefined : { value, span: this.context.span(expression) };
    }
    return this.defaultsApply ? { value: fallback } : undefined;
  }

  boolean(name: string, fallback: boolean): { value: boolean; span?: Span } | undefined {
    const expression = this.value(name);
    if (expression) {
      const value = this.context.evaluate.boolean(expression);
      return value === undefined ? undefined : { value, span: this.context.span(expression) };
    }
    return this.defaultsApply ? { value: fallback } : undefined;
  }

  /** A lever for a fix to set the option (replace its value, add a property, add an options argument). */
  slot(name: string, unit: SlotUnit): OptionSlot | undefined {
    if (this.leverless) return undefined;
    if (this.object) {
      const property = findProperty(this.object, name);
      if (property && property.shorthand) return undefined;
      const slot: OptionSlot = { name, style: 'object-property', container: this.context.span(this.object), unit };
      return property ? { ...slot, valueSpan: this.context.span(property.value) } : slot;
    }
    if (this.completeness === 'absent' && this.appendTo) {
      return { name, style: 'options-argument', container: this.appendTo, unit };
    }
    return undefined;
  }

  /** The same options read-only: values, but no levers (they belong to another file). */
  withoutLevers(): Options {
    const copy = new Options(this.context, this.object, this.completeness, undefined);
    copy.leverless = true;
    return copy;
  }

  private leverless = false;

  /** The object literal as a nested options object (`retry: { limit }`). */
  nested(name: string): Options {
    const expression = this.value(name);
    if (expression) return this.context.optionsOf(expression);
    return new Options(this.context, undefined, this.defaultsApply ? 'absent' : 'opaque', undefined);
  }
}
