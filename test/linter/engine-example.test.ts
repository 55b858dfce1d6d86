/** examples/engine-app runs against the lab server and retries by its own retrylint.config.json. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readLabScenarioFile } from '../../linter/src/lab/scenario-file.js';
import { repoRoot } from '../e2e/cli-harness.js';
import { labServer } from './lab/lab-harness.js';

const run = promisify(execFile);
const exampleDir = path.join(repoRoot, 'examples/engine-app');

async function runApp(env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [path.join(exampleDir, 'app.mjs')], { env: { ...process.env, ...env }, timeout: 20_000 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('examples/engine-app', () => {
  it("gives up after the config's 4 attempts (not the default 5), then answers plain and streamed questions", async () => {
    const server = await labServer([{ scenario: 'server-errors', errors: 1, period: 1, requests: 4 }, { scenario: 'ok' }]);
    const { code, stdout } = await runApp({ LAB_URL: `${server.url}/v1` });
    expect(stdout).toContain('policy ai-api: 4 attempts, delays 200-2000 ms, Retry-After up to 30000 ms\n');
    expect(stdout).toContain('guards: 5 requests/s, circuit opens after 5 failures, retry budget 50 tokens\n');
    expect(stdout).toContain('  gave up (attempts-exhausted): gave up after 4 attempt(s) (maxAttempts 4)\n');
    expect(stdout).toMatch(/question 4 \(streamed\): Stream me an answer\.\n {2}attempt 1: HTTP 200 after \d+ ms -> success\n {2}answer: Retry Lab answer 7: this request succeeded\. \(\d+ tokens\)\n/);
    expect(stdout.endsWith('3 of 4 questions answered\n')).toBe(true);
    expect(code).toBe(1);
    expect(server.stats().requests).toBe(7);
  });

  it('uses a key when the lab requires one', async () => {
    const server = await labServer('ok', { key: 'sk-example' });
    const { code, stdout } = await runApp({ LAB_URL: `${server.url}/v1`, LAB_KEY: 'sk-example' });
    expect(stdout.endsWith('4 of 4 questions answered\n')).toBe(true);
    expect(code).toBe(0);
  });

  it('ships a scenario file that lab serve accepts', () => {
    const scenario = readLabScenarioFile('outage.json', exampleDir);
    expect(scenario.steps.map((step) => step.scenario)).toEqual(['server-errors', 'rate-limit', 'ok']);
  });
});
