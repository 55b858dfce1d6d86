import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeLensRequest, DocumentDiagnosticRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { cliFindings, described } from './cli-compare.js';
import { eventually, repoRoot, serverSessions } from './lsp-harness.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures', name), 'utf8');

const { start, workspace } = serverSessions();

describe('diagnostics', () => {
  it('pushes the CLI findings for Python and TypeScript, with rule id, doc link and fix state', async () => {
    const ws = workspace({
      'client.py': fixture('python/bounded-delay.py'),
      'client.ts': fixture('typescript/bounded-attempts.ts'),
    });
    const client = await start({ folders: [ws.dir] });
    for (const [name, languageId] of [['client.py', 'python'], ['client.ts', 'typescript']] as const) {
      const file = ws.file(name);
      const uri = await client.open(file, languageId, readFileSync(file, 'utf8'));
      const diagnostics = await client.diagnosticsFor(uri, 1);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(described(diagnostics).sort()).toEqual(cliFindings(ws.dir, name).sort());
      for (const diagnostic of diagnostics) {
        expect(diagnostic.source).toBe('retrylint');
        expect(diagnostic.codeDescription?.href).toBe(
          `https://github.com/retrylint/retrylint/blob/main/shared/docs/rules/${diagnostic.code}.md`,
        );
        const data = diagnostic.data as { ruleId: string; version: number; fixable: boolean; unsafe: boolean; fixes: unknown[] };
        expect(data.ruleId).toBe(diagnostic.code);
        expect(data.version).toBe(1);
        expect(typeof data.fixable).toBe('boolean');
      }
      expect(diagnostics.some((d) => (d.data as { fixable: boolean }).fixable)).toBe(true);
    }
  });

  it('lints again on change, for the new version', async () => {
    const ws = workspace({ 'job.py': fixture('python/bounded-delay.py') });
    const client = await start({ folders: [ws.dir] });
    const text = readFileSync(ws.file('job.py'), 'utf8');
    const uri = await client.open(ws.file('job.py'), 'python', text);
    const before = await client.diagnosticsFor(uri, 1);
    const fixed = fixture('python/bounded-delay.fixed.py');
    const version = await client.replaceText(uri, fixed);
    const after = await client.diagnosticsFor(uri, version);
    expect(after.filter((d) => d.code === 'bounded-delay').length).toBeLessThan(before.filter((d) => d.code === 'bounded-delay').length);
    await client.replaceText(uri, 'print("no retries here")\n');
    expect(await client.diagnosticsFor(uri, version + 1)).toEqual([]);
  });

  it('answers pull requests when the client supports them, and pushes nothing for the document', async () => {
    const ws = workspace({ 'job.ts': fixture('typescript/bounded-attempts.ts') });
    const client = await start({ folders: [ws.dir], pull: true });
    const uri = await client.open(ws.file('job.ts'), 'typescript', readFileSync(ws.file('job.ts'), 'utf8'));
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    expect(report.kind).toBe('full');
    const items = report.kind === 'full' ? report.items : [];
    expect(described(items).sort()).toEqual(cliFindings(ws.dir, 'job.ts').sort());
    expect(client.published.has(uri)).toBe(false);
  });

  it('reads React variants and JavaScript by their language ids', async () => {
    const code = fixture('typescript/bounded-attempts.ts');
    const ws = workspace({ 'view.tsx': code, 'view.jsx': '' });
    const client = await start({ folders: [ws.dir] });
    const tsx = await client.open(ws.file('view.tsx'), 'typescriptreact', code);
    expect((await client.diagnosticsFor(tsx, 1)).some((d) => d.code === 'bounded-attempts')).toBe(true);
    const js = await client.open(
      ws.file('view.jsx'),
      'javascriptreact',
      'import pRetry from "p-retry";\nexport const load = () => pRetry(() => fetch("https://api.example.com", { signal: AbortSignal.timeout(5000) }), { forever: true });\n',
    );
    expect((await client.diagnosticsFor(js, 1)).map((d) => d.code)).toContain('bounded-attempts');
  });

  it('honours suppressions, ignore files and the rule severities from the settings', async () => {
    const code = `${fixture('typescript/bounded-attempts.ts')}\n${fixture('typescript/require-timeout.ts')}`;
    const ws = workspace({ 'src/a.ts': code, 'generated/b.ts': code, '.retrylintignore': 'generated/\n' });
    const client = await start({ folders: [ws.dir], settings: { [ws.dir]: { rules: { 'bounded-attempts': 'off' } } } });
    const a = await client.open(ws.file('src/a.ts'), 'typescript', code);
    const diagnostics = await client.diagnosticsFor(a, 1);
    expect(diagnostics.map((d) => d.code)).toContain('require-timeout');
    expect(diagnostics.map((d) => d.code)).not.toContain('bounded-attempts');
    const b = await client.open(ws.file('generated/b.ts'), 'typescript', code);
    expect(await client.diagnosticsFor(b, 1)).toEqual([]);

    const suppressed = `// retrylint-disable-file\n${code}`;
    await client.replaceText(a, suppressed);
    expect(await client.diagnosticsFor(a, 2)).toEqual([]);
  });

  it('reports a syntax error as an error without a rule and keeps going', async () => {
    const ws = workspace({ 'broken.py': '' });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('broken.py'), 'python', 'import requests\ndef f(:\n    requests.get("https://x.example.com")\n');
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const fatal = diagnostics.find((d) => String(d.message).startsWith('Parsing error'));
    expect(fatal?.severity).toBe(1);
    expect(fatal?.code).toBeUndefined();
  });

  it('lints only on save with run: onSave, and not at all with enable: false', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'a/job.py': code, 'b/job.py': code });
    const client = await start({
      folders: [ws.file('a'), ws.file('b')],
      settings: { [ws.file('a')]: { run: 'onSave' }, [ws.file('b')]: { enable: false } },
    });
    const a = await client.open(ws.file('a/job.py'), 'python', code);
    expect((await client.diagnosticsFor(a, 1)).length).toBeGreaterThan(0);
    await client.replaceText(a, 'x = 1\n');
    await client.save(a);
    expect(await client.diagnosticsFor(a, 2)).toEqual([]);
    expect(client.published.get(a)?.version).toBe(2);

    const b = await client.open(ws.file('b/job.py'), 'python', code);
    expect(await client.diagnosticsFor(b)).toEqual([]);
  });

  it('runs the same server through `retrylint lsp --stdio`', async () => {
    const ws = workspace({ 'job.py': fixture('python/bounded-delay.py') });
    const client = await start({ folders: [ws.dir], viaCli: true });
    const uri = await client.open(ws.file('job.py'), 'python', readFileSync(ws.file('job.py'), 'utf8'));
    expect(described(await client.diagnosticsFor(uri, 1)).sort()).toEqual(cliFindings(ws.dir, 'job.py').sort());
  });

  it('sends the problem count of the open documents as status', async () => {
    const ws = workspace({ 'job.py': fixture('python/bounded-delay.py') });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', readFileSync(ws.file('job.py'), 'utf8'));
    const count = (await client.diagnosticsFor(uri, 1)).length;
    await eventually(() => (client.statuses.at(-1)?.problems === count ? true : undefined), 'status with the count');
    expect(client.statuses.at(-1)).toEqual({ state: 'warning', problems: count });
    await client.close(uri);
    await eventually(() => (client.statuses.at(-1)?.problems === 0 ? true : undefined), 'status after close');
    expect(client.statuses.at(-1)).toEqual({ state: 'ok', problems: 0 });
  });

  it('lints a version once for requests that arrive together, and traces where the time went', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], pull: true, trace: 'verbose' });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const version = await client.replaceText(uri, `${code}\n# edited\n`);
    const textDocument = { uri };
    const [pulled, lenses, hover] = await Promise.all([
      client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument }),
      client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
      client.connection.sendRequest(HoverRequest.type, { textDocument, position: { line: 0, character: 0 } }),
    ]);
    expect(pulled.kind === 'full' ? pulled.items.length : 0).toBeGreaterThan(0);
    expect(lenses?.length).toBeGreaterThan(0);
    expect(hover).toBeNull();
    const lints = client.traces.filter((trace) => trace.message.startsWith(`linted job.py v${version} in `));
    expect(lints).toHaveLength(1);
    expect(lints[0].verbose).toMatch(/^parse and rules \d+ ms, diagnostics with fixes \d+ ms, \d+ diagnostics$/);
  });
});
