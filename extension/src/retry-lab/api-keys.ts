/**
 * API keys in VS Code's SecretStorage, one per endpoint origin: never in settings, never
 * posted to the webview. Every key read is remembered for the session so that the log and
 * every error message can be redacted of it (redact.ts).
 */
import * as vscode from 'vscode';
import { checkEndpoint, DEFAULT_ENDPOINT, keyIdOf } from './endpoint.js';

export const SET_API_KEY_COMMAND = 'retrylint.retryLab.setApiKey';
const ORIGINS_KEY = 'retrylint.retryLab.originsWithKey';

export class ApiKeys {
  private readonly known = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  /** Every key this session has seen, for redaction. */
  get secretsSeen(): readonly string[] {
    return [...this.known];
  }

  /** Origins with a stored key (the names only). */
  get origins(): readonly string[] {
    return this.state.get<string[]>(ORIGINS_KEY, []);
  }

  async get(url: URL): Promise<string | undefined> {
    const key = await this.secrets.get(keyIdOf(url));
    if (key) this.known.add(key);
    return key;
  }

  async set(url: URL, key: string): Promise<void> {
    this.known.add(key);
    await this.secrets.store(keyIdOf(url), key);
    await this.state.update(ORIGINS_KEY, [...new Set([...this.origins, url.origin])]);
  }

  async delete(url: URL): Promise<void> {
    await this.secrets.delete(keyIdOf(url));
    await this.state.update(ORIGINS_KEY, this.origins.filter((origin) => origin !== url.origin));
  }

  /**
   * "Retry Lab: Set API key": asks for the endpoint (prefilled) and the key (a password box);
   * an empty key removes the stored one. Arguments skip the prompts (scripts, tests).
   */
  async prompt(endpoint?: unknown, key?: unknown): Promise<boolean> {
    const endpointText =
      typeof endpoint === 'string'
        ? endpoint
        : await vscode.window.showInputBox({ title: 'Retry Lab: Set API key', prompt: 'The endpoint the key is for (one key per scheme, host and port)', value: DEFAULT_ENDPOINT, ignoreFocusOut: true });
    if (endpointText === undefined) return false;
    const checked = checkEndpoint(endpointText);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(`Retry Lab: ${checked.error}`);
      return false;
    }
    const keyText =
      typeof key === 'string'
        ? key
        : await vscode.window.showInputBox({ title: `Retry Lab: API key for ${checked.url.origin}`, prompt: 'Stored in VS Code\'s secret storage. Leave empty to remove the stored key.', password: true, ignoreFocusOut: true });
    if (keyText === undefined) return false;
    if (keyText.trim() === '') await this.delete(checked.url);
    else await this.set(checked.url, keyText.trim());
    return true;
  }
}
