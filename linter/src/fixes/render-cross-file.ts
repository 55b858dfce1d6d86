/**
 * Renders a cross-file fix: edits per file, each on that file's text as the run leaves it.
 * The fix's spans were read from the files before the run's per-file fixes; they are
 * mapped through those changes first, and the fix is declined where a change touched them.
 * TypeScript targets are edited with ts-morph, Python ones with the same-file renderer.
 */
import type { Fix, Language, OptionSlot, TextEdit } from '@retrylint/shared';
import { editsOverlap } from './apply.js';
import { renderSetOptionIn, slotValueText } from './render.js';
import { mapSpan } from './text-changes.js';
import { setOptionWithTsMorph } from './ts-morph-set-option.js';

export interface TargetText {
  /** The file's text as the run leaves it (after its per-file fixes). */
  readonly text: string;
  readonly language: Language;
  /** Edits from the text the fix's spans were read from to `text`; none when it is the same text. */
  readonly changes: readonly TextEdit[];
}

/** Per absolute file path, non-overlapping edits on that file's `TargetText.text`. */
export type CrossFileEdits = ReadonlyMap<string, readonly TextEdit[]>;

export type RenderedCrossFileFix =
  | { readonly edits: CrossFileEdits }
  | { readonly declined: { readonly file: string; readonly why: string } };

/**
 * `textOf` gives a target's text, or why it has none (unreadable, not UTF-8). A slot
 * without `file` is in the finding's own file (`ownFile`). Only `set-option` intents can
 * be rendered across files.
 */
export async function renderCrossFileFix(
  fix: Fix,
  ownFile: string,
  textOf: (file: string) => Promise<TargetText | string>,
): Promise<RenderedCrossFileFix> {
  const edits = new Map<string, TextEdit[]>();
  for (const intent of fix.intents) {
    const file = intent.kind === 'set-option' ? (intent.slot.file ?? ownFile) : ownFile;
    if (intent.kind !== 'set-option') return { declined: { file, why: `a '${intent.kind}' change is not made across files` } };
    const target = await textOf(file);
    if (typeof target === 'string') return { declined: { file, why: target } };
    const slot = mappedSlot(intent.slot, target.changes);
    if (!slot) return { declined: { file, why: 'this run changed the file where the fix applies' } };
    const rendered = await renderSetOption(slot, intent.value, file, target);
    const taken = edits.get(file) ?? [];
    if (!rendered || editsOverlap(rendered, taken)) return { declined: { file, why: 'the change cannot be written with certainty' } };
    edits.set(file, [...taken, ...rendered]);
  }
  return { edits };
}

function mappedSlot(slot: OptionSlot, changes: readonly TextEdit[]): OptionSlot | undefined {
  const container = mapSpan(changes, slot.container);
  const valueSpan = slot.valueSpan ? mapSpan(changes, slot.valueSpan) : undefined;
  if (!container || (slot.valueSpan && !valueSpan)) return undefined;
  return { ...slot, container, ...(valueSpan ? { valueSpan } : {}) };
}

async function renderSetOption(slot: OptionSlot, value: number | boolean, file: string, target: TargetText): Promise<TextEdit[] | null> {
  if (target.language === 'python') return renderSetOptionIn(slot, value, target.text, 'python');
  const written = slotValueText(slot, value, target.text, target.language);
  if (written === null) return null;
  const edit = await setOptionWithTsMorph(target.text, file, slot, written);
  return edit ? [edit] : null;
}
