/**
 * Applies rendered cross-file fixes together: edits are gathered per file (an edit several
 * fixes share counts once; a fix that overlaps one taken before it is skipped), every
 * changed file must still parse, and the files are written all together or not at all.
 */
import type { TextEdit } from '@retrylint/shared';
import { editsOverlap } from './apply.js';
import type { CrossFileEdits } from './render-cross-file.js';
import { applyEditsTo } from './render.js';
import { FilesNotWritten, writeFilesTogether } from './write.js';

export interface CrossFileRequest<Id> {
  readonly id: Id;
  readonly edits: CrossFileEdits;
}

export interface CrossFileApplyOptions {
  /** Each target's text, the one the requests' edits are offsets in. */
  readonly textOf: (file: string) => string;
  readonly parses: (file: string, text: string) => boolean | Promise<boolean>;
  /** false: compute the results only (a dry run). */
  readonly write: boolean;
}

export interface ChangedFile {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

export interface CrossFileOutcome<Id> {
  /** Fixes applied (none when `failure` is set). */
  readonly applied: readonly Id[];
  /** Fixes left out because they overlap a different edit of a fix taken before them. */
  readonly conflicting: readonly { readonly id: Id; readonly file: string }[];
  /** Why nothing was applied; every file is then as it was. */
  readonly failure?: { readonly file: string; readonly reason: 'does-not-parse' | 'cannot-write'; readonly error?: unknown };
  /** The files changed (or, for a dry run, that would be), with their texts. */
  readonly changed: readonly ChangedFile[];
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

export async function applyCrossFileFixes<Id>(
  requests: readonly CrossFileRequest<Id>[],
  options: CrossFileApplyOptions,
): Promise<CrossFileOutcome<Id>> {
  const taken = new Map<string, TextEdit[]>();
  const accepted: Id[] = [];
  const conflicting: { id: Id; file: string }[] = [];
  for (const request of requests) {
    const fresh = [...request.edits].map(([file, edits]) => {
      const already = taken.get(file) ?? [];
      return { file, already, edits: edits.filter((edit) => !already.some((other) => sameEdit(edit, other))) };
    });
    const clash = fresh.find(({ edits, already }) => editsOverlap(edits, already));
    if (clash) {
      conflicting.push({ id: request.id, file: clash.file });
      continue;
    }
    for (const { file, already, edits } of fresh) taken.set(file, [...already, ...edits]);
    accepted.push(request.id);
  }

  const changed: ChangedFile[] = [];
  for (const [file, edits] of taken) {
    const before = options.textOf(file);
    const after = applyEditsTo(before, edits);
    if (after === before) continue;
    if (!(await options.parses(file, after))) return { applied: [], conflicting, failure: { file, reason: 'does-not-parse' }, changed: [] };
    changed.push({ file, before, after });
  }
  if (options.write && changed.length > 0) {
    try {
      await writeFilesTogether(changed.map(({ file, before, after }) => ({ filePath: file, text: after, original: before })));
    } catch (error) {
      if (!(error instanceof FilesNotWritten)) throw error;
      return { applied: [], conflicting, failure: { file: error.filePath, reason: 'cannot-write', error: error.cause }, changed: [] };
    }
  }
  return { applied: accepted, conflicting, changed };
}
