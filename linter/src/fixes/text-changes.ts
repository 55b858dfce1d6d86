/**
 * The changes between two versions of a text as edits on the first, and where an offset
 * of the first lands in the second. A cross-file fix was computed on the text a run read;
 * its target may since have been changed by the run's own per-file fixes.
 */
import type { Span, TextEdit } from '@retrylint/shared';
import { diffChars, diffLines } from 'diff';

/** One edit turning `before` into `after`: their common prefix and suffix left out. */
export function minimalEdit(before: string, after: string, offset = 0): TextEdit {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  return { start: offset + prefix, end: offset + before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** Above this size a run of changed lines stays one edit (a character diff grows with the product of sizes). */
const MAX_CHARACTER_DIFF = 20_000;

interface Part {
  readonly value: string;
  readonly added?: boolean;
  readonly removed?: boolean;
}

/** The edits a diff's parts stand for, offsets from `offset`; each run of changes goes to `changed`. */
function editsOf(parts: readonly Part[], offset: number, changed: (removed: string, added: string, at: number) => TextEdit[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let at = offset;
  let index = 0;
  while (index < parts.length) {
    if (!parts[index].added && !parts[index].removed) {
      at += parts[index].value.length;
      index++;
      continue;
    }
    let removed = '';
    let added = '';
    for (; index < parts.length && (parts[index].added || parts[index].removed); index++) {
      if (parts[index].added) added += parts[index].value;
      else removed += parts[index].value;
    }
    edits.push(...changed(removed, added, at));
    at += removed.length;
  }
  return edits;
}

/**
 * Non-overlapping edits on `before`, in order, that give `after`: changed lines found by a
 * line diff, each run of them narrowed to the characters that differ.
 */
export function textChanges(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  return editsOf(diffLines(before, after), 0, (removed, added, at) => {
    if (removed.length + added.length > MAX_CHARACTER_DIFF) return [minimalEdit(removed, added, at)];
    return editsOf(diffChars(removed, added), at, (removedChars, addedChars, charAt) => [
      { start: charAt, end: charAt + removedChars.length, text: addedChars },
    ]);
  });
}

/** Where the character at `index` of the old text is in the new one; undefined when a change replaced it. */
function mapCharacter(changes: readonly TextEdit[], index: number): number | undefined {
  let shift = 0;
  for (const change of changes) {
    if (change.start > index) break;
    if (change.end > index) return undefined;
    // Ends at or before the character (an insertion right before it included).
    shift += change.text.length - (change.end - change.start);
  }
  return index + shift;
}

/**
 * The span in the new text that holds the same first and last characters; undefined when
 * a change replaced either (the text there is no longer the one the span was taken from).
 */
export function mapSpan<T extends Pick<Span, 'start' | 'end'>>(changes: readonly TextEdit[], span: T): T | undefined {
  if (changes.length === 0) return span;
  if (span.end <= span.start) {
    const at = mapCharacter(changes, span.start);
    return at === undefined ? undefined : { ...span, start: at, end: at };
  }
  const start = mapCharacter(changes, span.start);
  const last = mapCharacter(changes, span.end - 1);
  if (start === undefined || last === undefined) return undefined;
  return { ...span, start, end: last + 1 };
}
