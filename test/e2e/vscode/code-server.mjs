// Starts code-server (a real VS Code 1.100 workbench and extension host) on 127.0.0.1, and a
// headless Debian Chromium to open it, each with a fresh profile; stops both.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function scratchFolder(prefix) {
  return mkdtempSync(path.join(tmpdir(), `retrylint-e2e-${prefix}-`));
}

async function waitForHealth(url, child, log, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer /healthz within ${ms} ms:\n${log()}`);
}

function run(bin, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${bin} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

/**
 * A code-server with its own user data and extensions folders (removed by stop()).
 * `vsix`: installed first, as a user would. `env`: added to the server's (and so the extension
 * host's) environment. `settings`: the user settings. `workspaceTrust`: ask whether to trust the
 * workspace, as VS Code does (off by default: every folder is trusted).
 */
export async function startCodeServer({ bin, workspace, vsix, env = {}, settings, workspaceTrust = false }) {
  const root = scratchFolder('code-server');
  const userDataDir = path.join(root, 'data');
  const extensionsDir = path.join(root, 'extensions');
  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  const serverEnv = { ...process.env, ...env };
  if (settings) {
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  if (vsix) await run(bin, [...common, '--install-extension', vsix], serverEnv);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...common,
      workspace,
    ],
    { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await waitForHealth(url, child, () => output);
  return {
    url,
    port,
    userDataDir,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        // code-server starts the extension host and the language server: end the whole group.
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await new Promise((resolve) => {
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const profile = scratchFolder('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
