/**
 * Reading a call's arguments by keyword or position, and the OptionSlot levers that let a
 * fix set or replace a keyword argument.
 */
import type { OptionSlot, SlotUnit } from '@retrylint/shared';
import type { FileContext } from './file-context.js';
import { childByField, namedChildren, type PyNode } from './syntax-tree.js';

export class CallArguments {
  readonly list: PyNode | undefined;
  readonly positional: PyNode[] = [];
  readonly keywords = new Map<string, { readonly argument: PyNode; readonly value: PyNode }>();
  /** `*args` or `**kwargs` present: an option not seen may still be passed. */
  readonly hasSplat: boolean;

  constructor(
    private readonly file: FileContext,
    readonly call: PyNode,
  ) {
    const list = childByField(call, 'arguments');
    this.list = list?.type === 'argument_list' ? list : undefined;
    let splat = false;
    for (const argument of this.list ? namedChildren(this.list) : []) {
      if (argument.type === 'keyword_argument') {
        const name = childByField(argument, 'name');
        const value = childByField(argument, 'value');
        if (name && value) this.keywords.set(file.textOf(name), { argument, value });
      } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
        splat = true;
      } else {
        this.positional.push(argument);
      }
    }
    this.hasSplat = splat;
  }

  keyword(name: string): PyNode | undefined {
    return this.keywords.get(name)?.value;
  }

  /** A keyword argument, or the positional one at `index` (the library's signature). */
  get(name: string, index?: number): PyNode | undefined {
    return this.keyword(name) ?? (index !== undefined ? this.positional[index] : undefined);
  }

  /** Whether an option could be present but hidden behind a splat. */
  mayHide(name: string): boolean {
    return this.hasSplat && !this.keywords.has(name);
  }

  /** A lever for a keyword option of this call (present or not). */
  slot(name: string, unit: SlotUnit, index?: number): OptionSlot | undefined {
    if (!this.list) return undefined;
    const value = this.get(name, index);
    const slot: OptionSlot = {
      name,
      style: 'keyword-argument',
      container: this.file.span(this.list),
      unit,
      ...(value ? { valueSpan: this.file.span(value) } : {}),
    };
    return slot;
  }
}
