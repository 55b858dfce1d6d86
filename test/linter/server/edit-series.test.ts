import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cliFindings, described } from './cli-compare.js';
import { repoRoot, serverSessions } from './lsp-harness.js';

const { start, workspace } = serverSessions();

// The frontend keeps per-thread state between lints (the walk orders of recent trees): after
// many edits of one document, its diagnostics must still be those of a fresh lint of its text.
describe('diagnostics after a series of edits', () => {
  it('equal the CLI lint of the final text (TypeScript)', async () => {
    const original = readFileSync(path.join(repoRoot, 'test/fixtures/typescript/no-nested-retries.ts'), 'utf8');
    const ws = workspace({ 'edited.ts': original });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('edited.ts'), 'typescript', original);
    await client.diagnosticsFor(uri, 1);
    let document = TextDocument.create(uri, 'typescript', 1, original);
    const edit = async (offset: number, deleteCount: number, text: string): Promise<void> => {
      const range = { start: document.positionAt(offset), end: document.positionAt(offset + deleteCount) };
      document = TextDocument.update(document, [{ range, text }], document.version + 1);
      const version = await client.change(uri, [{ range, text }]);
      await client.diagnosticsFor(uri, version);
    };
    const at = (needle: string) => document.getText().indexOf(needle);
    // Typed one character at a time, a syntax error on the way, a retry loop gone, one added.
    for (const char of '\nexport const added = 1;') await edit(document.getText().length, 0, char);
    await edit(at('for ('), 0, 'if (');
    await edit(at('if ('), 4, '');
    await edit(at('for ('), 'for ('.length, 'while (false) { break; } for (');
    await edit(0, 0, "import pRetry from 'p-retry';\nexport const again = () => pRetry(() => fetch('https://x.test'), { retries: 20 });\n");
    const last = await client.diagnosticsFor(uri, document.version);
    writeFileSync(ws.file('edited.ts'), document.getText());
    expect(last.length).toBeGreaterThan(0);
    expect(described(last).sort()).toEqual(cliFindings(ws.dir, 'edited.ts').sort());
  });
});
