/**
 * The Retry Lab: a webview view in its own activity-bar container, with a Send tab (a real
 * call through the retry engine, in the extension host, with its attempts as they happen)
 * and a Simulate tab (the simulator and its recommendation for the same policy).
 *
 * The webview is untrusted input: its messages are validated (messages.ts), it never sees an
 * API key, and everything posted to it or logged is redacted of every key this session read.
 */
import { PROFILE_NAMES, resolvePolicy, type Policy } from '@retrylint/shared';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { loadPolicy } from '../../../linter/src/engine/load-policy.js';
import { startLabServer, type LabServer } from '../../../linter/src/lab/lab-server.js';
import { SitePolicyRequest } from '../protocol.js';
import { ApiKeys } from './api-keys.js';
import { configWithRecommendation } from './apply-recommendation.js';
import { chatCompletionsUrl, checkEndpoint, DEFAULT_ENDPOINT } from './endpoint.js';
import { newNonce, retryLabHtml } from './html.js';
import { runLabCall } from './lab-call.js';
import { PANEL_LAB_SCENARIOS } from './lab-scenarios.js';
import { recommendFor, simulatePolicy, SIMULATOR_SCENARIOS, type PanelRecommendation } from './lab-simulation.js';
import {
  chatMessagesOf,
  parseWebviewMessage,
  type HistoryEntry,
  type HostMessage,
  type LabServerScenario,
  type PolicyChoice,
  type SendMessage,
  type WebviewMessage,
} from './messages.js';
import { describePolicy, policyOfSite, type SiteEnginePolicy } from './policy-of-site.js';
import { redact, redactDeep } from './redact.js';

export const RETRY_LAB_VIEW_ID = 'retrylint.retryLab';
const HISTORY_KEY = 'retrylint.retryLab.history';
const HISTORY_SIZE = 20;
const DEFAULT_MODEL = 'gpt-4o-mini';
const DEFAULT_PROMPT = 'Say hello in five words.';

type CallRequest = Omit<SendMessage, 'type'>;

interface ChosenPolicy {
  readonly policy: Policy;
  readonly description: string;
  readonly permanentErrorCodes?: readonly string[];
}

interface SiteTarget {
  readonly uri: string;
  readonly position: { readonly line: number; readonly character: number };
  readonly resolved: SiteEnginePolicy;
}

class UserError extends Error {}

export class RetryLabView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private labServer: LabServer | undefined;
  private running: AbortController | undefined;
  private site: SiteTarget | undefined;
  private recommendation: PanelRecommendation | undefined;
  private prefill: Partial<CallRequest> | undefined;
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  private readonly disposables: vscode.Disposable[] = [this.posted];
  /** Every message posted to the webview, after redaction (tests assert on them). */
  readonly onDidPostMessage = this.posted.event;
  readonly keys: ApiKeys;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly client: () => Promise<LanguageClient | undefined>,
  ) {
    this.keys = new ApiKeys(context.secrets, context.globalState);
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.postState()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = retryLabHtml({
      cspSource: view.webview.cspSource,
      nonce: newNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'retry-lab.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'retry-lab.css')).toString(),
    });
    view.webview.onDidReceiveMessage((message: unknown) => void this.receive(message), undefined, this.disposables);
    view.onDidDispose(() => (this.view = undefined), undefined, this.disposables);
  }

  /** A message from the webview (or a test standing in for it). */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log(`ignored a message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof UserError)) this.log(`${parsed.value.type} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      this.post({ type: 'error', message });
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.postState(this.prefill ?? this.defaultRequest());
        this.prefill = undefined;
        return;
      case 'send': {
        const { type: _type, ...request } = message;
        return this.send(request);
      }
      case 'cancel':
        this.running?.abort(new Error('cancelled from the Retry Lab'));
        return;
      case 'rerun': {
        const entry = this.history()[message.index];
        if (!entry) throw new UserError(`no call ${message.index + 1} in the history`);
        this.postState(entry.request);
        return this.send(entry.request);
      }
      case 'start-lab-server':
        return this.startLabServer(message.scenario);
      case 'stop-lab-server':
        await this.stopLabServer();
        this.postState();
        return;
      case 'set-api-key':
        if (await this.keys.prompt(message.endpoint)) this.postState();
        return;
      case 'simulate':
        return this.simulate(message.scenario, message.policy);
      case 'recommend':
        return this.recommend(message.scenario);
      case 'apply-recommendation':
        return this.applyRecommendation();
    }
  }

  /** "Retry Lab: Test this retry site": the site's policy from the language server, then the panel. */
  async testSite(uri: string, position: { line: number; character: number }): Promise<boolean> {
    const resolved = await this.sitePolicyAt(uri, position);
    if (!resolved) {
      void vscode.window.showInformationMessage('Retry Lab: there is no retry site here. Put the cursor inside a retry loop, decorator or wrapper.');
      return false;
    }
    this.site = { uri, position, resolved };
    await this.reveal({ policy: { kind: 'site' } });
    return true;
  }

  /** Opens the view; `prefill` sets those fields of the form. */
  async reveal(prefill?: Partial<CallRequest>): Promise<void> {
    if (!this.view) this.prefill = { ...this.defaultRequest(), ...prefill };
    await vscode.commands.executeCommand(`${RETRY_LAB_VIEW_ID}.focus`);
    if (this.view) this.postState(prefill);
  }

  get sitePolicy(): SiteEnginePolicy | undefined {
    return this.site?.resolved;
  }

  private defaultRequest(): CallRequest {
    return {
      endpoint: this.labServer ? `${this.labServer.url}/v1` : DEFAULT_ENDPOINT,
      model: DEFAULT_MODEL,
      input: { kind: 'prompt', prompt: DEFAULT_PROMPT },
      stream: false,
      policy: { kind: 'config' },
    };
  }

  private history(): readonly HistoryEntry[] {
    return this.context.workspaceState.get<HistoryEntry[]>(HISTORY_KEY, []);
  }

  private async remember(entry: HistoryEntry): Promise<void> {
    await this.context.workspaceState.update(HISTORY_KEY, [entry, ...this.history()].slice(0, HISTORY_SIZE));
  }

  private postState(prefill?: Partial<CallRequest>): void {
    this.post({
      type: 'state',
      state: {
        trusted: vscode.workspace.isTrusted,
        labServer: this.labServer ? { url: `${this.labServer.url}/v1`, scenario: this.labServer.scenario.name } : undefined,
        history: this.history(),
        profiles: PROFILE_NAMES,
        simulatorScenarios: SIMULATOR_SCENARIOS,
        busy: this.running !== undefined,
        endpointsWithKey: this.keys.origins,
        site: this.site ? { label: this.site.resolved.summary.split(':')[0], summary: [this.site.resolved.summary, ...this.site.resolved.notes].join('; ') } : undefined,
      },
      ...(prefill ? { prefill } : {}),
    });
  }

  private post(message: HostMessage): void {
    const safe = redactDeep(message, this.keys.secretsSeen);
    this.posted.fire(safe);
    void this.view?.webview.postMessage(safe);
  }

  private log(line: string): void {
    this.output.appendLine(`Retry Lab: ${redact(line, this.keys.secretsSeen)}`);
  }

  private async sitePolicyAt(uri: string, position: { line: number; character: number }): Promise<SiteEnginePolicy | undefined> {
    const client = await this.client();
    if (!client) throw new UserError('the language server is not running: the site under the cursor cannot be read');
    const result = await client.sendRequest(SitePolicyRequest, { textDocument: { uri }, position });
    return result ? policyOfSite(result) : undefined;
  }

  private async choosePolicy(choice: PolicyChoice): Promise<ChosenPolicy> {
    if (choice.kind === 'profile') {
      const policy = resolvePolicy(choice.profile);
      return { policy, description: `profile ${choice.profile}: ${describePolicy(policy)}` };
    }
    if (choice.kind === 'site') {
      const editor = vscode.window.activeTextEditor;
      if (editor && (!this.site || this.site.uri !== editor.document.uri.toString() || this.site.position.line !== editor.selection.active.line)) {
        const { line, character } = editor.selection.active;
        const resolved = await this.sitePolicyAt(editor.document.uri.toString(), { line, character });
        if (resolved) this.site = { uri: editor.document.uri.toString(), position: { line, character }, resolved };
      }
      if (!this.site) throw new UserError('no retry site under the cursor: put the cursor inside a retry loop, decorator or wrapper (or use "Retry Lab: Test this retry site")');
      return { policy: this.site.resolved.policy, description: [this.site.resolved.summary, ...this.site.resolved.notes].join('; ') };
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const active = vscode.window.activeTextEditor?.document.uri;
    const forFile = active?.scheme === 'file' ? active.fsPath : undefined;
    try {
      const loaded = loadPolicy({ ...(folder ? { cwd: folder } : {}), ...(forFile ? { forFile } : {}) });
      const source = loaded.configFile ? vscode.workspace.asRelativePath(loaded.configFile) : 'no retrylint.config.json: the recommended policy';
      return { policy: loaded.policy, permanentErrorCodes: loaded.permanentErrorCodes, description: `${source}: ${describePolicy(loaded.policy)}` };
    } catch (error) {
      throw new UserError(`the workspace config has problems: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async send(request: CallRequest): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      throw new UserError('This workspace is not trusted: the Retry Lab sends nothing from an untrusted workspace (its config could point calls and keys anywhere). Trust the workspace to send.');
    }
    if (this.running) throw new UserError('a call is running: cancel it or wait for it');
    const endpoint = checkEndpoint(request.endpoint);
    if (!endpoint.ok) throw new UserError(endpoint.error);
    if (endpoint.needsConfirmation) {
      const answer = await vscode.window.showWarningMessage(
        `Retry Lab: ${endpoint.url.origin} is plain http:// on another machine: the request, and the API key if one is stored for it, travel unencrypted.`,
        { modal: true },
        'Send anyway',
      );
      if (answer !== 'Send anyway') throw new UserError('not sent: the http:// endpoint was not confirmed');
    }
    const messages = chatMessagesOf(request.input);
    if (!messages.ok) throw new UserError(messages.error);
    const chosen = await this.choosePolicy(request.policy);
    const apiKey = await this.keys.get(endpoint.url);
    const controller = new AbortController();
    this.running = controller;
    this.postState();
    const url = chatCompletionsUrl(endpoint.url);
    this.post({ type: 'call-start', url, policy: chosen.description });
    this.log(`POST ${url} (${request.model}${request.stream ? ', stream' : ''}) with ${chosen.description}${apiKey ? '; API key from secret storage' : '; no API key stored'}`);
    try {
      const outcome = await runLabCall({
        endpoint: endpoint.url,
        model: request.model,
        messages: messages.value,
        stream: request.stream,
        policy: chosen.policy,
        ...(chosen.permanentErrorCodes ? { permanentErrorCodes: chosen.permanentErrorCodes } : {}),
        apiKey,
        signal: controller.signal,
        onAttempt: (event) => {
          const decision = event.decision.action === 'retry' ? `retry in ${event.decision.delayMs} ms (${event.decision.delaySource})` : `${event.decision.reason}: ${event.decision.message}`;
          this.log(`  attempt ${event.attempt}: ${event.status === undefined ? event.outcome : `HTTP ${event.status}`}${event.errorClass ? ` ${event.errorClass}` : ''} after ${event.durationMs} ms -> ${decision}`);
          this.post({ type: 'attempt', event });
        },
        onText: (text) => this.post({ type: 'chunk', text }),
      });
      const { end } = outcome;
      this.log(`  ${end.ok ? 'succeeded' : `gave up (${end.reason}): ${end.message}`} after ${end.attempts} attempt(s), ${end.durationMs} ms`);
      this.post({ type: 'call-end', event: end, text: outcome.text, usage: outcome.usage, wasted: outcome.wasted });
      await this.remember({ at: Date.now(), request, ok: end.ok, summary: end.ok ? `ok after ${end.attempts} attempt(s)` : `${end.reason} after ${end.attempts} attempt(s)` });
    } finally {
      this.running = undefined;
      this.postState();
    }
  }

  private async startLabServer(scenario: LabServerScenario): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new UserError('This workspace is not trusted: the Retry Lab starts no server here.');
    await this.stopLabServer();
    this.labServer = await startLabServer({ port: 0, host: '127.0.0.1', scenario: PANEL_LAB_SCENARIOS[scenario], log: (line) => this.log(`lab server: ${line}`) });
    this.log(`lab server (${scenario}) listening on ${this.labServer.url}`);
    this.postState({ endpoint: `${this.labServer.url}/v1` });
  }

  private async stopLabServer(): Promise<void> {
    const server = this.labServer;
    this.labServer = undefined;
    await server?.close();
  }

  private async simulate(scenario: string, choice: PolicyChoice): Promise<void> {
    const chosen = await this.choosePolicy(choice);
    const result = simulatePolicy(scenario, choice.kind === 'profile' ? choice.profile : choice.kind === 'site' ? 'site under the cursor' : 'workspace config', chosen.policy);
    this.post({ type: 'simulation', scenario: result.scenario, rows: result.rows, chartSvg: result.chartSvg });
  }

  private async recommend(scenario: string): Promise<void> {
    this.recommendation = recommendFor(scenario);
    const { name, config, row } = this.recommendation;
    this.post({ type: 'recommendation', scenario: this.recommendation.scenario, name, config, row });
  }

  private async applyRecommendation(): Promise<void> {
    const recommendation = this.recommendation;
    if (!recommendation) throw new UserError('run Recommend first');
    if (!vscode.workspace.isTrusted) throw new UserError('This workspace is not trusted: the Retry Lab edits no file here.');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new UserError('open a folder to write its retrylint.config.json');
    const uri = vscode.Uri.joinPath(folder.uri, 'retrylint.config.json');
    const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    const edit = new vscode.WorkspaceEdit();
    if (!exists) edit.createFile(uri, { contents: new TextEncoder().encode(configWithRecommendation('', recommendation.candidate)) });
    else {
      const document = await vscode.workspace.openTextDocument(uri);
      const text = configWithRecommendation(document.getText(), recommendation.candidate);
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
    }
    if (!(await vscode.workspace.applyEdit(edit))) throw new UserError(`could not edit ${vscode.workspace.asRelativePath(uri)}`);
    await vscode.window.showTextDocument(uri, { preview: false });
    this.log(`applied the recommendation for ${recommendation.scenario} to ${vscode.workspace.asRelativePath(uri)}: ${recommendation.name}`);
  }

  dispose(): void {
    this.running?.abort(new Error('the extension is stopping'));
    void this.stopLabServer();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
