import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** One edit from `document`'s text to `next`, covering only what differs (the cursor stays put elsewhere). */
export function minimalEdit(document: TextDocument, next: string): TextEdit | undefined {
  const current = document.getText();
  if (current === next) return undefined;
  let prefix = 0;
  const shorter = Math.min(current.length, next.length);
  while (prefix < shorter && current.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    current.charCodeAt(current.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  ) {
    suffix++;
  }
  return {
    range: { start: document.positionAt(prefix), end: document.positionAt(current.length - suffix) },
    newText: next.slice(prefix, next.length - suffix),
  };
}
