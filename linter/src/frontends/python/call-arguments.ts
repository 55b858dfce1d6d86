/**
 * Reading a call's arguments by keyword or position, and the OptionSlot levers that let a
 * fix set or replace a keyword argument.
 */
import type { OptionSlot, SlotUnit } from '@retrylint/shared';
import type { FileContext } from './file-context.js';
import { childByField, namedChildren, type PyNode } from './syntax-tree.js';

/** Names a file changes in place (`NAME[...]`, `NAME.update(...)`, `NAME |= ...`): one scan per file. */
const changedNames = new WeakMap<FileContext, ReadonlySet<string>>();

function changedInPlace(file: FileContext): ReadonlySet<string> {
  let names = changedNames.get(file);
  if (!names) {
    names = new Set([...file.text.matchAll(/\b(\w+)\s*(?:\[|\.(?:update|setdefault|pop|clear)\b|\|=)/g)].map((match) => match[1]));
    changedNames.set(file, names);
  }
  return names;
}

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
      } else if (argument.type === 'dictionary_splat' && this.spreadModuleDict(argument)) {
        // `**REQUEST_KW` with `REQUEST_KW = {"timeout": 5}` at module level: its keys are known.
      } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
        splat = true;
      } else {
        this.positional.push(argument);
      }
    }
    this.hasSplat = splat;
  }

  /**
   * Adds the pairs of a module-level dict literal assigned once and never changed in place
   * (`NAME[...] = `, `NAME.update(...)`); false when the splat cannot be read that way.
   */
  private spreadModuleDict(splat: PyNode): boolean {
    const named = namedChildren(splat);
    const target = named.length === 1 && named[0].type === 'identifier' ? this.file.textOf(named[0]) : undefined;
    const dict = target ? this.file.constants.get(target) : undefined;
    if (!target || dict?.type !== 'dictionary') return false;
    if (changedInPlace(this.file).has(target)) return false;
    const pairs: { name: string; argument: PyNode; value: PyNode }[] = [];
    for (const entry of namedChildren(dict)) {
      if (entry.type === 'comment') continue;
      const key = entry.type === 'pair' ? childByField(entry, 'key') : undefined;
      const value = entry.type === 'pair' ? childByField(entry, 'value') : undefined;
      const name = key?.type === 'string' ? /^[uU]?(['"])(\w+)\1$/.exec(this.file.textOf(key))?.[2] : undefined;
      if (!name || !value) return false;
      pairs.push({ name, argument: entry, value });
    }
    for (const { name, argument, value } of pairs) if (!this.keywords.has(name)) this.keywords.set(name, { argument, value });
    return true;
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
