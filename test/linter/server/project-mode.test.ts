import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeActionRequest, DocumentDiagnosticRequest, FileChangeType, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { eventually, repoRoot, serverSessions, type TestClient } from './lsp-harness.js';

const { start, workspace } = serverSessions();

const PROJECT = path.join(repoRoot, 'test/fixtures/projects/llm-app');
const SUMMARISE = 'src/jobs/summarise.ts';
const CLIENT = 'src/llm/client.ts';
const CHAIN = 'through src/jobs/summarise.ts:9 -> src/llm/ask.ts:4 -> client built at src/llm/client.ts:3';
/** The project tests wait for a program to load (ts-morph and a type checker) on a shared machine. */
const PROJECT_TIMEOUT_MS = 30_000;

/** The fixture project's files, under `prefix` (a temp copy is linted, never the fixture). */
function projectFiles(prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(PROJECT, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files[path.join(prefix, child)] = readFileSync(path.join(PROJECT, child), 'utf8');
    }
  };
  walk('');
  return files;
}

const nested = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.code === 'no-nested-retries');
/** The document version the nested finding was computed for (one carried over is older than the text). */
const projectVersion = (diagnostics: readonly Diagnostic[]) => (nested(diagnostics)[0]?.data as { version?: number } | undefined)?.version;

function pushedUntil(client: TestClient, uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
  return eventually(
    () => {
      client.assertRunning();
      const diagnostics = client.published.get(uri)?.diagnostics;
      return diagnostics && accept(diagnostics) ? diagnostics : undefined;
    },
    what,
    PROJECT_TIMEOUT_MS,
  );
}

/** The programs the server said it held after each project lint (its verbose trace). */
function programCounts(client: TestClient): number[] {
  return client.traces.flatMap((trace) => {
    const match = /^project lint of .*, (\d+) programs loaded$/.exec(trace.message);
    return match ? [Number(match[1])] : [];
  });
}

describe('project mode in the language server', () => {
  it('lints a file whose only evidence of a remote call is in the modules it imports', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const report = 'src/jobs/report.ts';
    const uri = await client.open(ws.file(report), 'typescript', readFileSync(ws.file(report), 'utf8'));
    const diagnostics = await pushedUntil(client, uri, (list) => nested(list).length > 0, 'the nested retry three files away');
    expect(nested(diagnostics)[0]?.message).toContain('-> retry at src/http/fetch-with-retry.ts:4');
  }, PROJECT_TIMEOUT_MS + 10_000);

  it('publishes the per-file diagnostics first, then the project finding with its chain', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    const perFile = await client.diagnosticsFor(uri, 1);
    expect(nested(perFile)).toEqual([]);
    expect(perFile.map((d) => d.code)).toContain('bounded-delay');

    const project = await pushedUntil(client, uri, (d) => nested(d).length > 0, 'the project finding');
    // (The open is published twice, as before project mode: open and first content.)
    const shown = client.publishHistory.filter((params) => params.uri === uri).map((params) => nested(params.diagnostics).length);
    expect(shown.filter((count, index) => count !== shown[index - 1])).toEqual([0, 1]);
    const [finding] = nested(project);
    expect(finding!.message).toContain('Up to 36 requests per call (outer 12 x SDK 3)');
    expect(finding!.message).toContain(CHAIN);
    // The imported MAX_ATTEMPTS is known in project mode: the attempts are judged too.
    expect(project.find((d) => d.code === 'bounded-attempts')?.message).toBe('Makes up to 12 attempts (limit 5).');

    // Its fix edits src/llm/client.ts: never rendered as an edit of this file.
    expect(finding!.data).toMatchObject({ unsafe: false, fixes: [] });
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: finding!.range,
      context: { diagnostics: [finding!] },
    });
    // Offered as a quick fix whose workspace edit changes the other file, and only that file.
    const switchOff = (actions ?? []).filter((action) => 'edit' in action && JSON.stringify(action.edit).includes('maxRetries'));
    expect(switchOff).toHaveLength(1);
    const changes = (switchOff[0] as { edit?: { documentChanges?: { textDocument: { uri: string } }[] } }).edit?.documentChanges ?? [];
    expect(changes.map((change) => change.textDocument.uri)).toEqual([expect.stringMatching(/\/src\/llm\/client\.ts$/)]);
    expect((actions ?? []).map((action) => action.title)).toContain('Disable no-nested-retries for this line');

    // The hover reads the project result's site (12 attempts, from the imported constant).
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: finding!.range.start });
    expect(JSON.stringify(hover)).toContain('12');
  }, 60_000);

  it('keeps the project findings while typing elsewhere, moved with the text, until the new project result', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    const [before] = nested(await pushedUntil(client, uri, (d) => nested(d).length > 0, 'the project finding'));

    const lines = client.text(uri).split('\n').length;
    const appended = await client.change(uri, [{ range: { start: { line: lines - 1, character: 0 }, end: { line: lines - 1, character: 0 } }, text: '// a note\n' }]);
    expect(nested(await client.diagnosticsFor(uri, appended)).map((d) => d.range)).toEqual([before!.range]);
    const prepended = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    const moved = nested(await client.diagnosticsFor(uri, prepended));
    expect(moved.map((d) => d.range.start.line)).toEqual([before!.range.start.line + 1]);
    // Every publish of these versions showed it; the project result of the last one comes with its own data.
    expect(client.publishHistory.filter((params) => params.uri === uri && params.version! >= appended).every((params) => nested(params.diagnostics).length === 1)).toBe(true);
    await pushedUntil(client, uri, (d) => projectVersion(d) === prepended, 'the project result of the new text');

    // An edit inside the finding's range drops it until the program has read the new text.
    const call = nested(client.published.get(uri)!.diagnostics)[0]!.range;
    const inside = await client.change(uri, [{ range: call, text: 'await ask(`Summarise again: ${text}`)' }]);
    expect(nested(await client.diagnosticsFor(uri, inside))).toEqual([]);
    await pushedUntil(client, uri, (d) => projectVersion(d) === inside, 'the project finding of the edited call');
  }, 60_000);

  it('updates the finding of the retrying file when the file that builds the client is edited', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const summarise = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    const builder = await client.open(ws.file(CLIENT), 'typescript', readFileSync(ws.file(CLIENT), 'utf8'));
    await pushedUntil(client, summarise, (d) => nested(d).length > 0, 'the project finding');

    await client.replaceText(builder, client.text(builder).replace('timeout: 30_000,', 'timeout: 30_000,\n  maxRetries: 0,'));
    const after = await pushedUntil(client, summarise, (d) => nested(d).length === 0, 'the finding gone after maxRetries: 0');
    expect(client.published.get(summarise)?.version).toBe(1);
    expect(after.map((d) => d.code)).toContain('bounded-attempts'); // still the project result

    // Closing the unsaved buffer: the program reads client.ts from disk again.
    await client.close(builder);
    await pushedUntil(client, summarise, (d) => nested(d).length > 0, 'the finding back once the buffer is closed');
  }, 60_000);

  it('follows a change on disk of a file that is not open', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    await pushedUntil(client, uri, (d) => nested(d).length > 0, 'the project finding');
    writeFileSync(ws.file(CLIENT), readFileSync(ws.file(CLIENT), 'utf8').replace('timeout: 30_000,', 'timeout: 30_000, maxRetries: 0,'));
    await client.filesChanged([ws.file(CLIENT)]);
    await pushedUntil(client, uri, (d) => nested(d).length === 0, 'the finding gone after the change on disk');
  }, 60_000);

  it('builds the program again when a file it read is deleted', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    await pushedUntil(client, uri, (d) => nested(d).length > 0, 'the project finding');
    rmSync(ws.file(CLIENT));
    await client.filesChanged([ws.file(CLIENT)], FileChangeType.Deleted);
    const after = await pushedUntil(client, uri, (d) => nested(d).length === 0, 'no client, no nested retry');
    expect(after.map((d) => d.code)).toContain('bounded-attempts'); // still the project result
  }, 60_000);

  it('goes back to per-file results when the tsconfig is deleted', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    await pushedUntil(client, uri, (d) => nested(d).length > 0, 'the project finding');
    rmSync(ws.file('tsconfig.json'));
    await client.filesChanged([ws.file('tsconfig.json')], FileChangeType.Deleted);
    const perFile = await pushedUntil(client, uri, (d) => nested(d).length === 0, 'the per-file results again');
    expect(perFile.map((d) => d.code)).not.toContain('bounded-attempts');
  }, 60_000);

  it('answers pulls with the project result once it is ready', async () => {
    const ws = workspace(projectFiles());
    const client = await start({ folders: [ws.dir], pull: true });
    const uri = await client.open(ws.file(SUMMARISE), 'typescript', readFileSync(ws.file(SUMMARISE), 'utf8'));
    const pull = async () => {
      const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      return report.kind === 'full' ? report.items : [];
    };
    expect(nested(await pull())).toEqual([]);
    await eventually(() => (client.diagnosticRefreshes > 0 ? true : undefined), 'a diagnostic refresh', PROJECT_TIMEOUT_MS);
    expect(nested(await pull()).map((d) => d.message)).toEqual([expect.stringContaining(CHAIN)]);
    expect(client.published.has(uri)).toBe(false);
  }, 60_000);

  it('with project "off", keeps the per-file results', async () => {
    const ws = workspace({ ...projectFiles('off'), ...projectFiles('auto') });
    const client = await start({
      folders: [ws.file('off'), ws.file('auto')],
      settings: { [ws.file('off')]: { project: 'off' } },
      trace: 'verbose',
    });
    const off = await client.open(ws.file(`off/${SUMMARISE}`), 'typescript', readFileSync(ws.file(`off/${SUMMARISE}`), 'utf8'));
    expect(nested(await client.diagnosticsFor(off, 1))).toEqual([]);
    // A project lint of the other folder, scheduled later, has run: the "off" one would have too.
    const auto = await client.open(ws.file(`auto/${SUMMARISE}`), 'typescript', readFileSync(ws.file(`auto/${SUMMARISE}`), 'utf8'));
    await pushedUntil(client, auto, (d) => nested(d).length > 0, 'the project finding where project mode is on');
    expect(nested(client.published.get(off)!.diagnostics)).toEqual([]);
    expect(client.publishHistory.filter((params) => params.uri === off && nested(params.diagnostics).length > 0)).toEqual([]);
    expect(client.traces.filter((trace) => trace.message.startsWith(`project lint of ${ws.file('off')}`))).toEqual([]);
  }, 60_000);

  it('keeps at most three programs when documents of more tsconfigs are open', async () => {
    const names = ['one', 'two', 'three', 'four'];
    const ws = workspace(Object.assign({}, ...names.map((name) => projectFiles(name))) as Record<string, string>);
    const client = await start({ folders: [ws.dir], trace: 'verbose' });
    const uris: string[] = [];
    for (const name of names) {
      const file = ws.file(`${name}/${SUMMARISE}`);
      const uri = await client.open(file, 'typescript', readFileSync(file, 'utf8'));
      uris.push(uri);
      await pushedUntil(client, uri, (d) => nested(d).length > 0, `the project finding in ${name}`);
    }
    expect(programCounts(client).at(-1)).toBe(3);
    // The first project's program was dropped; an edit there loads it again, still within the bound.
    await client.replaceText(uris[0]!, `${client.text(uris[0]!)}\n// edited\n`);
    await pushedUntil(client, uris[0]!, (d) => projectVersion(d) === 2, 'the project finding after the edit');
    const counts = programCounts(client);
    expect(counts.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...counts)).toBe(3);
  }, 120_000);
});
