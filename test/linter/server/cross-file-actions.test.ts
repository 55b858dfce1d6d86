import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LineIndex, type Finding } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigResolver } from '../../../linter/src/config/file-config.js';
import { codeActions } from '../../../linter/src/server/code-actions.js';
import { otherFileReader } from '../../../linter/src/server/cross-file-actions.js';
import type { DocumentLint } from '../../../linter/src/server/document-lint.js';
import { switchOffInClient, twoFileProjectPerTest } from '../fixes/two-file-project.js';

const CLIENT_TEXT = "import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey });\n";
const JOB_TEXT = "import { client } from '../llm/client';\nexport const summarise = () => client.chat.completions.create({});\n";

const project = twoFileProjectPerTest(CLIENT_TEXT, JOB_TEXT);

/** The job file as project mode would lint it: the client it calls is built in llm/client.ts. */
function jobLint(document: TextDocument): { lint: DocumentLint; diagnostic: Diagnostic } {
  const callStart = JOB_TEXT.indexOf('client.chat');
  const finding: Finding = {
    ruleId: 'no-nested-retries',
    messageId: 'clientRetriesThrough',
    message: 'Up to 9 requests per call',
    severity: 'error',
    siteId: 's',
    span: new LineIndex(JOB_TEXT).span(callStart, JOB_TEXT.indexOf(';', callStart)),
    fix: switchOffInClient(CLIENT_TEXT, project.current.clientFile, '{ apiKey'),
  };
  const lint: DocumentLint = {
    uri: document.uri,
    version: document.version,
    filePath: project.current.jobFile,
    language: 'typescript',
    text: JOB_TEXT,
    config: new ConfigResolver({ cwd: project.current.dir }).forFile(project.current.jobFile),
    findings: [finding],
    notices: [],
    sites: [],
  };
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(finding.span.start), end: document.positionAt(finding.span.end) },
    source: 'retrylint',
    code: finding.ruleId,
    message: finding.message,
    data: { ruleId: finding.ruleId, version: document.version, fixable: false, unsafe: false, fixes: [] },
  };
  return { lint, diagnostic };
}

async function crossFileEdit(openDocuments: TextDocument[]) {
  const document = TextDocument.create(pathToFileURL(project.current.jobFile).href, 'typescript', 3, JOB_TEXT);
  const { lint, diagnostic } = jobLint(document);
  const actions = await codeActions(
    { textDocument: { uri: document.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } },
    {
      document,
      lint,
      fixAll: async () => undefined,
      parses: () => true,
      readOtherFile: otherFileReader((uri) => openDocuments.find((open) => open.uri === uri)),
    },
  );
  const action = actions.find((candidate) => candidate.title.endsWith('maxRetries = 0 (unsafe)'));
  return { action, changes: action?.edit?.documentChanges as TextDocumentEdit[] | undefined };
}

describe('code action for a fix in another file', () => {
  it('edits the file on disk through documentChanges when it is not open', async () => {
    const { action, changes } = await crossFileEdit([]);
    expect(action?.isPreferred).toBeUndefined();
    expect(changes).toHaveLength(1);
    expect(changes![0].textDocument).toEqual({ uri: pathToFileURL(project.current.clientFile).href, version: null });
    const onDisk = TextDocument.create(changes![0].textDocument.uri, 'typescript', 0, CLIENT_TEXT);
    expect(TextDocument.applyEdits(onDisk, changes![0].edits as TextEdit[])).toBe(
      "import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey, maxRetries: 0 });\n",
    );
  });

  it("edits the editor's buffer, at its version, when the other file is open", async () => {
    const open = TextDocument.create(pathToFileURL(project.current.clientFile).href, 'typescript', 7, `${CLIENT_TEXT}// edited, not saved\n`);
    const { changes } = await crossFileEdit([open]);
    expect(changes![0].textDocument).toEqual({ uri: open.uri, version: 7 });
    expect(TextDocument.applyEdits(open, changes![0].edits as TextEdit[])).toContain('new OpenAI({ apiKey, maxRetries: 0 });\n// edited, not saved\n');
  });

  it('is not offered when the other file cannot be read', async () => {
    rmSync(project.current.clientFile);
    expect((await crossFileEdit([])).action).toBeUndefined();
  });
});
