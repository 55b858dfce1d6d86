/**
 * The server as the .vsix ships it (extension/dist/server) is self-contained: copied to a
 * folder with no node_modules above it, it starts over stdio and lints Python (WebAssembly
 * parser) and TypeScript (oxc-parser's native binding, vendored by extension/build.mjs).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/e2e/vscode/workspace');

let folder: string;
let server: ChildProcess;
let connection: ProtocolConnection;
const published = new Map<string, Diagnostic[]>();

beforeAll(async () => {
  // vitest's global setup has built the linter; rebuilding it here would race the other test files.
  execFileSync(process.execPath, [path.join(root, 'extension/build.mjs'), '--skip-linter-build'], { stdio: 'pipe' });
  folder = mkdtempSync(path.join(os.tmpdir(), 'retrylint-packaged-'));
  cpSync(path.join(root, 'extension/dist/server'), path.join(folder, 'server'), { recursive: true });
  cpSync(fixtures, path.join(folder, 'project'), { recursive: true });
  cpSync(path.join(root, 'test/fixtures/projects/llm-app'), path.join(folder, 'project/app'), { recursive: true });
  server = spawn(process.execPath, [path.join(folder, 'server/server.cjs'), '--stdio'], {
    cwd: folder,
    env: { ...process.env, RETRYLINT_WASM_DIR: path.join(folder, 'server'), NODE_PATH: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.set(params.uri, params.diagnostics);
  });
  connection.listen();
  const projectUri = pathToFileURL(path.join(folder, 'project')).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: projectUri,
    workspaceFolders: [{ uri: projectUri, name: 'project' }],
    capabilities: {},
    initializationOptions: { restricted: false },
  });
  await connection.sendNotification(InitializedNotification.type, {});
}, 60_000);

afterAll(() => {
  connection?.dispose();
  server?.kill();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function diagnosticsOf(name: string, languageId: string, until: (diagnostics: Diagnostic[]) => boolean = (list) => list.length > 0): Promise<Diagnostic[]> {
  const file = path.join(folder, 'project', name);
  const uri = pathToFileURL(file).href;
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId, version: 1, text: readFileSync(file, 'utf8') },
  });
  const deadline = Date.now() + 30_000;
  while (!until(published.get(uri) ?? [])) {
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return published.get(uri)!;
}

describe('the server bundled in the extension', () => {
  it('lints Python with the bundled WebAssembly parser', async () => {
    const diagnostics = await diagnosticsOf('retry_client.py', 'python');
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line])).toEqual([
      ['bounded-attempts', 7],
      ['bounded-attempts', 13],
    ]);
  });

  it('lints TypeScript with the vendored native parser', async () => {
    const diagnostics = await diagnosticsOf('retry-client.ts', 'typescript');
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['bounded-attempts', 'Makes up to 20 attempts (limit 5).'],
    ]);
  });

  it('runs project mode with the vendored ts-morph under a tsconfig', async () => {
    const diagnostics = await diagnosticsOf('app/src/jobs/summarise.ts', 'typescript', (list) => list.some((diagnostic) => diagnostic.code === 'no-nested-retries'));
    const nested = diagnostics.find((diagnostic) => diagnostic.code === 'no-nested-retries');
    expect(nested?.message).toContain('-> client built at');
  }, 40_000);
});
