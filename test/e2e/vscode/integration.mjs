// The integration suite (suite/index.ts) in code-server's extension host: the workbench is
// opened with a payload naming the extension under development and the compiled tests, which
// code-server runs; they write their results to a file, read here.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { launchBrowser, scratchFolder, startCodeServer } from './code-server.mjs';

const TESTS_TIMEOUT_MS = 5 * 60_000;

async function bundleSuite(here, outdir) {
  await build({
    entryPoints: { index: path.join(here, 'suite/index.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.cjs');
}

function readResults(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // being written
  }
}

function filesUnder(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * The Retry Lab's key must be in no log (the output channel's file among them) and in no
 * settings file: searched on disk, where a leak would stay.
 */
function keyLeakCheck(key, userDataDir, workspace) {
  const logs = filesUnder(path.join(userDataDir, 'logs'));
  const settings = [path.join(userDataDir, 'User/settings.json'), path.join(workspace, '.vscode/settings.json')].filter((file) => existsSync(file));
  const leaks = [...logs, ...settings].filter((file) => readFileSync(file, 'latin1').includes(key));
  const retryLabLog = logs.some((file) => readFileSync(file, 'utf8').includes('Retry Lab: POST'));
  const passed = leaks.length === 0 && retryLabLog;
  const error = leaks.length > 0 ? `the key is in ${leaks.join(', ')}` : 'no log file holds the Retry Lab\'s lines: the search looked in the wrong place';
  return { name: 'Retry Lab: the API key is in no log file and no settings file', passed, ...(passed ? {} : { error }) };
}

/** Returns the suite's results ({ name, passed, error }[]); a suite that never finishes adds a failure. */
export async function runIntegrationSuite({ codeServer, here, extensionDir, workspace, artifacts }) {
  const suite = await bundleSuite(here, path.join(artifacts, 'suite'));
  const resultsFolder = scratchFolder('results');
  const resultsFile = path.join(resultsFolder, 'results.json');
  const apiKey = `sk-e2e-${randomBytes(12).toString('hex')}`;
  const server = await startCodeServer({ bin: codeServer, workspace, env: { RETRYLINT_E2E_RESULTS: resultsFile, RETRYLINT_E2E_API_KEY: apiKey } });
  const browser = await launchBrowser();
  const consoleLines = [];
  try {
    const page = await browser.context.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    const remote = (folder) => `vscode-remote://127.0.0.1:${server.port}${folder}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(suite)],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const deadline = Date.now() + TESTS_TIMEOUT_MS;
    let results = readResults(resultsFile);
    while (!results?.done && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      results = readResults(resultsFile);
    }
    await page.screenshot({ path: path.join(artifacts, 'integration-final.png') }).catch(() => {});
    const finished = results?.results ?? [];
    if (!results?.done) {
      finished.push({
        name: 'the integration suite finishes',
        passed: false,
        error: `no complete results after ${TESTS_TIMEOUT_MS / 1000} s. Workbench console:\n${consoleLines.slice(-40).join('\n')}\ncode-server:\n${server.log().slice(-4000)}`,
      });
    }
    finished.push(keyLeakCheck(apiKey, server.userDataDir, workspace));
    return finished;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(resultsFolder, { recursive: true, force: true });
  }
}
