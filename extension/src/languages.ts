/** The languages the server lints: the editor's language ids and the document selector for them. */
import type { DocumentSelector } from 'vscode-languageclient/node';

export const LANGUAGE_IDS: readonly string[] = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

export const DOCUMENT_SELECTOR: DocumentSelector = LANGUAGE_IDS.map((language) => ({ scheme: 'file', language }));

export function isLintedLanguage(languageId: string): boolean {
  return LANGUAGE_IDS.includes(languageId);
}
