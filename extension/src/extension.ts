/**
 * The retrylint extension: a thin client for the bundled language server, plus the
 * commands, the status bar item and the client side of the code lenses.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client.js';
import { isLintedLanguage } from './languages.js';
import { LINT_WORKSPACE_COMMAND, lintWorkspace } from './lint-workspace.js';
import { SERVER_FIX_ALL_COMMAND, StatusNotification } from './protocol.js';
import { SET_API_KEY_COMMAND } from './retry-lab/api-keys.js';
import { TEST_SITE_COMMAND } from './retry-lab/code-lens.js';
import { RETRY_LAB_VIEW_ID, RetryLabView } from './retry-lab/retry-lab-view.js';
import { OPEN_RULE_DOCUMENTATION_COMMAND, openRuleDocumentation } from './rule-documentation.js';
import { SHOW_SCHEDULE_COMMAND, showSchedule } from './show-schedule.js';
import { SHOW_OUTPUT_COMMAND, StatusBar } from './status-bar.js';

const FIX_ALL_IN_FILE_COMMAND = 'retrylint.fixAllInFile';
const RESTART_SERVER_COMMAND = 'retrylint.restartServer';
const OPEN_RETRY_LAB_COMMAND = 'retrylint.retryLab.open';

/** What activate() returns: the Retry Lab, for the extension's own integration tests. */
export interface RetrylintApi {
  readonly retryLab: RetryLabView;
}

/** The site of a code lens (uri, LSP position), or the cursor's in the active editor (context menu). */
function siteTarget(uri: unknown, position: unknown): { uri: string; position: { line: number; character: number } } | undefined {
  const at = position as { line?: unknown; character?: unknown } | undefined;
  if (typeof uri === 'string' && Number.isInteger(at?.line) && Number.isInteger(at?.character)) {
    return { uri, position: { line: at?.line as number, character: at?.character as number } };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

class Session {
  private client: LanguageClient | undefined;
  private starting: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly statusBar: StatusBar,
  ) {}

  get restricted(): boolean {
    return !vscode.workspace.isTrusted;
  }

  start(): Promise<void> {
    this.starting = this.starting.then(() => this.startClient());
    return this.starting;
  }

  private async startClient(): Promise<void> {
    await this.stopClient();
    this.statusBar.setRestricted(this.restricted);
    this.statusBar.starting();
    const client = createClient(this.context, this.output, this.restricted);
    this.client = client;
    this.disposables.push(
      client.onDidChangeState((change) => {
        if (change.newState === State.Stopped) this.statusBar.stopped();
      }),
      client.onNotification(StatusNotification, (status) => this.statusBar.update(status)),
    );
    try {
      await client.start();
      const mode = this.restricted ? ' in restricted mode (untrusted workspace): diagnostics, hovers and code lenses only' : '';
      this.output.appendLine(`retrylint: the language server is running${mode}.`);
    } catch (error) {
      this.output.appendLine(`retrylint: the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
      this.statusBar.stopped();
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    if (client?.isRunning()) await client.stop();
  }

  /** The running client, or a message saying why there is none. */
  async runningClient(): Promise<LanguageClient | undefined> {
    await this.starting;
    if (this.client?.isRunning()) return this.client;
    void vscode.window.showWarningMessage('retrylint: the language server is not running. See "retrylint: Show output".');
    return undefined;
  }

  async fixAllInFile(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isLintedLanguage(editor.document.languageId)) {
      void vscode.window.showInformationMessage('retrylint: open a Python, TypeScript or JavaScript file to fix it.');
      return false;
    }
    if (this.restricted) {
      void vscode.window.showWarningMessage('retrylint: fixes are off in an untrusted workspace (restricted mode).');
      return false;
    }
    const client = await this.runningClient();
    if (!client) return false;
    const { document } = editor;
    const applied: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIX_ALL_COMMAND,
      arguments: [{ uri: document.uri.toString(), version: document.version }],
    });
    if (applied !== true) void vscode.window.showInformationMessage('retrylint: nothing to fix in this file.');
    return applied === true;
  }

  async dispose(): Promise<void> {
    await this.starting;
    await this.stopClient();
  }
}

export function activate(context: vscode.ExtensionContext): RetrylintApi {
  const output = vscode.window.createOutputChannel('retrylint');
  const statusBar = new StatusBar();
  const session = new Session(context, output, statusBar);
  const retryLab = new RetryLabView(context, output, () => session.runningClient());
  activeSession = session;
  context.subscriptions.push(
    output,
    statusBar,
    retryLab,
    vscode.window.registerWebviewViewProvider(RETRY_LAB_VIEW_ID, retryLab),
    vscode.commands.registerCommand(OPEN_RETRY_LAB_COMMAND, () => retryLab.reveal()),
    vscode.commands.registerCommand(SET_API_KEY_COMMAND, (endpoint: unknown, key: unknown) => retryLab.keys.prompt(endpoint, key)),
    vscode.commands.registerCommand(TEST_SITE_COMMAND, (uri: unknown, position: unknown) => {
      const target = siteTarget(uri, position);
      if (!target) {
        void vscode.window.showInformationMessage('Retry Lab: open a file and put the cursor in a retry site to test it.');
        return false;
      }
      return retryLab.testSite(target.uri, target.position);
    }),
    vscode.commands.registerCommand(LINT_WORKSPACE_COMMAND, async () => {
      const client = await session.runningClient();
      return client ? lintWorkspace(client) : undefined;
    }),
    vscode.commands.registerCommand(FIX_ALL_IN_FILE_COMMAND, () => session.fixAllInFile()),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, () => session.start()),
    vscode.commands.registerCommand(OPEN_RULE_DOCUMENTATION_COMMAND, () => openRuleDocumentation()),
    vscode.commands.registerCommand(SHOW_SCHEDULE_COMMAND, (uri: unknown, position: unknown) => showSchedule(uri, position)),
    // Trust lifts restricted mode: restart the server with fixes on.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void session.start()),
  );
  void session.start();
  return { retryLab };
}

let activeSession: Session | undefined;

/** VS Code waits for the returned promise: the server is asked to shut down, not killed. */
export function deactivate(): Promise<void> | undefined {
  const session = activeSession;
  activeSession = undefined;
  return session?.dispose();
}
