/**
 * A small LSP client for the server tests: spawns the built server (or `retrylint lsp`),
 * speaks the protocol over its stdio, answers the server's requests the way an editor
 * would (settings, registrations, applied edits, opened documents), and records what the
 * server sends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  CodeLensRefreshRequest,
  DiagnosticRefreshRequest,
  LogTraceNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type ClientCapabilities,
  type InitializeResult,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type ShowDocumentParams,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterEach } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const serverBundle = path.join(repoRoot, 'linter/dist/server.cjs');
export const cliBin = path.join(repoRoot, 'linter/bin/retrylint.cjs');

export type WorkDoneProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StatusParams {
  readonly state: 'ok' | 'warning' | 'error';
  readonly problems: number;
  readonly message?: string;
}

export interface ClientOptions {
  /** Workspace folders (absolute paths). */
  readonly folders: readonly string[];
  /** `retrylint` settings per folder (by absolute path); the first folder's for files outside. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Ask for pull diagnostics (VS Code does); push otherwise. */
  readonly pull?: boolean;
  /** A pull client that knows no `workspace/diagnostic/refresh` (answers it with an error). */
  readonly withoutDiagnosticRefresh?: boolean;
  /** Start through `retrylint lsp --stdio` instead of the server bundle. */
  readonly viaCli?: boolean;
  /** `initializationOptions.restricted` (an untrusted workspace). */
  readonly restricted?: boolean;
  /** The trace level sent in initialize (the server's `$/logTrace` messages are kept in `traces`). */
  readonly trace?: 'off' | 'messages' | 'verbose';
}

/** Waits until `probe` returns a value, failing after `timeoutMs` with `what`. */
export async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly published = new Map<string, PublishDiagnosticsParams>();
  /** Every publish, in arrival order. */
  readonly publishHistory: PublishDiagnosticsParams[] = [];
  readonly statuses: StatusParams[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly registrations: Registration[] = [];
  readonly configurationRequests: unknown[] = [];
  /** `$/progress` values by token, in arrival order. */
  readonly progress = new Map<string | number, WorkDoneProgressValue[]>();
  readonly createdProgressTokens: (string | number)[] = [];
  readonly traces: { message: string; verbose?: string }[] = [];
  codeLensRefreshes = 0;
  diagnosticRefreshes = 0;
  initializeResult: InitializeResult | undefined;
  readonly documents = new Map<string, TextDocument>();
  settings: Record<string, unknown>;
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private exitCode: number | null | undefined;

  constructor(private readonly options: ClientOptions) {
    this.settings = { ...(options.settings ?? {}) };
    const args = options.viaCli ? [cliBin, 'lsp', '--stdio'] : [serverBundle, '--stdio'];
    this.child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', (code) => {
      this.exitCode = code;
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      this.publishHistory.push(params);
    });
    this.connection.onNotification('retrylint/status', (params: StatusParams) => {
      this.statuses.push(params);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item);
        return this.settingsFor(item.scopeUri);
      }),
    );
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    this.connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.createdProgressTokens.push(params.token);
    });
    this.connection.onNotification('$/progress', (params: { token: string | number; value: WorkDoneProgressValue }) => {
      const values = this.progress.get(params.token) ?? [];
      values.push(params.value);
      this.progress.set(params.token, values);
    });
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes++;
    });
    if (!options.withoutDiagnosticRefresh) {
      this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
        this.diagnosticRefreshes++;
      });
    }
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => ({ applied: this.applyEdit(params.edit) }));
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification(LogTraceNotification.type, (params) => {
      this.traces.push(params);
    });
    this.connection.listen();
  }

  /** Fails fast (with the server's stderr) once the server has exited. */
  assertRunning(): void {
    if (this.exitCode !== undefined) throw new Error(`the server exited (${this.exitCode}): ${this.serverErrors}`);
  }

  get serverErrors(): string {
    return this.stderr.join('');
  }

  private settingsFor(scopeUri: string | undefined): unknown {
    const scope = scopeUri?.startsWith('file:') ? fileURLToPath(scopeUri) : undefined;
    const folder = [...this.options.folders]
      .sort((a, b) => b.length - a.length)
      .find((candidate) => scope !== undefined && (scope === candidate || scope.startsWith(candidate + path.sep)));
    return this.settings[folder ?? this.options.folders[0]] ?? {};
  }

  async initialize(): Promise<void> {
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        applyEdit: true,
        workspaceEdit: { documentChanges: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
        codeLens: { refreshSupport: true },
        ...(this.options.pull && !this.options.withoutDiagnosticRefresh ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeLens: {},
        ...(this.options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
      },
      window: { showDocument: { support: true }, workDoneProgress: true },
    };
    this.initializeResult = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities,
      ...(this.options.trace ? { trace: this.options.trace } : {}),
      workspaceFolders: this.options.folders.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
      ...(this.options.restricted === undefined ? {} : { initializationOptions: { restricted: this.options.restricted } }),
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  async open(filePath: string, languageId: string, text: string): Promise<string> {
    const uri = pathToFileURL(filePath).href;
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const current = this.documents.get(uri)!;
    const next = TextDocument.update(current, changes, current.version + 1);
    this.documents.set(uri, next);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges: changes,
    });
    return next.version;
  }

  /** Replaces the whole text (one full-document change). */
  async replaceText(uri: string, text: string): Promise<number> {
    return this.change(uri, [{ text }]);
  }

  /** Tells the server files changed on disk, as an editor's file watcher would. */
  async filesChanged(files: readonly string[], type: FileChangeType = FileChangeType.Changed): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: files.map((file) => ({ uri: pathToFileURL(file).href, type })),
    });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  /** The diagnostics pushed for a document version (waits for them). */
  diagnosticsFor(uri: string, version?: number): Promise<Diagnostic[]> {
    return eventually(() => {
      this.assertRunning();
      const params = this.published.get(uri);
      if (!params || (version !== undefined && params.version !== version)) return undefined;
      return params.diagnostics;
    }, `diagnostics of ${uri}${version === undefined ? '' : ` v${version}`}`);
  }

  /** Applies an edit to the client's copy of the documents, as an editor would. */
  applyEdit(edit: WorkspaceEdit): boolean {
    const perUri: [string, Parameters<typeof TextDocument.applyEdits>[1]][] = [];
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.push([uri, edits]);
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) return false;
      const current = this.documents.get(change.textDocument.uri);
      if (!current || (change.textDocument.version !== null && change.textDocument.version !== current.version)) return false;
      perUri.push([change.textDocument.uri, change.edits as Parameters<typeof TextDocument.applyEdits>[1]]);
    }
    for (const [uri, edits] of perUri) {
      const current = this.documents.get(uri);
      if (!current) return false;
      const text = TextDocument.applyEdits(current, edits);
      this.documents.set(uri, TextDocument.create(uri, current.languageId, current.version + 1, text));
    }
    return true;
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the server may already be gone
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

/** A temp folder with the given files; removed by `dispose`. */
export function makeWorkspace(files: Readonly<Record<string, string>>): { dir: string; file: (name: string) => string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-lsp-'));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  return { dir, file: (name) => path.join(dir, name), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Servers and temp folders for one test file: `start` spawns and initializes a server,
 * `workspace` makes a folder; both are shut down and removed after each test.
 */
export function serverSessions(): {
  start: (options: ClientOptions) => Promise<TestClient>;
  workspace: (files: Readonly<Record<string, string>>) => ReturnType<typeof makeWorkspace>;
} {
  const clients: TestClient[] = [];
  const disposers: (() => void)[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.shutdown()));
    for (const dispose of disposers.splice(0)) dispose();
  });
  return {
    start: async (options) => {
      const client = new TestClient(options);
      clients.push(client);
      await client.initialize();
      return client;
    },
    workspace: (files) => {
      const created = makeWorkspace(files);
      disposers.push(created.dispose);
      return created;
    },
  };
}
