/**
 * Turns the rules' abstract fixes into text edits for one language. A renderer declines
 * (returns null) whenever it cannot write the change with certainty; the fix is then not
 * offered, rather than offered wrong.
 */
import type { Fix, FixIntent, Language, OptionSlot, TextEdit } from '@retrylint/shared';
import { pythonSyntax } from './python-syntax.js';
import {
  detectEol,
  hasTopLevelComma,
  indentationAt,
  lastNonSpaceBefore,
  splitTopLevelElements,
} from './source-text.js';
import { typescriptSyntax } from './typescript-syntax.js';

/** A fix with a lever in another file than the finding's (project mode). */
export function isCrossFileFix(fix: Fix): boolean {
  return fix.intents.some((intent) => intent.kind === 'set-option' && intent.slot.file !== undefined);
}

/** What differs between languages when writing a fix. */
export interface LanguageSyntax {
  readonly boolean: (value: boolean) => string;
  readonly min: (expression: string, cap: string) => string;
  readonly fullJitter: (expression: string) => string;
  /** `await asyncio.sleep(arg)`; null when the language has no such fix. */
  readonly asyncSleep: ((argument: string) => string) | null;
  /** Spelling of `aiohttp.ClientTimeout(total=s)` as imported in this file; null if unknown. */
  readonly clientTimeout: (text: string, seconds: string) => string | null;
  /** An edit adding `import <module>` when the file lacks it (none when present). */
  readonly ensureImport: (text: string, module: string, eol: string) => TextEdit | null | undefined;
  /** `f(a)` → tuple-like lists that need a trailing comma to stay one element long. */
  readonly singleElementNeedsComma: (listText: string) => boolean;
  /** What an emptied list becomes (`{}` would be a dict in Python). */
  readonly emptyList: (listText: string) => string;
}

const SYNTAX: Readonly<Record<Language, LanguageSyntax>> = {
  python: pythonSyntax,
  typescript: typescriptSyntax,
};

/**
 * Edits on `text` for a fix whose levers all lie in this text. A fix through a slot in
 * another file (`OptionSlot.file`) is declined: its spans are offsets in that file, and
 * `renderCrossFileFix` renders it against that file's text instead.
 */
export function renderFix(fix: Fix, text: string, language: Language): TextEdit[] | null {
  if (isCrossFileFix(fix)) return null;
  const syntax = SYNTAX[language];
  const eol = detectEol(text);
  const edits: TextEdit[] = [];
  for (const intent of fix.intents) {
    const rendered = renderIntent(intent, text, syntax, eol);
    if (!rendered) return null;
    edits.push(...rendered);
  }
  return dedupeEdits(edits);
}

function renderIntent(intent: FixIntent, text: string, syntax: LanguageSyntax, eol: string): TextEdit[] | null {
  switch (intent.kind) {
    case 'set-option':
      return renderSetOption(intent.slot, intent.value, text, syntax, eol);
    case 'remove-list-items':
      return renderListRemoval(intent.list, intent.items, text, syntax);
    case 'cap-expression': {
      const expression = text.slice(intent.expression.start, intent.expression.end);
      const cap = formatNumber(intent.unit === 'seconds' ? intent.capMs / 1000 : intent.capMs);
      const argument = hasTopLevelComma(expression) ? `(${expression})` : expression;
      return [{ start: intent.expression.start, end: intent.expression.end, text: syntax.min(argument, cap) }];
    }
    case 'full-jitter-expression': {
      const expression = text.slice(intent.expression.start, intent.expression.end);
      const edits: TextEdit[] = [
        { start: intent.expression.start, end: intent.expression.end, text: syntax.fullJitter(expression) },
      ];
      return withImport(edits, syntax.ensureImport(text, 'random', eol));
    }
    case 'async-sleep': {
      if (!syntax.asyncSleep) return null;
      const argument = intent.argument ? text.slice(intent.argument.start, intent.argument.end) : '0';
      const edits: TextEdit[] = [{ start: intent.call.start, end: intent.call.end, text: syntax.asyncSleep(argument) }];
      return withImport(edits, syntax.ensureImport(text, 'asyncio', eol));
    }
    case 'replace':
      return [{ start: intent.span.start, end: intent.span.end, text: intent.text }];
  }
}

function withImport(edits: TextEdit[], importEdit: TextEdit | null | undefined): TextEdit[] | null {
  if (importEdit === null) return null;
  return importEdit ? [importEdit, ...edits] : edits;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 1000) / 1000);
}

/** How `value` is written for `slot` in a text of `language`; null when it cannot be written. */
export function slotValueText(slot: OptionSlot, value: number | boolean, text: string, language: Language): string | null {
  return formatSlotValue(slot, value, text, SYNTAX[language]);
}

/** The edits that set `slot` to `value` in `text` (the slot's spans are offsets in `text`). */
export function renderSetOptionIn(slot: OptionSlot, value: number | boolean, text: string, language: Language): TextEdit[] | null {
  return renderSetOption(slot, value, text, SYNTAX[language], detectEol(text));
}

function formatSlotValue(slot: OptionSlot, value: number | boolean, text: string, syntax: LanguageSyntax): string | null {
  if (slot.unit === 'boolean') return typeof value === 'boolean' ? syntax.boolean(value) : null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  switch (slot.unit) {
    case 'ms':
      return formatNumber(Math.round(value));
    case 'seconds':
      return formatNumber(value / 1000);
    case 'attempts':
      return formatNumber(Math.round(value));
    case 'retries':
      return formatNumber(Math.max(0, Math.round(value) - 1));
    case 'abort-signal-timeout':
      return `AbortSignal.timeout(${formatNumber(Math.round(value))})`;
    case 'client-timeout':
      return syntax.clientTimeout(text, formatNumber(value / 1000));
  }
}

function renderSetOption(
  slot: OptionSlot,
  value: number | boolean,
  text: string,
  syntax: LanguageSyntax,
  eol: string,
): TextEdit[] | null {
  const written = formatSlotValue(slot, value, text, syntax);
  if (written === null) return null;
  if (slot.valueSpan) return [{ start: slot.valueSpan.start, end: slot.valueSpan.end, text: written }];
  const entry =
    slot.style === 'keyword-argument'
      ? `${slot.name}=${written}`
      : slot.style === 'object-property'
        ? `${slot.name}: ${written}`
        : `{ ${slot.name}: ${written} }`;
  const open = slot.container.start;
  const close = slot.container.end - 1;
  if (!'([{'.includes(text[open]) || !')]}'.includes(text[close])) return null;
  const last = lastNonSpaceBefore(text, close, open);
  if (last === open) {
    const padded = slot.style === 'object-property' ? ` ${entry} ` : entry;
    return [{ start: open + 1, end: close, text: padded }];
  }
  const hasTrailingComma = text[last] === ',';
  const multiline = text.slice(last, close).includes('\n');
  if (multiline) {
    const indent = indentationAt(text, last);
    const insertion = `${hasTrailingComma ? '' : ','}${eol}${indent}${entry}${hasTrailingComma ? ',' : ''}`;
    return [{ start: last + 1, end: last + 1, text: insertion }];
  }
  return [{ start: last + 1, end: last + 1, text: `${hasTrailingComma ? ' ' : ', '}${entry}` }];
}

function renderListRemoval(
  list: { start: number; end: number },
  items: readonly { start: number; end: number }[],
  text: string,
  syntax: LanguageSyntax,
): TextEdit[] | null {
  const open = list.start;
  const close = list.end - 1;
  if (!'([{'.includes(text[open]) || !')]}'.includes(text[close])) return null;
  const elements = splitTopLevelElements(text, open, close);
  if (!elements) return null;
  const removed = new Set<number>();
  for (const item of items) {
    const index = elements.findIndex((element) => element.start === item.start && element.end === item.end);
    if (index < 0) return null;
    removed.add(index);
  }
  if (removed.size === 0) return [];
  const listText = text.slice(open, close + 1);
  if (removed.size === elements.length) {
    return [{ start: list.start, end: list.end, text: syntax.emptyList(listText) }];
  }
  const edits: TextEdit[] = [];
  let index = 0;
  while (index < elements.length) {
    if (!removed.has(index)) {
      index++;
      continue;
    }
    let runEnd = index;
    while (removed.has(runEnd + 1)) runEnd++;
    if (runEnd < elements.length - 1) {
      edits.push({ start: elements[index].start, end: elements[runEnd + 1].start, text: '' });
    } else {
      edits.push({ start: elements[index - 1].end, end: elements[runEnd].end, text: '' });
    }
    index = runEnd + 1;
  }
  let rewritten = applyEditsTo(listText, edits.map((edit) => ({ ...edit, start: edit.start - open, end: edit.end - open })));
  const keptCount = elements.length - removed.size;
  if (keptCount === 1 && syntax.singleElementNeedsComma(listText) && !/,\s*.$/s.test(rewritten)) {
    const closer = rewritten.length - 1;
    const last = lastNonSpaceBefore(rewritten, closer, 0);
    rewritten = `${rewritten.slice(0, last + 1)},${rewritten.slice(last + 1)}`;
  }
  return [{ start: list.start, end: list.end, text: rewritten }];
}

/** Applies non-overlapping edits (offsets into `text`). */
export function applyEditsTo(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return result + text.slice(cursor);
}

function dedupeEdits(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = `${edit.start}:${edit.end}:${edit.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
