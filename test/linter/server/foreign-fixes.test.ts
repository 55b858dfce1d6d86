import type { Finding } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticData } from '../../../linter/src/server/diagnostic-data.js';
import { diagnosticsOf } from '../../../linter/src/server/diagnostics.js';
import type { DocumentLint } from '../../../linter/src/server/document-lint.js';

const TEXT = 'export const client = new OpenAI({ timeout: 30_000 });\n';
const FILE = '/project/src/jobs/summarise.ts';
const container = { start: TEXT.indexOf('{'), end: TEXT.indexOf('}') + 1, line: 1, column: TEXT.indexOf('{') + 1, endLine: 1, endColumn: TEXT.indexOf('}') + 2 };

/** A no-nested-retries finding whose unsafe fix sets maxRetries through a slot at `container`, in `slotFile`. */
function lintWith(slotFile: string | undefined): DocumentLint {
  const finding: Finding = {
    ruleId: 'no-nested-retries',
    messageId: 'clientRetriesThrough',
    message: 'Up to 36 requests per call',
    severity: 'error',
    span: { start: 0, end: 6, line: 1, column: 1, endLine: 1, endColumn: 7 },
    siteId: 'loop@0',
    fix: {
      title: 'Switch off the client retries: maxRetries = 0',
      applicability: 'unsafe',
      intents: [{ kind: 'set-option', value: 1, slot: { name: 'maxRetries', style: 'object-property', container, unit: 'retries', ...(slotFile ? { file: slotFile } : {}) } }],
    },
  };
  return { uri: 'file:///project/src/jobs/summarise.ts', version: 1, filePath: FILE, language: 'typescript', text: TEXT, config: {} as DocumentLint['config'], findings: [finding], notices: [], sites: [] };
}

const fixesOf = (lint: DocumentLint) => (diagnosticsOf(lint, TextDocument.create(lint.uri, 'typescript', 1, TEXT))[0]!.data as DiagnosticData).fixes;

describe('fixes through a slot in another file', () => {
  it('renders a slot of the document itself as an edit of it', () => {
    expect(fixesOf(lintWith(undefined)).map((fix) => fix.kind)).toEqual(['unsafe']);
  });

  it('offers no edit for a slot in another module: its offsets are not this text', () => {
    expect(fixesOf(lintWith('/project/src/llm/client.ts'))).toEqual([]);
  });
});
