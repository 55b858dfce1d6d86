// `npm run test:e2e`: the extension in a real VS Code (code-server 4.100.3, installed on first
// use by install.sh into a cache folder). Builds and packages the extension, runs the
// integration suite in the extension host and the UI test in Chromium, each on a fresh copy of
// ./workspace, and ends with `N passed, N failed` (exit code 1 when anything failed).
// Screenshots go to test/e2e/artifacts/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchFolder } from './code-server.mjs';
import { runIntegrationSuite } from './integration.mjs';
import { runRestrictedUiTest, runUiTest } from './ui.mjs';
import { runRetryLabUiTest } from './ui-retry-lab.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const extensionDir = path.join(root, 'extension');
const artifacts = path.join(root, 'test/e2e/artifacts');
const only = process.argv[2]; // "integration", "ui" (all UI tests), or one UI test: "ui-main", "retry-lab", "restricted"

function installCodeServer() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const output = execFileSync('bash', [path.join(here, 'install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').at(-1);
}

function freshWorkspace() {
  const workspace = path.join(scratchFolder('workspace'), 'retry-project');
  cpSync(path.join(here, 'workspace'), workspace, { recursive: true });
  return workspace;
}

function report(part, results) {
  for (const result of results) {
    console.log(`${result.passed ? '  ✓' : '  ✗'} [${part}] ${result.name}${result.ms === undefined ? '' : ` (${result.ms} ms)`}`);
    if (!result.passed) console.log(`      ${String(result.error).split('\n').join('\n      ')}`);
  }
}

const codeServer = installCodeServer();
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
execFileSync('npm', ['run', 'package', '--silent'], { cwd: extensionDir, stdio: 'inherit' });
const vsix = path.join(extensionDir, 'dist/retrylint.vsix');

const results = [];
const scratch = [];
try {
  if (!only || only === 'integration') {
    const workspace = freshWorkspace();
    scratch.push(path.dirname(workspace));
    const suite = await runIntegrationSuite({ codeServer, here, extensionDir, workspace, artifacts });
    report('integration', suite);
    results.push(...suite);
  }
  // Each UI test gets a fresh code-server and a fresh copy of the workspace.
  const uiTests = [
    ['ui-main', 'ui', runUiTest],
    ['retry-lab', 'ui, Retry Lab', runRetryLabUiTest],
    ['restricted', 'ui, untrusted', runRestrictedUiTest],
  ];
  for (const [name, part, runTest] of uiTests) {
    if (only && only !== 'ui' && only !== name) continue;
    const workspace = freshWorkspace();
    scratch.push(path.dirname(workspace));
    const ui = await runTest({ codeServer, vsix, workspace, artifacts });
    report(part, ui);
    results.push(...ui);
  }
} finally {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
}

const failed = results.filter((result) => !result.passed).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
