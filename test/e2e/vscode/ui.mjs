// The UI test: a person's view of the packaged extension. The .vsix is installed into a fresh
// code-server, and Chromium clicks the file in the Explorer, sees the squiggle, the status bar
// and the Problems entry, opens the quick fixes with Ctrl+. and applies one, and hovers a retry
// loop for its schedule. Screenshots at each step go to test/e2e/artifacts/ui-*.png.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, startCodeServer } from './code-server.mjs';
import { openRetryLab } from './retry-lab-page.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** Files that "Lint workspace" walks: enough that its progress can be seen and cancelled. */
const WORKSPACE_COPIES = 3000;

function addCopies(workspace) {
  const folder = path.join(workspace, 'generated');
  mkdirSync(folder, { recursive: true });
  for (let index = 0; index < WORKSPACE_COPIES; index++) {
    copyFileSync(path.join(workspace, 'retry_client.py'), path.join(folder, `client_${index}.py`));
  }
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
};

/** Runs `body` as one named step; a failed step ends the test (later steps depend on it). */
function stepper(page, artifacts, prefix, results) {
  let broken = false;
  return async function step(name, body) {
    if (broken) {
      results.push({ name, passed: false, error: 'skipped: an earlier step failed' });
      return;
    }
    const started = Date.now();
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const screenshot = path.join(artifacts, `${prefix}-${String(results.length + 1).padStart(2, '0')}-${slug}.png`);
    try {
      await body();
      results.push({ name, passed: true, ms: Date.now() - started });
    } catch (error) {
      broken = true;
      results.push({ name, passed: false, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started });
    }
    await page.screenshot({ path: screenshot }).catch(() => {});
  };
}

async function editorText(page) {
  return (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** Opens the workspace in a fresh code-server with the .vsix installed, and runs `steps(page, step)`. */
export async function inWorkbench({ codeServer, vsix, workspace, artifacts, prefix, workspaceTrust = false }, steps) {
  const results = [];
  const settings = {
    ...USER_SETTINGS,
    'security.workspace.trust.enabled': workspaceTrust,
    ...(workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'always' } : {}),
  };
  const server = await startCodeServer({ bin: codeServer, workspace, vsix, settings, workspaceTrust });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await steps(page, stepper(page, artifacts, prefix, results), server);
  } finally {
    await browser.close();
    await server.stop();
  }
  return results;
}

export const explorerRow = (page, name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });

export function runUiTest(options) {
  addCopies(options.workspace);
  return inWorkbench({ ...options, prefix: 'ui' }, async (page, step, server) => {
    const { workspace } = options;
    await step('the workbench opens the workspace in the Explorer', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor();
      await explorerRow(page, 'retry_client.py').waitFor();
    });

    await step('clicking retry_client.py in the Explorer shows warning squiggles', async () => {
      await explorerRow(page, 'retry_client.py').click();
      await page.locator('.tab.active', { hasText: 'retry_client.py' }).waitFor();
      await page.locator('.editor-instance .squiggly-warning').first().waitFor();
      const squiggles = await page.locator('.editor-instance .squiggly-warning').count();
      if (squiggles < 2) throw new Error(`expected 2 squiggles, saw ${squiggles}`);
    });

    await step('the status bar shows retrylint and the problem count', async () => {
      await page.locator('.statusbar-item', { hasText: /retrylint 2/ }).waitFor();
    });

    await step('the Problems panel lists the finding with its rule', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Makes up to 20 attempts (limit 5).' });
      await row.waitFor();
      const text = await row.innerText();
      if (!/bounded-attempts/.test(text)) throw new Error(`the Problems entry names no rule: ${text}`);
    });

    await step('Ctrl+. on the finding offers the safe fix first', async () => {
      // A double click opens the finding in the editor with the focus there, as Enter would.
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Makes up to 20 attempts (limit 5).' }).dblclick();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor();
      await page.keyboard.press('Control+Period');
      const actions = page.locator('.action-widget .monaco-list-row.action');
      await actions.filter({ hasText: 'Limit to 5 attempts' }).waitFor();
      const first = (await actions.first().innerText()).trim();
      if (first !== 'Limit to 5 attempts') throw new Error(`first quick fix: "${first}"`);
      await actions.filter({ hasText: 'Show documentation for bounded-attempts' }).waitFor();
    });

    await step('applying the quick fix rewrites the code and clears its squiggle', async () => {
      // The preferred fix is focused: Enter applies it (the menu blocks pointer events while it opens).
      const focused = page.locator('.action-widget .monaco-list-row.action.focused');
      const title = (await focused.innerText()).trim();
      if (title !== 'Limit to 5 attempts') throw new Error(`the focused quick fix is "${title}"`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('stop_after_attempt(5)'),
      );
      const text = await editorText(page);
      if (!text.includes('range(12)')) throw new Error('the other finding was changed too');
      await page.locator('.statusbar-item', { hasText: /retrylint 1/ }).waitFor();
    });

    await step('a code lens above the retry loop summarises its schedule', async () => {
      await page.locator('.codelens-decoration', { hasText: /\d+ attempts · .* worst case/ }).first().waitFor();
    });

    await step('hovering the retry loop shows its delay schedule', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.view-line', { hasText: 'for attempt in range(12):' }).locator('span', { hasText: 'range' }).last().hover();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /worst case/i });
      await hover.waitFor();
      const text = await hover.innerText();
      if (!/12/.test(text)) throw new Error(`the hover does not mention the 12 attempts: ${text}`);
    });

    await step('"retrylint: Open rule documentation" picks a rule and opens its page', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>retrylint: Open rule documentation');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open rule documentation' }).first().waitFor();
      await page.keyboard.press('Enter');
      const rules = page.locator('.quick-input-list .monaco-list-row');
      await rules.filter({ hasText: 'Require a retry to stop after a bounded number of attempts' }).waitFor();
      await page.locator('.quick-input-widget input').fill('require-jitter');
      await rules.first().filter({ hasText: 'require-jitter' }).waitFor();
      await page.keyboard.press('Enter');
      // VS Code asks before an extension opens a website; the dialog names the page.
      await page.locator('.monaco-dialog-box', { hasText: /shared\/docs\/rules\/require-jitter\.md/ }).waitFor();
    });

    await step('"retrylint: Lint workspace" shows its progress and can be cancelled', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>retrylint: Lint workspace');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Lint workspace' }).first().waitFor();
      await page.keyboard.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: 'retrylint: linting the workspace' });
      await toast.filter({ hasText: /\d+\/\d+ files/ }).waitFor();
      await page.screenshot({ path: path.join(options.artifacts, 'ui-10-lint-workspace-progress.png') });
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await page.locator('.notification-toast', { hasText: /retrylint: (cancelled after \d+ files|workspace lint cancelled)/ }).waitFor();
      // Files linted before the cancel, never opened, are in Problems.
      await page.locator('.markers-panel .monaco-list-row', { hasText: /client_\d+\.py/ }).first().waitFor();
    });
  });
}

export function runRestrictedUiTest(options) {
  return inWorkbench({ ...options, prefix: 'ui-restricted', workspaceTrust: true }, async (page, step, server) => {
    await step('an untrusted workspace opens in Restricted Mode', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(options.workspace)}`);
      await page.locator('.monaco-dialog-box').waitFor();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^No, I don.t trust the authors$/ }).click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    });

    await step('retrylint still lints, and says it is restricted', async () => {
      await explorerRow(page, 'retry_client.py').click();
      await page.locator('.editor-instance .squiggly-warning').first().waitFor();
      const item = page.locator('.statusbar-item', { hasText: /retrylint 2/ });
      await item.waitFor();
      await item.hover();
      await page.locator('.monaco-hover:not(.hidden)', { hasText: 'Restricted mode (untrusted workspace): lint only' }).waitFor();
    });

    await step('Ctrl+. offers no retrylint fix', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Makes up to 20 attempts (limit 5).' }).dblclick();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor();
      await page.keyboard.press('Control+Period');
      // VS Code answers with its own menu or a "No code actions available" message.
      await page.locator('.action-widget, .monaco-editor-overlaymessage').first().waitFor();
      const offered = await page.locator('.action-widget .monaco-list-row.action', { hasText: /Limit to 5 attempts|retrylint/ }).count();
      if (offered > 0) throw new Error('a retrylint code action is offered in Restricted Mode');
    });

    await step('the Retry Lab sends nothing and starts no server, and says why', async () => {
      await page.keyboard.press('Escape');
      const lab = await openRetryLab(page);
      await lab.locator('#untrusted', { hasText: 'This workspace is not trusted: the Retry Lab sends no requests' }).waitFor();
      for (const button of ['#send', '#lab-start']) {
        if (!(await lab.locator(button).isDisabled())) throw new Error(`${button} is enabled in Restricted Mode`);
      }
    });

    await step('clicking the status bar item shows the retrylint output', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.statusbar-item', { hasText: /retrylint 2/ }).click();
      await page.locator('.part.panel .composite-bar .action-item.checked', { hasText: /output/i }).waitFor();
      // The Output view's channel picker (a <select>) names the channel shown.
      await page.waitForFunction(
        () => [...document.querySelectorAll('.part.panel select.monaco-select-box')].some(
          (select) => select.checkVisibility() && select.options[select.selectedIndex]?.text === 'retrylint',
        ),
        undefined,
        { timeout: STEP_TIMEOUT_MS },
      );
      await page.locator('.part.panel .output-view', { hasText: 'language server is running in restricted mode' }).waitFor();
    });

    await step('trusting the workspace restarts the server with fixes on', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Workspaces: Manage Workspace Trust');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Manage Workspace Trust' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });
      await page.locator('.part.panel .output-view', { hasText: 'the language server is running.' }).waitFor();
      await page.locator('.tab', { hasText: 'retry_client.py' }).click();
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Makes up to 20 attempts (limit 5).' }).dblclick();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor();
      await page.keyboard.press('Control+Period');
      await page.locator('.action-widget .monaco-list-row.action', { hasText: 'Limit to 5 attempts' }).waitFor();
    });
  });
}
