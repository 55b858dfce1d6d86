import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  ExecuteCommandRequest,
  TextDocument,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { runCli } from '../../e2e/cli-harness.js';
import { repoRoot, serverSessions, type TestClient } from './lsp-harness.js';

const fixturePath = (name: string) => path.join(repoRoot, 'test/fixtures', name);
const fixture = (name: string) => readFileSync(fixturePath(name), 'utf8');

const { start, workspace } = serverSessions();

async function openFixture(name: string, languageId: string) {
  const ws = workspace({});
  const file = ws.file(path.basename(name));
  copyFileSync(fixturePath(name), file);
  const client = await start({ folders: [ws.dir] });
  const uri = await client.open(file, languageId, readFileSync(file, 'utf8'));
  const diagnostics = await client.diagnosticsFor(uri, 1);
  return { ws, file, client, uri, diagnostics };
}

async function actionsFor(client: TestClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const result = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics, ...(only ? { only } : {}) },
  });
  return (result ?? []) as CodeAction[];
}

function applied(client: TestClient, uri: string, action: CodeAction): string {
  const document = client.documents.get(uri)!;
  return TextDocument.applyEdits(document, action.edit!.changes![uri]);
}

/** What `retrylint --fix` writes for the same file. */
function cliFixed(file: string): string {
  const dir = path.dirname(file);
  const copy = path.join(dir, `cli-${path.basename(file)}`);
  copyFileSync(file, copy);
  runCli(['--fix', path.basename(copy)], dir);
  return readFileSync(copy, 'utf8');
}

describe('code actions', () => {
  it('offers, for one diagnostic: the safe fix (preferred), fix all, disable for this line, documentation', async () => {
    const { client, uri, diagnostics } = await openFixture('python/bounded-delay.py', 'python');
    const fixable = diagnostics.find((d) => (d.data as { fixable: boolean }).fixable)!;
    const actions = await actionsFor(client, uri, [fixable]);
    const fixTitle = (fixable.data as { fixes: { title: string }[] }).fixes[0].title;
    expect(actions.map((action) => action.title)).toEqual([
      fixTitle,
      'Fix all retrylint problems in this file',
      `Disable ${fixable.code} for this line`,
      `Show documentation for ${fixable.code}`,
    ]);
    expect(actions[0].isPreferred).toBe(true);
    expect(actions[0].kind).toBe('quickfix');
    expect(actions[0].diagnostics).toEqual([fixable]);
    expect(actions[1].command).toEqual({
      title: 'Fix all retrylint problems in this file',
      command: 'retrylint.fixAll',
      arguments: [{ uri, version: 1 }],
    });
    expect(actions[3].command).toEqual({
      title: `Show documentation for ${fixable.code}`,
      command: 'retrylint.showDocumentation',
      arguments: [{ ruleId: fixable.code }],
    });
  });

  it('applies a safe fix that removes its finding, the same edit the CLI applies', async () => {
    const { client, uri, diagnostics } = await openFixture('python/bounded-delay.py', 'python');
    const fixable = diagnostics.find((d) => (d.data as { fixable: boolean }).fixable)!;
    const [fix] = await actionsFor(client, uri, [fixable]);
    const text = applied(client, uri, fix);
    const line = fixable.range.start.line;
    expect(text.split('\n')[line]).toBe(fixture('python/bounded-delay.fixed.py').split('\n')[line]);
    const version = await client.replaceText(uri, text);
    const after = await client.diagnosticsFor(uri, version);
    expect(after.some((d) => d.code === fixable.code && d.range.start.line === line)).toBe(false);
  });

  it('offers suggestions as quick fixes that are never preferred, before fix all', async () => {
    const { client, uri, diagnostics } = await openFixture('python/no-stream-retry.py', 'python');
    const target = diagnostics.find((d) => (d.data as { fixes: { kind: string }[] }).fixes.some((fix) => fix.kind === 'suggestion'))!;
    expect(target).toBeDefined();
    const actions = await actionsFor(client, uri, [target]);
    expect(actions[0].title).toBe('Make a single attempt (no retry of the stream)');
    expect(actions[0].isPreferred).toBeUndefined();
    expect(actions.map((action) => action.title).slice(-2)).toEqual([
      `Disable ${target.code} for this line`,
      `Show documentation for ${target.code}`,
    ]);
  });

  it('disables a rule for one line with a directive that silences exactly that finding', async () => {
    for (const [name, languageId] of [['python/bounded-delay.py', 'python'], ['typescript/bounded-attempts.ts', 'typescript']] as const) {
      const { client, uri, diagnostics } = await openFixture(name, languageId);
      const target = diagnostics.find((d) => d.code)!;
      const disable = (await actionsFor(client, uri, [target])).find((action) => action.title.startsWith('Disable'))!;
      const text = applied(client, uri, disable);
      const directiveLine = text.split('\n')[target.range.start.line];
      expect(directiveLine.trim()).toBe(
        languageId === 'python' ? `# retrylint: disable-next-line=${target.code}` : `// retrylint-disable-next-line ${target.code}`,
      );
      const version = await client.replaceText(uri, text);
      const after = await client.diagnosticsFor(uri, version);
      expect(after.length).toBe(diagnostics.length - 1);
      expect(after.some((d) => d.code === target.code && d.range.start.line === target.range.start.line + 1)).toBe(false);
    }
  });

  it('adds a second rule to a directive already on the line above', async () => {
    const ws = workspace({});
    const client = await start({ folders: [ws.dir] });
    const code = [
      'import requests',
      'from tenacity import retry, stop_after_attempt',
      '',
      '',
      '# retrylint: disable-next-line=require-jitter',
      '@retry(stop=stop_after_attempt(50))',
      'def fetch():',
      '    return requests.get("https://api.example.com", timeout=5)',
      '',
    ].join('\n');
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const target = diagnostics.find((d) => d.range.start.line === 5)!;
    expect(target).toBeDefined();
    const disable = (await actionsFor(client, uri, [target])).find((action) => action.title.startsWith('Disable'))!;
    const text = applied(client, uri, disable);
    expect(text.split('\n')[4]).toBe(`# retrylint: disable-next-line=require-jitter,${target.code}`);
    const version = await client.replaceText(uri, text);
    expect((await client.diagnosticsFor(uri, version)).some((d) => d.range.start.line === 5 && d.code === target.code)).toBe(false);
  });

  it('fixes the whole file on save (source.fixAll.retrylint) exactly as `retrylint --fix`', async () => {
    for (const [name, languageId] of [['python/bounded-delay.py', 'python'], ['typescript/bounded-attempts.ts', 'typescript']] as const) {
      const { client, uri, file } = await openFixture(name, languageId);
      const actions = await actionsFor(client, uri, [], ['source.fixAll']);
      expect(actions.map((action) => action.kind)).toEqual(['source.fixAll.retrylint']);
      expect(applied(client, uri, actions[0])).toBe(cliFixed(file));
    }
  });

  it('executes retrylint.fixAll through workspace/applyEdit', async () => {
    const { client, uri, file } = await openFixture('typescript/bounded-attempts.ts', 'typescript');
    const result = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'retrylint.fixAll',
      arguments: [{ uri, version: 1 }],
    });
    expect(result).toBe(true);
    expect(client.text(uri)).toBe(cliFixed(file));
  });

  it('opens a rule documentation by asking the client to show its URL externally', async () => {
    const { client } = await openFixture('python/bounded-delay.py', 'python');
    const result = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'retrylint.showDocumentation',
      arguments: [{ ruleId: 'bounded-delay' }],
    });
    expect(result).toBe(true);
    expect(client.shownDocuments).toEqual([
      { uri: 'https://github.com/retrylint/retrylint/blob/main/shared/docs/rules/bounded-delay.md', external: true },
    ]);
  });

  it('offers no fix computed for an older version of the text', async () => {
    const { client, uri, diagnostics } = await openFixture('python/bounded-delay.py', 'python');
    const fixable = diagnostics.find((d) => (d.data as { fixable: boolean }).fixable)!;
    await client.replaceText(uri, `# a new first line\n${client.text(uri)}`);
    const titles = (await actionsFor(client, uri, [fixable])).map((action) => action.title);
    expect(titles).not.toContain((fixable.data as { fixes: { title: string }[] }).fixes[0].title);
    expect(titles).toContain(`Show documentation for ${fixable.code}`);
  });
});
