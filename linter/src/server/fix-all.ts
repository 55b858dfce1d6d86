/** "Fix all retrylint problems in this file": `--fix` on the buffer, re-parse check included. */
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixText } from '../cli/judge-text.js';
import { EDITOR_JUDGE_SETTINGS, type DocumentLint } from './document-lint.js';
import { minimalEdit } from './minimal-edit.js';

/** The edit that applies every safe fix, or undefined when nothing changes. */
export async function fixAllEdit(lint: DocumentLint, document: TextDocument): Promise<TextEdit | undefined> {
  if (!lint.findings.some((finding) => finding.fix?.applicability === 'safe')) return undefined;
  if (lint.notices.some((notice) => notice.fatal)) return undefined; // as --fix: never fix a file that does not parse
  const outcome = await fixText(document.getText(), lint.filePath, lint.language, lint.config, {
    ...EDITOR_JUDGE_SETTINGS,
    unsafe: false,
  });
  return minimalEdit(document, outcome.text);
}
