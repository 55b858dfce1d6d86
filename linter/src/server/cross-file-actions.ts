/**
 * Quick fixes for findings whose fix edits another file (project mode): one workspace edit
 * with a `documentChanges` entry per file. The other file is edited as the editor holds it
 * when it is open there, else as it is on disk. Always unsafe, never preferred.
 */
import { promises as fs } from 'node:fs';
import type { Finding } from '@retrylint/shared';
import { CodeActionKind, TextDocumentEdit, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isCrossFileFix, renderCrossFileFix, type TargetText } from '../fixes/index.js';
import { languageOf } from '../frontends/index.js';
import type { DocumentLint } from './document-lint.js';
import { uriOf } from './documents.js';

export interface OtherFileText {
  readonly text: string;
  /** The open document's version; null for the file on disk. */
  readonly version: number | null;
}

export type OtherFileReader = (filePath: string) => Promise<OtherFileText | undefined>;

/** Open documents first, then the disk. */
export function otherFileReader(openDocument: (uri: string) => TextDocument | undefined): OtherFileReader {
  return async (filePath) => {
    const open = openDocument(uriOf(filePath));
    if (open) return { text: open.getText(), version: open.version };
    return fs.readFile(filePath, 'utf8').then(
      (text) => ({ text, version: null }),
      () => undefined,
    );
  };
}

function isAt(finding: Finding, diagnostic: Diagnostic, document: TextDocument): boolean {
  const start = document.positionAt(finding.span.start);
  const end = document.positionAt(finding.span.end);
  const range = diagnostic.range;
  return (
    finding.ruleId === diagnostic.code &&
    start.line === range.start.line &&
    start.character === range.start.character &&
    end.line === range.end.line &&
    end.character === range.end.character
  );
}

async function actionFor(finding: Finding, diagnostic: Diagnostic, lint: DocumentLint, document: TextDocument, readOther: OtherFileReader): Promise<CodeAction | undefined> {
  const fix = finding.fix!;
  const texts = new Map<string, OtherFileText>([[lint.filePath, { text: document.getText(), version: document.version }]]);
  const textOf = async (filePath: string): Promise<TargetText | string> => {
    const language = languageOf(filePath);
    if (!language) return 'it is not a file retrylint edits';
    const known = texts.get(filePath) ?? (await readOther(filePath));
    if (!known) return 'it cannot be read';
    texts.set(filePath, known);
    return { text: known.text, language, changes: [] };
  };
  const rendered = await renderCrossFileFix(fix, lint.filePath, textOf);
  if (!('edits' in rendered)) return undefined;
  const documentChanges = [...rendered.edits].map(([filePath, edits]) => {
    const { text, version } = texts.get(filePath)!;
    const uri = filePath === lint.filePath ? document.uri : uriOf(filePath);
    const target = TextDocument.create(uri, '', version ?? 0, text);
    const lspEdits = edits.map((edit) => ({ range: { start: target.positionAt(edit.start), end: target.positionAt(edit.end) }, newText: edit.text }));
    return TextDocumentEdit.create({ uri, version }, lspEdits);
  });
  return { title: `${fix.title} (unsafe)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { documentChanges } };
}

/** The cross-file fixes of the findings a diagnostic stands for. */
export async function crossFileActions(diagnostic: Diagnostic, lint: DocumentLint, document: TextDocument, readOther: OtherFileReader): Promise<CodeAction[]> {
  const findings = lint.findings.filter((finding) => finding.fix && isCrossFileFix(finding.fix) && isAt(finding, diagnostic, document));
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    const action = await actionFor(finding, diagnostic, lint, document, readOther);
    if (action) actions.push(action);
  }
  return actions;
}
