import { describe, expect, it } from 'vitest';
import { RequestType, type Position } from 'vscode-languageserver-protocol/node';
import type { SitePolicyParams, SitePolicyResult } from '../../../linter/src/server/site-policy.js';
import { serverSessions } from './lsp-harness.js';

// The request as a client spells it: its method name is the contract with the extension.
const SitePolicyRequest = new RequestType<SitePolicyParams, SitePolicyResult | null, void>('retrylint/sitePolicy');

const { start, workspace } = serverSessions();

const TENACITY = `import requests
from tenacity import retry, stop_after_attempt, wait_random_exponential


@retry(stop=stop_after_attempt(4), wait=wait_random_exponential(multiplier=0.5, max=8))
def fetch_report(url):
    return requests.get(url, timeout=10).json()


def plain():
    return 1
`;

async function sitePolicyAt(position: Position, config?: string): Promise<SitePolicyResult | null> {
  const ws = workspace({ 'job.py': TENACITY, ...(config ? { 'retrylint.config.json': config } : {}) });
  const client = await start({ folders: [ws.dir] });
  const uri = await client.open(ws.file('job.py'), 'python', TENACITY);
  await client.diagnosticsFor(uri, 0).catch(() => undefined);
  return client.connection.sendRequest(SitePolicyRequest, { textDocument: { uri }, position });
}

describe('retrylint/sitePolicy', () => {
  it("gives the site's attempts, delays, timeout and the file's policy, as the hover computes them", async () => {
    const result = await sitePolicyAt({ line: 4, character: 20 }, '{ "profile": "network-blip", "policy": { "maxRetryAfterMs": 5000 } }');
    expect(result).toMatchObject({
      line: 4,
      label: 'tenacity decorator at line 5',
      attempts: 4,
      backoff: { strategy: 'exponential', baseMs: 500, capMs: 8000, jitter: 'full' },
      timeoutMs: 10_000,
      profile: 'network-blip',
    });
    expect(result?.policy.maxRetryAfterMs).toBe(5000);
    expect(result?.policy).not.toHaveProperty('backoff');
  });

  it('answers null outside every retry site', async () => {
    expect(await sitePolicyAt({ line: 10, character: 4 })).toBeNull();
  });
});
