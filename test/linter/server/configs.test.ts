import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DocumentDiagnosticRequest, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { runCli } from '../../e2e/cli-harness.js';
import { eventually, repoRoot, serverSessions, type TestClient } from './lsp-harness.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures', name), 'utf8');

const { start, workspace } = serverSessions();

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);

/** Waits for pushed diagnostics of `uri` that satisfy `accept`. */
function pushedUntil(client: TestClient, uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
  return eventually(() => {
    client.assertRunning();
    const diagnostics = client.published.get(uri)?.diagnostics;
    return diagnostics && accept(diagnostics) ? diagnostics : undefined;
  }, what);
}

/** The CLI's report of a bad config: `file:line:column message`. */
function cliConfigError(dir: string, target: string): { line: number; column: number; message: string } {
  const run = runCli([target], dir);
  expect(run.code).toBe(2);
  const match = /^retrylint\.config\.json:(\d+):(\d+) (.*)$/m.exec(run.stderr);
  if (!match) throw new Error(`no config error in: ${run.stderr}`);
  return { line: Number(match[1]), column: Number(match[2]), message: match[3] };
}

const TURNS_BOUNDED_DELAY_OFF = '{\n  "rules": { "bounded-delay": "off" }\n}\n';

describe('configs', () => {
  it('shows a bad config as one diagnostic where the CLI reports it, lints on with the last good config, and recovers', async () => {
    const code = `${fixture('python/bounded-delay.py')}\n${fixture('python/require-timeout.py')}`;
    const ws = workspace({ 'job.py': code, 'retrylint.config.json': TURNS_BOUNDED_DELAY_OFF });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const withGoodConfig = await client.diagnosticsFor(uri, 1);
    expect(withGoodConfig.length).toBeGreaterThan(0);
    expect(codes(withGoodConfig)).not.toContain('bounded-delay');

    const configFile = ws.file('retrylint.config.json');
    const configUri = pathToFileURL(configFile).href;
    writeFileSync(configFile, '{\n  "rules": { "bounded-delay": "off" },\n  "policy": { "maxAttempts": "five" }\n}\n');
    const cli = cliConfigError(ws.dir, 'job.py');
    client.published.delete(uri);
    await client.filesChanged([configFile]);

    const onConfig = await pushedUntil(client, configUri, (d) => d.length > 0, 'the config diagnostic');
    expect(onConfig).toHaveLength(1);
    expect(onConfig[0].range.start).toEqual({ line: cli.line - 1, character: cli.column - 1 });
    expect(onConfig[0].message).toBe(cli.message);
    expect(onConfig[0].severity).toBe(1);
    // Linting went on, still with bounded-delay off as the last good config said.
    const relinted = await client.diagnosticsFor(uri, 1);
    expect(relinted.map((d) => d.message).sort()).toEqual(withGoodConfig.map((d) => d.message).sort());
    await eventually(() => (client.statuses.at(-1)?.state === 'error' ? true : undefined), 'an error status');
    expect(client.statuses.at(-1)?.message).toBe(`retrylint.config.json:${cli.line}:${cli.column} ${cli.message}`);

    // Fixed, and changed: the new config applies and the config diagnostic goes away.
    writeFileSync(configFile, '{ "rules": {} }\n');
    await client.filesChanged([configFile]);
    await pushedUntil(client, configUri, (d) => d.length === 0, 'the config diagnostic cleared');
    await pushedUntil(client, uri, (d) => codes(d).includes('bounded-delay'), 'bounded-delay back after the config change');
    await eventually(() => (client.statuses.at(-1)?.state === 'warning' ? true : undefined), 'a warning status');
  });

  it('reports a JSON syntax error in the config at its position', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code, 'retrylint.config.json': '{ "rules": { "bounded-delay": "off" }\n' });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    expect((await client.diagnosticsFor(uri, 1)).length).toBeGreaterThan(0);
    const cli = cliConfigError(ws.dir, 'job.py');
    const onConfig = await pushedUntil(client, pathToFileURL(ws.file('retrylint.config.json')).href, (d) => d.length > 0, 'the config diagnostic');
    expect(onConfig.map((d) => [d.range.start, d.message])).toEqual([[{ line: cli.line - 1, character: cli.column - 1 }, cli.message]]);
  });

  it('picks up an ignore file that appears', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'gen/job.py': code });
    const client = await start({ folders: [ws.dir] });
    const watchers = await eventually(
      () => client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
      'the file watchers registered',
    );
    expect(JSON.stringify(watchers.registerOptions)).toContain('**/.retrylintignore');
    const uri = await client.open(ws.file('gen/job.py'), 'python', code);
    expect((await client.diagnosticsFor(uri, 1)).length).toBeGreaterThan(0);
    writeFileSync(ws.file('.retrylintignore'), 'gen/\n');
    await client.filesChanged([ws.file('.retrylintignore')]);
    await pushedUntil(client, uri, (d) => d.length === 0, 'no diagnostics once ignored');
  });

  it('gives each folder of a multi-root workspace its own config', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({
      'quiet/job.py': code,
      'quiet/retrylint.config.json': TURNS_BOUNDED_DELAY_OFF,
      'strict/job.py': code,
      'strict/retrylint.config.json': '{ "rules": { "bounded-delay": "error" } }\n',
    });
    const client = await start({ folders: [ws.file('quiet'), ws.file('strict')] });
    const quiet = await client.open(ws.file('quiet/job.py'), 'python', code);
    const strict = await client.open(ws.file('strict/job.py'), 'python', code);
    expect(codes(await client.diagnosticsFor(quiet, 1))).not.toContain('bounded-delay');
    const strictDiagnostics = (await client.diagnosticsFor(strict, 1)).filter((d) => d.code === 'bounded-delay');
    expect(strictDiagnostics.length).toBeGreaterThan(0);
    expect(strictDiagnostics.every((d) => d.severity === 1)).toBe(true);

    // A change in one folder's config leaves the other folder as it was.
    writeFileSync(ws.file('quiet/retrylint.config.json'), '{ "rules": { "bounded-delay": "warn" } }\n');
    await client.filesChanged([ws.file('quiet/retrylint.config.json')]);
    const quietNow = await pushedUntil(client, quiet, (d) => codes(d).includes('bounded-delay'), 'bounded-delay in the quiet folder');
    expect(quietNow.filter((d) => d.code === 'bounded-delay').every((d) => d.severity === 2)).toBe(true);
    expect((client.published.get(strict)?.diagnostics ?? []).filter((d) => d.code === 'bounded-delay').every((d) => d.severity === 1)).toBe(true);
  });

  it('with run: onSave and pull diagnostics, answers with the last saved results until the next save', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], pull: true, settings: { [ws.dir]: { run: 'onSave' } } });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const pull = async () => {
      const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      return report.kind === 'full' ? report.items : [];
    };
    const opened = await pull();
    expect(opened.length).toBeGreaterThan(0);
    await client.replaceText(uri, 'x = 1\n');
    expect(await pull()).toEqual(opened);
    await client.save(uri);
    await eventually(() => (client.diagnosticRefreshes > 0 ? true : undefined), 'a diagnostics refresh');
    await expectEventually(async () => (await pull()).length === 0, 'no diagnostics after the save');
  });

  it('keeps serving a pull client that has no diagnostic refresh', async () => {
    const code = fixture('python/bounded-delay.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], pull: true, withoutDiagnosticRefresh: true, settings: { [ws.dir]: { run: 'onSave' } } });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const pull = async () => {
      const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      return report.kind === 'full' ? report.items : [];
    };
    expect((await pull()).length).toBeGreaterThan(0);
    await client.replaceText(uri, 'x = 1\n');
    await client.save(uri);
    await client.filesChanged([ws.file('retrylint.config.json')], FileChangeType.Created);
    await expectEventually(async () => (await pull()).length === 0, 'the saved results');
    client.assertRunning();
  });
});

async function expectEventually(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
