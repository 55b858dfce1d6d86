/**
 * "Disable <rule> for this line": a `disable-next-line` directive above the line, in the
 * file's language and indentation; added to a directive already there, since two
 * directive lines in a row would cover each other, not the code.
 */
import type { Language } from '@retrylint/shared';
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectEol } from '../fixes/source-text.js';

const EXISTING: Readonly<Record<Language, RegExp>> = {
  python: /^(\s*#\s*retrylint:\s*disable-next-line\s*=\s*)([^\r\n]*?)(\s+--.*)?$/,
  typescript: /^(\s*\/\/\s*retrylint-disable-next-line\s+)([^\r\n]*?)(\s+--.*)?$/,
};

function directive(language: Language, ruleId: string): string {
  return language === 'python' ? `# retrylint: disable-next-line=${ruleId}` : `// retrylint-disable-next-line ${ruleId}`;
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

export function disableLineEdit(document: TextDocument, language: Language, line: number, ruleId: string): TextEdit {
  if (line > 0) {
    const previous = lineText(document, line - 1);
    const match = EXISTING[language].exec(previous);
    if (match && match[2].trim() !== '') {
      const at = match[1].length + match[2].length;
      const separator = language === 'python' ? ',' : ', ';
      const position = { line: line - 1, character: at };
      return { range: { start: position, end: position }, newText: `${separator}${ruleId}` };
    }
  }
  const indentation = /^[ \t]*/.exec(lineText(document, line))?.[0] ?? '';
  const eol = detectEol(document.getText());
  const start = { line, character: 0 };
  return { range: { start, end: start }, newText: `${indentation}${directive(language, ruleId)}${eol}` };
}
