// The integration suite (suite/index.ts) in code-server's extension host: the workbench is
// opened with a payload naming the extension under development and the compiled tests, which
// code-server runs; they write their results to a file, read here.
import { existsSync, readFileSync, rmSync } from 'node:fs';
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

/** Returns the suite's results ({ name, passed, error }[]); a suite that never finishes adds a failure. */
export async function runIntegrationSuite({ codeServer, here, extensionDir, workspace, artifacts }) {
  const suite = await bundleSuite(here, path.join(artifacts, 'suite'));
  const resultsFolder = scratchFolder('results');
  const resultsFile = path.join(resultsFolder, 'results.json');
  const server = await startCodeServer({ bin: codeServer, workspace, env: { RETRYLINT_E2E_RESULTS: resultsFile } });
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
    return finished;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(resultsFolder, { recursive: true, force: true });
  }
}
