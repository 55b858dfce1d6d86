import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  DidChangeConfigurationNotification,
  HoverRequest,
  type CodeLens,
  type MarkupContent,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { eventually, repoRoot, serverSessions, type TestClient } from './lsp-harness.js';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures', name), 'utf8');

const { start, workspace } = serverSessions();

async function hoverText(client: TestClient, uri: string, position: Position): Promise<string | undefined> {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

function lensesOf(client: TestClient, uri: string): Promise<CodeLens[]> {
  return client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }).then((lenses) => lenses ?? []);
}

/** The position of the first occurrence of `needle` (at its start, plus `offset` characters). */
function positionOf(text: string, needle: string, offset = 0): Position {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const SDK_RETRY = `import random
import time

from openai import OpenAI

client = OpenAI()


def complete(prompt):
    for attempt in range(5):
        try:
            return client.chat.completions.create(model="gpt-4o-mini", messages=[], timeout=30)
        except Exception:
            time.sleep(random.uniform(0, min(2 ** attempt, 30)))
`;

describe('hover on a retry site', () => {
  it('shows each retry\'s sleep range, and the worst case the rule reports, anywhere inside the site', async () => {
    const code = fixture('python/bounded-total-time.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const finding = (await client.diagnosticsFor(uri, 1)).find((d) => d.code === 'bounded-total-time' && d.range.start.line === 8);
    const reported = /^Worst case (\S+ \S+) /.exec(String(finding?.message))?.[1];
    expect(reported).toBe('515 s');

    // `for attempt in range(5)` with `random.uniform(0, min(2 ** attempt, 30))`: full jitter, 1 s doubling.
    const atLoopHead = await hoverText(client, uri, positionOf(code, 'for attempt in range(5):  # expect'));
    expect(atLoopHead).toContain('| 2 | 0-1 s |\n| 3 | 0-2 s |\n| 4 | 0-4 s |\n| 5 | 0-8 s |');
    expect(atLoopHead).toContain(`**Worst case:** ${reported} = 5 x 100 s timeout + 15 s of sleeps.`);
    expect(atLoopHead).toContain('**Attempts:** 5');
    expect(atLoopHead).toContain('**Policy:** profile `ai-api`, defaults (no retrylint.config.json applies)');
    expect(await hoverText(client, uri, positionOf(code, 'timeout=100', 3))).toBe(atLoopHead);

    expect(await hoverText(client, uri, { line: 0, character: 3 })).toBeUndefined();
  });

  it('names the overall deadline that ends a tenacity retry', async () => {
    const code = fixture('python/bounded-total-time.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const text = await hoverText(client, uri, positionOf(code, 'stop_after_delay(120)'));
    expect(text).toContain('(tenacity)');
    expect(text).toContain('| 5 | 0-16 s |');
    expect(text).toContain('**Worst case:** 120 s (overall deadline)');
    expect(text).toContain('An overall deadline of 120 s ends the retrying.');
  });

  it('counts the SDK client\'s own retries, and names the config file and the override that matched', async () => {
    const config = JSON.stringify({ profile: 'ai-api', overrides: [{ files: ['jobs/**'], profile: 'bulk' }] }, null, 2);
    const ws = workspace({ 'retrylint.config.json': config, 'jobs/complete.py': SDK_RETRY, 'app/complete.py': SDK_RETRY });
    const client = await start({ folders: [ws.dir] });
    const jobs = await client.open(ws.file('jobs/complete.py'), 'python', SDK_RETRY);
    const nested = (await client.diagnosticsFor(jobs, 1)).find((d) => d.code === 'no-nested-retries');
    expect(nested?.message).toMatch(/^Up to 15 requests per call \(outer 5 x SDK 3\)/);

    const inJobs = await hoverText(client, jobs, positionOf(SDK_RETRY, 'client.chat', 2));
    expect(inJobs).toContain("**Attempts:** 5, x 3 by the openai SDK's own retries = up to 15 requests");
    expect(inJobs).toContain('**Policy:** profile `bulk` from `retrylint.config.json`, override #1 (`jobs/**`) of `retrylint.config.json`');
    expect(inJobs).toContain('**Worst case:** 165 s = 5 x 30 s timeout + 15 s of sleeps.');

    const app = await client.open(ws.file('app/complete.py'), 'python', SDK_RETRY);
    const inApp = await hoverText(client, app, positionOf(SDK_RETRY, 'for attempt'));
    expect(inApp).toContain('**Policy:** profile `ai-api` from `retrylint.config.json`');
    expect(inApp).not.toContain('override');
  });

  it('multiplies the attempts of a retry inside another one, as no-nested-retries counts them', async () => {
    const code = fixture('python/no-nested-retries.py');
    const ws = workspace({ 'jobs.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('jobs.py'), 'python', code);
    const at = positionOf(code, 'stop=stop_after_attempt(4)', 5);
    const finding = (await client.diagnosticsFor(uri, 1)).find((d) => d.code === 'no-nested-retries' && d.range.start.line === at.line - 1);
    expect(finding?.message).toMatch(/^Up to 12 attempts per call \(outer 3 x inner 4\)/);
    expect(await hoverText(client, uri, at)).toContain('**Attempts:** 4, inside a retry of 3 attempts = up to 12 attempts per call');
  });

  it("shows a client's own retries as its SDK draws them, and counts Retry-After only in the worst case", async () => {
    const code = `import time

import requests
from openai import OpenAI

client = OpenAI(max_retries=4)


def poll(url):
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(1)
`;
    const ws = workspace({ 'poll.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('poll.py'), 'python', code);
    const lenses = await lensesOf(client, uri);
    expect(lenses.map((lens) => [lens.range.start.line, lens.command?.title])).toEqual([
      [5, '5 attempts · 500 ms-6 s backoff · worst case at least 240 s (timeouts unknown)'],
      [9, 'unbounded attempts · 1 s backoff · worst case unbounded'],
    ]);
    const sdk = await hoverText(client, uri, positionOf(code, 'OpenAI(max_retries', 2));
    expect(sdk).toContain('(openai)');
    expect(sdk).toContain('| 2 | 250-750 ms |');
    expect(sdk).toContain('| 5 | 2-6 s |');
    expect(sdk).toContain("A server's Retry-After, honoured up to 60 s, replaces a shorter sleep: the worst case counts every sleep as at least 60 s.");
    const loop = await hoverText(client, uri, positionOf(code, 'while True'));
    expect(loop).toContain('No attempt limit: the sleeps go on until a call succeeds.');
    expect(loop).toContain('**Worst case:** unbounded: nothing stops the retrying.');
  });

  it('works in TypeScript, for a library retry', async () => {
    const code = `import pRetry from 'p-retry';

export async function load(url: string) {
  return pRetry(() => fetch(url, { signal: AbortSignal.timeout(30_000) }), { retries: 4, minTimeout: 1000, maxTimeout: 16_000 });
}
`;
    const ws = workspace({ 'load.ts': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('load.ts'), 'typescript', code);
    const text = await hoverText(client, uri, positionOf(code, 'pRetry(', 2));
    expect(text).toContain('(p-retry)');
    expect(text).toContain('| 2 | 1 s |\n| 3 | 2 s |\n| 4 | 4 s |\n| 5 | 8 s |');
    expect(text).toContain('**Worst case:** 165 s = 5 x 30 s timeout + 15 s of sleeps.');
  });

  it('says what it does not know instead of guessing', async () => {
    const code = `import time

import requests


def next_delay(attempt):
    return load_delay_table()[attempt]


def sync(url, attempts):
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=10)
        except requests.ConnectionError:
            time.sleep(next_delay(attempt))
`;
    const ws = workspace({ 'sync.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('sync.py'), 'python', code);
    const lenses = await lensesOf(client, uri);
    expect(lenses.map((lens) => lens.command?.title)).toEqual(['attempts unknown · backoff unknown · worst case unknown']);
    const text = await hoverText(client, uri, positionOf(code, 'for attempt'));
    expect(text).toContain('Delays: unknown (computed where retrylint cannot follow them).');
    expect(text).toContain('**Worst case:** unknown.');
    expect(text).toContain('**Attempts:** unknown');
  });
});

describe('code lenses', () => {
  it('puts one lens on the first line of each retry site, which opens the hover there', async () => {
    const code = fixture('python/bounded-total-time.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    const lenses = await lensesOf(client, uri);
    expect(lenses.map((lens) => [lens.range.start.line, lens.command?.title])).toEqual([
      [8, '5 attempts · 1-8 s backoff · worst case 515 s'],
      [16, '5 attempts · 1-8 s backoff · worst case 115 s'],
      [23, '5 attempts · 2-16 s backoff · worst case 330 s'],
      [32, '5 attempts · 2-16 s backoff · worst case 120 s (overall deadline)'],
    ]);
    for (const lens of lenses) {
      expect(lens.command?.command).toBe('retrylint.showSchedule');
      const [lensUri, position] = lens.command!.arguments as [string, Position];
      expect(lensUri).toBe(uri);
      expect(position.line).toBe(lens.range.start.line);
      const shown = await hoverText(client, uri, position);
      const worst = lens.command!.title.split(' · worst case ')[1];
      expect(shown).toContain(`**Worst case:** ${worst}`);
    }
  });

  it('shows none with codeLens: false, and asks the client to refresh when the setting changes', async () => {
    const code = fixture('python/bounded-total-time.py');
    const ws = workspace({ 'job.py': code });
    const client = await start({ folders: [ws.dir], settings: { [ws.dir]: { codeLens: false } } });
    const uri = await client.open(ws.file('job.py'), 'python', code);
    await client.diagnosticsFor(uri, 1);
    expect(await lensesOf(client, uri)).toEqual([]);

    client.settings[ws.dir] = { codeLens: true };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await eventually(() => (client.codeLensRefreshes > 0 ? true : undefined), 'a code lens refresh');
    expect((await lensesOf(client, uri)).length).toBe(4);
  });
});
