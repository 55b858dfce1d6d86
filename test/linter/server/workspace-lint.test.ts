import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRequest,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
} from 'vscode-languageserver-protocol/node';
import { cliResults, described } from './cli-compare.js';
import { eventually, repoRoot, serverSessions, type TestClient } from './lsp-harness.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures', name), 'utf8');

const { start, workspace } = serverSessions();

interface LintWorkspaceResult {
  files: number;
  problems: number;
  cancelled: boolean;
}

function lintWorkspace(client: TestClient, params: object = {}, token?: CancellationTokenSource['token']): Promise<LintWorkspaceResult> {
  const method = 'retrylint/lintWorkspace';
  return token ? client.connection.sendRequest<LintWorkspaceResult>(method, params, token) : client.connection.sendRequest<LintWorkspaceResult>(method, params);
}

describe('retrylint/lintWorkspace', () => {
  it('lints every file the CLI lints in each folder, publishes the closed ones and reports progress', async () => {
    const ws = workspace({
      'api/job.py': fixture('python/bounded-delay.py'),
      'api/clean.py': 'print("no retries here")\n',
      'api/generated/copy.py': fixture('python/bounded-delay.py'),
      'api/.retrylintignore': 'generated/\n',
      'api/node_modules/dep/index.js': fixture('typescript/bounded-attempts.ts'),
      'web/client.ts': fixture('typescript/bounded-attempts.ts'),
      'web/view.tsx': fixture('typescript/require-timeout.ts'),
      'web/retrylint.config.json': '{ "rules": { "require-timeout": "off" } }\n',
    });
    const folders = [ws.file('api'), ws.file('web')];
    const client = await start({ folders });
    const openUri = await client.open(ws.file('web/client.ts'), 'typescript', fixture('typescript/bounded-attempts.ts'));
    const openDiagnostics = await client.diagnosticsFor(openUri, 1);

    const result = await lintWorkspace(client, { workDoneToken: 'lint-1' });

    const expected = new Map(folders.flatMap((folder) => [...cliResults(folder, '.')]));
    expect([...expected.keys()].sort()).toEqual([ws.file('api/clean.py'), ws.file('api/job.py'), ws.file('web/client.ts'), ws.file('web/view.tsx')]);
    const problems = [...expected.values()].reduce((sum, messages) => sum + messages.length, 0);
    expect(problems).toBeGreaterThan(openDiagnostics.length);
    expect(result).toEqual({ files: expected.size, problems, cancelled: false });
    for (const [file, messages] of expected) {
      const uri = pathToFileURL(file).href;
      if (uri === openUri) continue;
      expect(described(await client.diagnosticsFor(uri)).sort()).toEqual([...messages].sort());
    }
    expect(client.published.has(pathToFileURL(ws.file('api/generated/copy.py')).href)).toBe(false);

    const progress = client.progress.get('lint-1') ?? [];
    expect(progress[0]).toMatchObject({ kind: 'begin', cancellable: true });
    expect(progress.at(-1)).toEqual({ kind: 'end' });
    const reports = progress.filter((value) => value.kind === 'report');
    expect(reports.at(-1)).toMatchObject({ percentage: 100, message: `${expected.size}/${expected.size} files, ${problems} problems` });
  });

  it('leaves out a folder whose settings say enable: false', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'on/job.py': code, 'off/job.py': code });
    const client = await start({ folders: [ws.file('on'), ws.file('off')], settings: { [ws.file('off')]: { enable: false } } });
    expect(await lintWorkspace(client)).toMatchObject({ files: 1, cancelled: false });
    expect(client.published.has(pathToFileURL(ws.file('on/job.py')).href)).toBe(true);
    expect(client.published.has(pathToFileURL(ws.file('off/job.py')).href)).toBe(false);
  });

  it('creates its own progress when the client passes no token', async () => {
    const ws = workspace({ 'job.py': fixture('python/bounded-delay.py') });
    const client = await start({ folders: [ws.dir] });
    const result = await lintWorkspace(client);
    expect(result.files).toBe(1);
    expect(client.createdProgressTokens).toHaveLength(1);
    const progress = client.progress.get(client.createdProgressTokens[0]) ?? [];
    expect(progress.map((value) => value.kind)).toEqual(['begin', 'report', 'end']);
  });

  it('with pull diagnostics, hands a published file over to pulls once it is opened (no double entries)', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], pull: true });
    expect((await lintWorkspace(client)).problems).toBeGreaterThan(0);
    const uri = pathToFileURL(ws.file('job.py')).href;
    const published = await client.diagnosticsFor(uri);
    expect(published.length).toBeGreaterThan(0);
    await client.open(ws.file('job.py'), 'python', code);
    await eventually(() => (client.published.get(uri)?.diagnostics.length === 0 ? true : undefined), 'the pushed diagnostics cleared');
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    expect(report.kind === 'full' ? described(report.items).sort() : []).toEqual(described(published).sort());
  });

  it('goes on past a bad config: the files are linted with the defaults, the config gets its diagnostic', async () => {
    const ws = workspace({
      'job.py': fixture('python/bounded-delay.py'),
      'retrylint.config.json': '{ "ignorePatterns": ["generated/**"], "policy": { "maxAttempts": "five" } }\n',
    });
    const client = await start({ folders: [ws.dir] });
    const result = await lintWorkspace(client);
    expect(result).toMatchObject({ files: 1, cancelled: false });
    expect(result.problems).toBeGreaterThan(0);
    const onConfig = await client.diagnosticsFor(pathToFileURL(ws.file('retrylint.config.json')).href);
    expect(onConfig.map((d) => d.message)).toEqual(['policy.maxAttempts: expected an integer >= 1, found "five"']);
  });

  it('stops when the request is cancelled and says how far it got', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`src/job${String(i).padStart(3, '0')}.py`] = fixture('python/bounded-delay.py');
    const ws = workspace(files);
    const client = await start({ folders: [ws.dir] });
    const source = new CancellationTokenSource();
    const pending = lintWorkspace(client, { workDoneToken: 'cancel-me' }, source.token);
    await eventually(() => client.progress.get('cancel-me')?.find((value) => value.kind === 'report'), 'a first progress report');
    source.cancel();
    const result = await pending;
    expect(result.cancelled).toBe(true);
    expect(result.files).toBeGreaterThan(0);
    expect(result.files).toBeLessThan(300);
    expect(client.progress.get('cancel-me')?.at(-1)).toEqual({ kind: 'end' });
    // The files it got to were published; the rest were not touched.
    const published = [...client.published.keys()].filter((uri) => uri.endsWith('.py'));
    expect(published.length).toBe(result.files);
  });
});

describe('restricted mode (an untrusted workspace)', () => {
  it('lints, hovers and shows lenses, but offers no code action and applies no fix', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], restricted: true });
    const capabilities = client.initializeResult?.capabilities;
    expect(capabilities?.codeActionProvider).toBeUndefined();
    expect(capabilities?.executeCommandProvider?.commands).toEqual(['retrylint.showDocumentation']);
    expect(capabilities?.hoverProvider).toBe(true);

    const uri = await client.open(ws.file('job.py'), 'python', code);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    expect(diagnostics.some((d) => (d.data as { fixable: boolean }).fixable)).toBe(true);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    expect(actions).toEqual([]);
    const applied = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'retrylint.fixAll',
      arguments: [{ uri, version: 1 }],
    });
    expect(applied).toBe(false);
    expect(client.text(uri)).toBe(code);

    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    expect(lenses?.length).toBeGreaterThan(0);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: lenses![0].command!.arguments![1] });
    expect(JSON.stringify(hover?.contents)).toContain('retry schedule');
  });

  it('offers the code actions when the workspace is trusted', async () => {
    const ws = workspace({});
    const client = await start({ folders: [ws.dir], restricted: false });
    expect(client.initializeResult?.capabilities.codeActionProvider).toBeDefined();
    expect(client.initializeResult?.capabilities.executeCommandProvider?.commands).toContain('retrylint.fixAll');
  });
});
