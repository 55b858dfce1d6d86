/**
 * The retrylint language server: diagnostics, code actions and commands over LSP, with
 * the CLI's pipeline underneath. Handlers for each feature live in their own modules;
 * this file keeps the session state (open documents, settings, configs) and the wiring.
 */
import path from 'node:path';
import { formatConfigProblem, type Language } from '@retrylint/shared';
import {
  CodeLensRefreshRequest,
  DiagnosticRefreshRequest,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TOOL_VERSION } from '../cli/here.js';
import type { FileConfig } from '../config/file-config.js';
import { frontendFor } from '../frontends/index.js';
import { setPythonTreeSource } from '../frontends/python/index.js';
import { codeActions } from './code-actions.js';
import { otherFileReader } from './cross-file-actions.js';
import { codeLenses } from './code-lens.js';
import { FIX_ALL_KIND, RESTRICTED_COMMANDS, SERVER_COMMANDS } from './commands.js';
import { configDiagnostics } from './config-diagnostics.js';
import { diagnosticsOf, inDocumentOrder } from './diagnostics.js';
import { lintDocument, type DocumentLint } from './document-lint.js';
import { filePathOf, folderOf, languageFor, uriOf } from './documents.js';
import { executeCommand } from './execute-command.js';
import { fixAllEdit } from './fix-all.js';
import { FolderConfigs } from './folder-configs.js';
import { hoverAt } from './hover.js';
import { carryOver, projectOnly } from './project-carry-over.js';
import { ProjectLinter } from './project-lint.js';
import { IncrementalPythonTrees } from './python-trees.js';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings.js';
import { statusOf, StatusNotification, type StatusParams } from './status.js';
import { sitePolicy, SitePolicyRequest } from './site-policy.js';
import { watchedFileKind, WATCHED_FILE_PATTERNS } from './watched-files.js';
import { lintWorkspace, LintWorkspaceRequest } from './workspace-lint.js';

interface LintEntry {
  readonly lint: DocumentLint;
  readonly diagnostics: Diagnostic[];
  /** The text that was linted, for positions of its spans (the buffer may have moved on). */
  readonly snapshot: TextDocument;
  /** Linted with the tsconfig's program (project mode), after the per-file lint of the same version. */
  readonly project?: boolean;
  /**
   * What only the last project lint found, placed in this snapshot: part of `diagnostics`, and
   * carried over to the next versions' per-file results until their project lint (project-carry-over.ts).
   */
  readonly projectOnly?: readonly Diagnostic[];
}

/** What linting a document needs: undefined when it is not linted (not lintable, disabled, ignored). */
export interface LintTarget {
  readonly filePath: string;
  readonly language: Language;
  readonly settings: ServerSettings;
  readonly config: FileConfig;
}

export class RetrylintServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly configs = new FolderConfigs();
  private capabilities: ClientCapabilities = {};
  private folders: string[] = [];
  private pushedSettings: ServerSettings = DEFAULT_SETTINGS;
  private settingsCache = new Map<string, Promise<ServerSettings>>();
  private readonly latest = new Map<string, LintEntry>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private linting = new Map<string, { readonly version: number; readonly result: Promise<LintEntry | undefined> }>();
  private readonly rerun = new Set<string>();
  private publishedConfigProblems = new Map<string, string>();
  /** Closed files whose diagnostics a workspace lint published. */
  private readonly workspacePublished = new Set<string>();
  private lastStatus: string | undefined;
  /** An untrusted workspace: diagnostics, hovers and code lenses only, nothing that edits. */
  private restrictedMode = false;
  private readonly projects = new ProjectLinter(this);

  constructor(readonly connection: Connection) {}

  get clientCapabilities(): ClientCapabilities {
    return this.capabilities;
  }

  get restricted(): boolean {
    return this.restrictedMode;
  }

  get pullDiagnostics(): boolean {
    return this.capabilities.textDocument?.diagnostic !== undefined;
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (this.capabilities.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => this.changeFolders(event.added, event.removed));
      }
      void this.registerWatchers();
    });
    connection.onDidChangeConfiguration((change) => {
      const section = (change.settings as { retrylint?: unknown } | null)?.retrylint;
      if (section !== undefined) this.pushedSettings = readSettings(section);
      this.settingsCache = new Map();
      this.configs.reset();
      this.relintAll();
      this.refreshCodeLenses();
    });
    connection.onDidChangeWatchedFiles((params) => this.watchedFilesChanged(params.changes));

    // Open Python documents keep their tree between lints: a change reparses only what it touched.
    const pythonTrees = new IncrementalPythonTrees();
    setPythonTreeSource(pythonTrees);
    const trackTree = (uri: string, open: boolean) => {
      const filePath = filePathOf(uri);
      if (filePath) (open ? pythonTrees.open(filePath) : pythonTrees.close(filePath));
    };
    documents.onDidOpen((event) => {
      trackTree(event.document.uri, true);
      void this.onContent(event.document.uri, 'open');
    });
    documents.onDidChangeContent((event) => void this.onContent(event.document.uri, 'change'));
    documents.onDidSave((event) => void this.onContent(event.document.uri, 'save'));
    documents.onDidClose((event) => {
      trackTree(event.document.uri, false);
      this.forget(event.document.uri);
      const filePath = filePathOf(event.document.uri);
      if (filePath) this.projects.closed(filePath);
    });

    connection.languages.diagnostics.on(async (params) => {
      const entry = await this.diagnosticsFor(params.textDocument.uri);
      return { kind: 'full', items: entry?.diagnostics ?? [] };
    });
    connection.onCodeAction(async (params) => {
      if (this.restrictedMode) return [];
      const document = documents.get(params.textDocument.uri);
      const entry = document ? await this.current(document) : undefined;
      if (!document || !entry) return [];
      const frontend = await frontendFor(entry.lint.language);
      return codeActions(params, {
        document,
        lint: entry.lint,
        fixAll: async () => {
          const edit = await fixAllEdit(entry.lint, document);
          return edit ? { changes: { [document.uri]: [edit] } } : undefined;
        },
        parses: (text) => frontend.parses(text, entry.lint.filePath),
        readOtherFile: otherFileReader((uri) => documents.get(uri)),
      });
    });
    connection.onExecuteCommand((params) => executeCommand(this, params));
    connection.onHover(async (params) => {
      const document = documents.get(params.textDocument.uri);
      const entry = document ? await this.current(document) : undefined;
      if (!entry) return null;
      return hoverAt(entry.lint, entry.snapshot, params.position, this.folderFor(entry.lint.filePath));
    });
    connection.onCodeLens(async (params) => {
      const document = documents.get(params.textDocument.uri);
      if (!document || !(await this.settingsFor(document.uri)).codeLens) return [];
      const entry = await this.current(document);
      return entry ? codeLenses(entry.lint, entry.snapshot) : [];
    });
    connection.onRequest(SitePolicyRequest, (params) => sitePolicy(this, params));
    connection.onRequest(LintWorkspaceRequest, (params, token) => lintWorkspace(this, params ?? {}, token));
    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.folders = folders.flatMap((folder) => filePathOf(folder.uri) ?? []);
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      const options = params.initializationOptions as { settings?: unknown; retrylint?: unknown; restricted?: unknown };
      const section = options.retrylint ?? options.settings;
      if (section !== undefined) this.pushedSettings = readSettings(section);
      this.restrictedMode = options.restricted === true;
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        ...(this.restrictedMode ? {} : { codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: false } }),
        executeCommandProvider: { commands: [...(this.restrictedMode ? RESTRICTED_COMMANDS : SERVER_COMMANDS)] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(this.pullDiagnostics
          ? { diagnosticProvider: { identifier: 'retrylint', interFileDependencies: false, workspaceDiagnostics: false } }
          : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'retrylint', version: TOOL_VERSION },
    };
  }

  private async registerWatchers(): Promise<void> {
    if (!this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: WATCHED_FILE_PATTERNS.map((globPattern) => ({ globPattern })),
    });
  }

  private changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const removedPaths = new Set(removed.flatMap((folder) => filePathOf(folder.uri) ?? []));
    this.folders = [...this.folders.filter((folder) => !removedPaths.has(folder)), ...added.flatMap((folder) => filePathOf(folder.uri) ?? [])];
    this.settingsCache = new Map();
    this.configs.reset();
    this.relintAll();
    this.refreshCodeLenses();
  }

  /** The settings for a document (pulled from the client when it supports workspace/configuration). */
  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.capabilities.workspace?.configuration) return Promise.resolve(this.pushedSettings);
    let pending = this.settingsCache.get(uri);
    if (!pending) {
      pending = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'retrylint' })
        .then(readSettings, () => DEFAULT_SETTINGS);
      this.settingsCache.set(uri, pending);
    }
    return pending;
  }

  folderFor(filePath: string): string {
    return folderOf(filePath, this.folders);
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  private async onContent(uri: string, trigger: 'open' | 'change' | 'save'): Promise<void> {
    if (trigger === 'open' && this.pullDiagnostics && this.workspacePublished.delete(uri)) {
      // The client pulls an open document's diagnostics: pushed ones would show twice.
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    const settings = await this.settingsFor(uri);
    if (trigger === 'change' && settings.run === 'onSave') return;
    if (trigger === 'save' && settings.run === 'onType') return;
    this.scheduleProjectLint(uri);
    if (this.pullDiagnostics) {
      // The client pulls on open and change; it must be told when a save produced new results.
      if (trigger === 'save') {
        await this.lintNow(uri);
        this.refreshDiagnostics();
      }
      return;
    }
    this.requestLint(uri);
  }

  /** Lints a document once now, and once more if it changed meanwhile (bursts of edits coalesce). */
  private requestLint(uri: string): Promise<void> {
    const running = this.inFlight.get(uri);
    if (running) {
      this.rerun.add(uri);
      return running;
    }
    const run = async () => {
      do {
        this.rerun.delete(uri);
        const version = this.documents.get(uri)?.version;
        const entry = await this.lintNow(uri);
        if (!this.pullDiagnostics && this.documents.get(uri)) {
          await this.connection.sendDiagnostics({ uri, version: entry?.lint.version ?? version, diagnostics: entry?.diagnostics ?? [] });
        }
      } while (this.rerun.has(uri));
    };
    const pending = run()
      .catch((error: unknown) => this.connection.console.error(`retrylint: ${describe(error)}`))
      .finally(() => this.inFlight.delete(uri));
    this.inFlight.set(uri, pending);
    return pending;
  }

  /**
   * Lints the document's current text (undefined when it is not lintable, disabled or
   * ignored). Requests that arrive together for one version (a pull, code lenses, a hover
   * right after a change) share one lint.
   */
  lintNow(uri: string): Promise<LintEntry | undefined> {
    const document = this.documents.get(uri);
    if (!document) return Promise.resolve(undefined);
    const running = this.linting.get(uri);
    if (running && running.version === document.version) return running.result;
    const result = this.lintVersion(uri, document).finally(() => {
      if (this.linting.get(uri)?.result === result) this.linting.delete(uri);
    });
    this.linting.set(uri, { version: document.version, result });
    return result;
  }

  /** Whether and how the document is linted, with the settings and config in force now. */
  async lintTarget(uri: string): Promise<LintTarget | undefined> {
    const document = this.documents.get(uri);
    const filePath = filePathOf(uri);
    const language = filePath && document ? languageFor(filePath, document.languageId) : undefined;
    if (!filePath || !language) return undefined;
    const settings = await this.settingsFor(uri);
    if (!settings.enable) return undefined;
    const folder = this.folderFor(filePath);
    if (this.configs.isIgnored(filePath, folder, settings)) return undefined;
    const { config } = this.configs.configFor(filePath, folder, settings);
    return { filePath, language, settings, config };
  }

  private async lintVersion(uri: string, document: TextDocument): Promise<LintEntry | undefined> {
    const target = await this.lintTarget(uri);
    let entry: LintEntry | undefined;
    if (target) {
      const { filePath, language, config } = target;
      const text = document.getText();
      const started = performance.now();
      const cpuAtStart = process.cpuUsage();
      const lint = await lintDocument({ uri, version: document.version, filePath, language, text }, config);
      const linted = performance.now();
      // The text may have changed while the frontend loaded; positions must match the text linted.
      const snapshot = TextDocument.create(uri, document.languageId, lint.version, text);
      entry = { lint, diagnostics: diagnosticsOf(lint, snapshot), snapshot };
      const done = performance.now();
      const cpu = process.cpuUsage(cpuAtStart);
      this.connection.tracer.log(
        `linted ${path.basename(filePath)} v${lint.version} in ${Math.round(done - started)} ms`,
        // CPU time tells a lint's own cost apart from waiting for a busy machine.
        `parse and rules ${Math.round(linted - started)} ms, diagnostics with fixes ${Math.round(done - linted)} ms, ${entry.diagnostics.length} diagnostics, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms`,
      );
    }
    const known = this.latest.get(uri);
    // A slower lint of an older version must not replace a newer result.
    if (entry && known && known.lint.version > entry.lint.version) return entry;
    // The project lint of this version came first: it knows more.
    if (entry && known?.project && known.lint.version === entry.lint.version) return known;
    if (entry && known?.projectOnly && known.lint.version < entry.lint.version) {
      const carried = carryOver(known.projectOnly, known.snapshot, entry.snapshot, entry.diagnostics);
      if (carried.length > 0) entry = { ...entry, diagnostics: inDocumentOrder([...entry.diagnostics, ...carried]), projectOnly: carried };
    }
    if (entry) this.latest.set(uri, entry);
    else this.latest.delete(uri);
    this.afterLint();
    return entry;
  }

  private scheduleProjectLint(uri: string): void {
    const document = this.documents.get(uri);
    const filePath = filePathOf(uri);
    if (document && filePath && languageFor(filePath, document.languageId) === 'typescript') this.projects.schedule(filePath);
  }

  /**
   * A project lint of an open document's current version: kept and shown when it says
   * something else than what is shown. False when it is not taken because it has a problem
   * reading the file that the per-file lint does not have (the per-file result stays).
   */
  acceptProjectLint(lint: DocumentLint): boolean {
    const document = this.documents.get(lint.uri);
    if (!document || document.version !== lint.version) return true; // typed on: another pass follows
    const known = this.latest.get(lint.uri);
    if (known && known.lint.version > lint.version) return true;
    const perFileFatal = known?.lint.version === lint.version ? known.lint.notices.filter((notice) => notice.fatal).length : 0;
    if (lint.notices.filter((notice) => notice.fatal).length > perFileFatal) return false;
    const snapshot = TextDocument.create(lint.uri, document.languageId, lint.version, lint.text);
    const diagnostics = diagnosticsOf(lint, snapshot);
    const perFile = known?.lint.version === lint.version ? known.diagnostics.filter((diagnostic) => !known.projectOnly?.includes(diagnostic)) : [];
    const entry: LintEntry = { lint, diagnostics, snapshot, project: true, projectOnly: projectOnly(diagnostics, perFile) };
    // Kept even when the diagnostics are the same: hovers and code lenses read its sites.
    this.latest.set(lint.uri, entry);
    const shown = known?.lint.version === lint.version ? known.diagnostics : undefined;
    if (shown && JSON.stringify(shown) === JSON.stringify(entry.diagnostics)) return true;
    if (this.pullDiagnostics) this.refreshDiagnostics();
    else void this.connection.sendDiagnostics({ uri: lint.uri, version: lint.version, diagnostics: entry.diagnostics });
    this.refreshCodeLenses();
    this.afterLint();
    return true;
  }

  /** The project lint of these documents failed: what was carried over from an earlier one goes. */
  projectLintFailed(uris: readonly string[]): void {
    for (const uri of uris) {
      const entry = this.latest.get(uri);
      if (!entry?.projectOnly) continue;
      this.latest.delete(uri);
      if (this.pullDiagnostics) this.refreshDiagnostics();
      else void this.requestLint(uri);
    }
  }

  /** The lint of the document's current version, linting it when needed. */
  async current(document: TextDocument): Promise<LintEntry | undefined> {
    const known = this.latest.get(document.uri);
    if (known && known.lint.version === document.version) return known;
    return this.lintNow(document.uri);
  }

  private async diagnosticsFor(uri: string): Promise<LintEntry | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const settings = await this.settingsFor(uri);
    // In onSave mode the client still pulls while typing: it gets the results of the last save.
    if (settings.run === 'onSave' && this.latest.has(uri)) return this.latest.get(uri);
    return this.current(document);
  }

  latestLint(uri: string): DocumentLint | undefined {
    return this.latest.get(uri)?.lint;
  }

  private forget(uri: string): void {
    this.latest.delete(uri);
    this.settingsCache.delete(uri);
    if (!this.pullDiagnostics) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.afterLint();
  }

  /** Diagnostics of a file that is not open, from a workspace lint. */
  publishWorkspaceDiagnostics(uri: string, diagnostics: Diagnostic[]): void {
    this.workspacePublished.add(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** A workspace lint may have met a bad config. */
  afterWorkspaceLint(): void {
    this.afterLint();
  }

  /** Settings changed: lens titles (and whether there are lenses) may differ. */
  private refreshCodeLenses(): void {
    if (!this.capabilities.workspace?.codeLens?.refreshSupport) return;
    this.connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => this.connection.console.error(`retrylint: ${describe(error)}`));
  }

  /** Pulled results changed: the client must pull again (a refused refresh must not end the server). */
  private refreshDiagnostics(): void {
    if (!this.capabilities.workspace?.diagnostics?.refreshSupport) return;
    this.connection.sendRequest(DiagnosticRefreshRequest.type).catch((error: unknown) => this.connection.console.error(`retrylint: ${describe(error)}`));
  }

  /** Configs, ignore files and tsconfigs change results; other files only what programs read. */
  private watchedFilesChanged(changes: readonly FileEvent[]): void {
    const kinds = changes.map((change) => ({ change, kind: watchedFileKind(change.uri) }));
    const sources = kinds.filter(({ change, kind }) => kind === 'source' && !this.documents.get(change.uri));
    if (sources.length > 0) this.projects.filesChanged(sources.flatMap(({ change }) => filePathOf(change.uri) ?? []));
    if (kinds.some(({ kind }) => kind === 'tsconfig')) this.projects.reset();
    if (kinds.some(({ kind }) => kind === 'config' || kind === 'tsconfig')) {
      this.configs.reset();
      this.relintAll();
      this.refreshCodeLenses();
    }
  }

  /** Settings, configs, ignore files or tsconfigs changed: every open document again. */
  relintAll(): void {
    this.linting = new Map(); // a lint under way read the old settings or configs
    // Project results read the old settings too; the per-file results come first again.
    for (const [uri, entry] of this.latest) if (entry.project || entry.projectOnly) this.latest.delete(uri);
    this.projects.scheduleAll();
    if (this.pullDiagnostics) {
      for (const document of this.documents.all()) this.latest.delete(document.uri);
      this.refreshDiagnostics();
      this.afterLint();
      return;
    }
    for (const document of this.documents.all()) void this.requestLint(document.uri);
  }

  /** Config-file diagnostics and the status notification, after any change of results. */
  private afterLint(): void {
    const problems = this.configs.configProblems();
    for (const [file, fileProblems] of problems) {
      const key = JSON.stringify(fileProblems);
      if (this.publishedConfigProblems.get(file) === key) continue;
      void this.connection.sendDiagnostics({ uri: uriOf(file), diagnostics: configDiagnostics(fileProblems) });
      this.publishedConfigProblems.set(file, key);
    }
    for (const file of [...this.publishedConfigProblems.keys()]) {
      if (problems.has(file)) continue;
      void this.connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
      this.publishedConfigProblems.delete(file);
    }
    let count = 0;
    for (const entry of this.latest.values()) count += entry.diagnostics.length;
    const first = [...problems.values()][0]?.[0];
    this.sendStatus(statusOf(count, first ? formatConfigProblem(first) : undefined));
  }

  private sendStatus(status: StatusParams): void {
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification, status);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
