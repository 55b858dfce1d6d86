/**
 * The Retry Lab in a real extension host: the view resolves its page (the webview's script
 * posts "ready" back), calls go through the retry engine to the lab server the panel starts
 * on 127.0.0.1, and the key set with "Retry Lab: Set API key" shows up in no message posted
 * to the webview (the driver also searches the logs and settings on disk for it).
 *
 * The tests post messages as the webview would (the extension's `receive`) and read what the
 * extension posts back; the UI test (../ui.mjs) drives the same page with the mouse.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, test } from './harness.js';

const EXTENSION_ID = 'retrylint.retrylint-vscode';
/** The key these tests store (a fresh one per run); the driver searches logs and settings for it after the suite. */
const E2E_API_KEY = process.env.RETRYLINT_E2E_API_KEY ?? '';

interface Posted {
  readonly type: string;
  readonly [key: string]: unknown;
}

interface AttemptEvent {
  readonly attempt: number;
  readonly status?: number;
  readonly outcome: string;
  readonly headers: Record<string, string>;
  readonly decision: { action: 'retry'; delayMs: number; delaySource: string } | { action: 'stop'; reason: string };
}

interface RetryLabApi {
  receive(message: unknown): Promise<void>;
  readonly onDidPostMessage: vscode.Event<Posted>;
  readonly sitePolicy: { readonly summary: string } | undefined;
}

async function retryLab(): Promise<RetryLabApi> {
  const extension = vscode.extensions.getExtension<{ retryLab: RetryLabApi }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  return (await extension.activate()).retryLab;
}

/** Everything the extension posts to the webview from now on. */
function recorder(api: RetryLabApi): { readonly messages: Posted[]; of(type: string): Posted[]; dispose(): void } {
  const messages: Posted[] = [];
  const subscription = api.onDidPostMessage((message) => messages.push(message));
  return { messages, of: (type) => messages.filter((message) => message.type === type), dispose: () => subscription.dispose() };
}

/** Every message any Retry Lab test saw: none may hold the key. */
const allPosted: Posted[] = [];

async function withRecorder<T>(api: RetryLabApi, body: (record: ReturnType<typeof recorder>) => Promise<T>): Promise<T> {
  const record = recorder(api);
  try {
    return await body(record);
  } finally {
    record.dispose();
    allPosted.push(...record.messages);
  }
}

async function startLabServer(api: RetryLabApi, scenario: string): Promise<string> {
  return withRecorder(api, async (record) => {
    await api.receive({ type: 'start-lab-server', scenario });
    const state = record.of('state').at(-1) as { state: { labServer?: { url: string; scenario: string } } } | undefined;
    assert.equal(state?.state.labServer?.scenario, scenario);
    return state.state.labServer.url;
  });
}

function sendMessage(endpoint: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'send',
    endpoint,
    model: 'gpt-4o-mini',
    input: { kind: 'prompt', prompt: 'one two three four five six' },
    stream: false,
    policy: { kind: 'profile', profile: 'ai-api' },
    ...overrides,
  };
}

function attemptsOf(record: ReturnType<typeof recorder>): AttemptEvent[] {
  return record.of('attempt').map((message) => message.event as AttemptEvent);
}

function callEnd(record: ReturnType<typeof recorder>): { event: { ok: boolean; reason: string; attempts: number; durationMs: number }; text?: string; wasted: { attempts: number } } {
  const end = record.of('call-end')[0];
  assert.ok(end, `a call-end message; saw ${JSON.stringify(record.messages.map((message) => message.type))}`);
  return end as never;
}

export function registerRetryLabTests(): void {
  test('Retry Lab: the view opens in its own container and its page talks to the extension', async () => {
    const api = await retryLab();
    await withRecorder(api, async (record) => {
      await vscode.commands.executeCommand('retrylint.retryLab.open');
      // The page's script sends "ready" once it runs (the CSP let it), and gets the state back.
      const state = await eventually('the state the webview asked for', () => record.of('state').find((message) => 'prefill' in message));
      const { profiles, trusted } = (state as unknown as { state: { profiles: string[]; trusted: boolean } }).state;
      assert.ok(profiles.includes('ai-api'));
      assert.equal(trusted, true);
    });
  });

  test('Retry Lab: a call to the local server in its rate-limit scenario retries after the Retry-After it sent', async () => {
    assert.ok(E2E_API_KEY.length > 10, 'the driver sets RETRYLINT_E2E_API_KEY');
    const api = await retryLab();
    const endpoint = await startLabServer(api, 'rate-limit');
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(await vscode.commands.executeCommand('retrylint.retryLab.setApiKey', endpoint, E2E_API_KEY), true);
    await withRecorder(api, async (record) => {
      // network-blip draws at most 0.5 s, then 1 s: less than the 1.5 s windows' Retry-After.
      await api.receive(sendMessage(endpoint, { policy: { kind: 'profile', profile: 'network-blip' } }));
      const attempts = attemptsOf(record);
      assert.deepEqual(attempts.map((attempt) => attempt.status), [429, 429, 200]);
      for (const rejected of attempts.slice(0, 2)) {
        assert.equal(rejected.decision.action, 'retry');
        assert.equal(rejected.decision.action === 'retry' && rejected.decision.delaySource, 'retry-after');
        assert.equal(rejected.decision.action === 'retry' && rejected.decision.delayMs, Number(rejected.headers['retry-after-ms']));
      }
      const end = callEnd(record);
      assert.equal(end.event.ok, true);
      assert.equal(end.event.attempts, 3);
      assert.equal(end.wasted.attempts, 2);
      assert.ok(end.text && end.text.length > 0, 'the answer text');
      const state = record.of('state').at(-1) as unknown as { state: { endpointsWithKey: string[]; history: { ok: boolean }[] } };
      assert.ok(state.state.endpointsWithKey.includes(new URL(endpoint).origin), 'the origin is listed as having a key');
      assert.equal(state.state.history[0]?.ok, true);
    });
  });

  test('Retry Lab: Cancel during the backoff stops the call at once', async () => {
    const api = await retryLab();
    const endpoint = await startLabServer(api, 'rate-limit');
    await withRecorder(api, async (record) => {
      const cancelOnFirstRetry = api.onDidPostMessage((message) => {
        if (message.type === 'attempt' && (message.event as AttemptEvent).decision.action === 'retry') void api.receive({ type: 'cancel' });
      });
      try {
        await api.receive(sendMessage(endpoint));
      } finally {
        cancelOnFirstRetry.dispose();
      }
      const attempts = attemptsOf(record);
      assert.deepEqual(attempts.map((attempt) => attempt.status), [429]);
      const end = callEnd(record);
      assert.equal(end.event.reason, 'cancelled');
      const asked = attempts[0].decision.action === 'retry' ? attempts[0].decision.delayMs : 0;
      assert.ok(end.event.durationMs < asked, `ended after ${end.event.durationMs} ms, before the ${asked} ms backoff`);
    });
  });

  test('Retry Lab: a stream cut after its first chunk is not retried', async () => {
    const api = await retryLab();
    const endpoint = await startLabServer(api, 'stream-cut');
    await withRecorder(api, async (record) => {
      await api.receive(sendMessage(endpoint, { stream: true }));
      assert.ok(record.of('chunk').length > 0, 'the chunks before the cut were shown');
      const attempts = attemptsOf(record);
      assert.equal(attempts.length, 1);
      assert.equal(attempts[0].outcome, 'stream-cut');
      assert.equal(callEnd(record).event.reason, 'stream-interrupted');
    });
  });

  test('Retry Lab: the history keeps the calls and re-runs one', async () => {
    const api = await retryLab();
    const endpoint = await startLabServer(api, 'ok');
    await withRecorder(api, async (record) => {
      await api.receive(sendMessage(endpoint, { model: 'history-model' }));
      await api.receive({ type: 'rerun', index: 0 });
      assert.equal(record.of('call-end').length, 2);
      const last = record.of('state').at(-1) as unknown as { state: { history: { request: { model: string } }[] } };
      assert.deepEqual(last.state.history.slice(0, 2).map((entry) => entry.request.model), ['history-model', 'history-model']);
      assert.ok(last.state.history.length <= 20);
    });
  });

  test('Retry Lab: a message the page should not send is refused', async () => {
    const api = await retryLab();
    await withRecorder(api, async (record) => {
      await api.receive({ type: 'send', endpoint: 'http://127.0.0.1:9/v1', model: 'x', input: { kind: 'prompt', prompt: 'x' }, stream: 'yes', policy: { kind: 'config' } });
      await api.receive({ type: 'eval', code: 'process.exit()' });
      assert.deepEqual(record.messages, [], 'nothing is done, nothing is posted');
    });
  });

  test('Retry Lab: Simulate shows the table for the policy', async () => {
    const api = await retryLab();
    await withRecorder(api, async (record) => {
      await api.receive({ type: 'simulate', scenario: 'fixed-window', policy: { kind: 'profile', profile: 'ai-api' } });
      const simulation = record.of('simulation')[0] as unknown as { rows: { policy: string; requests: number; successRate: number }[]; chartSvg: string };
      assert.ok(simulation, 'a simulation message');
      assert.equal(simulation.rows.length, 1);
      assert.equal(simulation.rows[0].policy, 'ai-api');
      assert.equal(simulation.rows[0].requests, 2000);
      assert.ok(simulation.rows[0].successRate > 0 && simulation.rows[0].successRate <= 1);
      assert.match(simulation.chartSvg, /^<svg /);
    });
  });

  test('Retry Lab: "Test in Retry Lab" on a code lens opens the panel with that site\'s policy', async () => {
    const api = await retryLab();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'retry_client.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lens = await eventually('a Test in Retry Lab lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return lenses.find((candidate) => candidate.command?.command === 'retrylint.retryLab.testSite');
    });
    assert.ok(lens.command);
    assert.equal(lens.command.title, 'Test in Retry Lab');
    await withRecorder(api, async (record) => {
      assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
      assert.match(api.sitePolicy?.summary ?? '', /^tenacity decorator at line 8: 20 attempts, exponential/);
      const state = record.of('state').at(-1) as unknown as { state: { site?: { summary: string } }; prefill?: { policy: { kind: string } } };
      assert.match(state.state.site?.summary ?? '', /20 attempts/);
    });
  });

  test('Retry Lab: the API key is in no message posted to the webview', async () => {
    assert.ok(allPosted.length > 20, `the earlier tests posted messages (${allPosted.length})`);
    const text = JSON.stringify(allPosted);
    assert.ok(!text.includes(E2E_API_KEY), 'the key is not in any webview message');
    const settings = JSON.stringify(vscode.workspace.getConfiguration().inspect('retrylint') ?? {});
    assert.ok(!settings.includes(E2E_API_KEY), 'the key is not in any retrylint setting');
    await (await retryLab()).receive({ type: 'stop-lab-server' });
  });
}
