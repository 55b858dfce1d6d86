/**
 * While typing, each new version gets its per-file diagnostics at once and its project
 * result only once typing pauses. So that the findings only the program sees (a nested
 * retry across modules, attempts from an imported constant) do not blink out and back on
 * every keystroke, the last project result's own diagnostics are shown with the per-file
 * ones meanwhile: moved with the text, and dropped where the edits since touched them or
 * where the per-file lint now reports the same rule at the same place. Their fixes were
 * rendered for the older text, so no code action offers them (diagnostic-data.ts).
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { editBetween } from './python-trees.js';

/** What a project lint found that the per-file lint of the same version did not. */
export function projectOnly(project: readonly Diagnostic[], perFile: readonly Diagnostic[]): Diagnostic[] {
  const key = (diagnostic: Diagnostic) => JSON.stringify([diagnostic.code, diagnostic.range, diagnostic.message]);
  const seen = new Set(perFile.map(key));
  return project.filter((diagnostic) => !seen.has(key(diagnostic)));
}

/** `carried` (positions in `from`) as they stand in `to`, minus those an edit touched or the per-file lint repeats. */
export function carryOver(carried: readonly Diagnostic[], from: TextDocument, to: TextDocument, perFile: readonly Diagnostic[]): Diagnostic[] {
  if (carried.length === 0) return [];
  const edit = editBetween(from.getText(), to.getText());
  const unchanged = edit.startIndex === edit.oldEndIndex && edit.startIndex === edit.newEndIndex;
  const shift = edit.newEndIndex - edit.oldEndIndex;
  const sameRuleThere = (diagnostic: Diagnostic) =>
    perFile.some((other) => other.code === diagnostic.code && other.range.start.line === diagnostic.range.start.line);
  const kept: Diagnostic[] = [];
  for (const diagnostic of carried) {
    const start = from.offsetAt(diagnostic.range.start);
    const end = from.offsetAt(diagnostic.range.end);
    // An edit inside the range, or touching it, may have changed what it is about.
    if (!unchanged && start <= edit.oldEndIndex && end >= edit.startIndex) continue;
    const moved = (offset: number) => (offset < edit.startIndex ? offset : offset + shift);
    const placed = { ...diagnostic, range: { start: to.positionAt(moved(start)), end: to.positionAt(moved(end)) } };
    if (!sameRuleThere(placed)) kept.push(placed);
  }
  return kept;
}
