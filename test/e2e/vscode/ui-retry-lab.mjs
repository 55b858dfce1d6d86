// The Retry Lab as a person uses it, in Chromium: the activity-bar icon opens the panel, the
// local lab server starts from its button, Send shows the attempts one by one (429s, the
// Retry-After waited, then the answer), the keyboard switches to Simulate, and the simulator's
// table and Recommend appear. Screenshots: test/e2e/artifacts/ui-retry-lab-*.png.
import { openRetryLab } from './retry-lab-page.mjs';
import { explorerRow, inWorkbench } from './ui.mjs';

export function runRetryLabUiTest(options) {
  return inWorkbench({ ...options, prefix: 'ui-retry-lab' }, async (page, step, server) => {
    let lab;
    await step('the Retry Lab icon in the activity bar opens the panel on its Send tab', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(options.workspace)}`);
      await explorerRow(page, 'retry_client.py').waitFor();
      lab = await openRetryLab(page);
      const selected = await lab.locator('[role="tab"][aria-selected="true"]').innerText();
      if (selected !== 'Send') throw new Error(`the selected tab is "${selected}"`);
      const endpoint = await lab.locator('#endpoint').inputValue();
      if (endpoint !== 'https://api.openai.com/v1') throw new Error(`default endpoint: ${endpoint}`);
    });

    await step('Start runs the local lab server in its rate-limit scenario and points the endpoint at it', async () => {
      await lab.locator('#lab-scenario').selectOption('rate-limit');
      await lab.locator('#lab-start').click();
      await lab.locator('#lab-status', { hasText: /http:\/\/127\.0\.0\.1:\d+\/v1 \(rate-limit\)/ }).waitFor();
      const endpoint = await lab.locator('#endpoint').inputValue();
      if (!/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(endpoint)) throw new Error(`endpoint: ${endpoint}`);
      const model = await lab.locator('#model').inputValue();
      if (model !== 'gpt-4o-mini') throw new Error(`the other fields keep their values; model: ${model}`);
    });

    await step('Send shows each attempt: two 429s waited by their Retry-After, then the answer', async () => {
      await lab.locator('#policy').selectOption('profile:network-blip');
      await lab.locator('#send').click();
      await lab.locator('#summary', { hasText: 'Succeeded after 3 attempt(s)' }).waitFor();
      const attempts = await lab.locator('#timeline li').allInnerTexts();
      if (attempts.length !== 3) throw new Error(`timeline: ${JSON.stringify(attempts)}`);
      for (const rejected of attempts.slice(0, 2)) {
        if (!/HTTP 429 · rate_limit_exceeded/.test(rejected) || !/retry-after-ms: \d+/.test(rejected) || !/→ retry in \d+ ms \(retry-after/.test(rejected)) {
          throw new Error(`a 429 without its Retry-After: ${rejected}`);
        }
      }
      if (!/^Attempt 3: HTTP 200/.test(attempts[2])) throw new Error(`last attempt: ${attempts[2]}`);
      if (!(await lab.locator('#response').innerText()).trim()) throw new Error('no response text');
      await lab.locator('#history li', { hasText: 'ok after 3 attempt(s)' }).waitFor();
      await lab.locator('#summary').scrollIntoViewIfNeeded();
    });

    await step('the arrow key moves to the Simulate tab, and Simulate shows the table', async () => {
      await lab.locator('#tab-send').focus();
      await page.keyboard.press('ArrowRight');
      const selected = await lab.locator('[role="tab"][aria-selected="true"]').innerText();
      if (selected !== 'Simulate') throw new Error(`the selected tab is "${selected}"`);
      await lab.locator('#sim-scenario').selectOption('fixed-window');
      await lab.locator('#simulate').click();
      const row = lab.locator('#sim-rows tr');
      await row.first().waitFor();
      const cells = await row.first().locator('td').allInnerTexts();
      if (cells[0] !== 'network-blip' || !/^\d+\.\d%$/.test(cells[1])) throw new Error(`row: ${JSON.stringify(cells)}`);
      await lab.locator('#sim-chart:not([hidden])').waitFor();
    });

    await step('Recommend shows the best policy with Apply to config', async () => {
      await lab.locator('#recommend').click();
      await lab.locator('#recommendation', { hasText: '"profile":' }).waitFor();
      await lab.locator('#apply:not([hidden])').waitFor();
    });

    await step('in the high contrast theme the panel takes the theme colours, and Tab reaches the controls', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
      await page.locator('.quick-input-widget input').fill('Dark High Contrast');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Dark High Contrast/ }).first().click();
      await page.locator('.monaco-workbench.hc-black').waitFor();
      const colours = await lab.locator('body').evaluate((body) => {
        const style = getComputedStyle(body);
        return { color: style.color, background: style.backgroundColor };
      });
      if (colours.color !== 'rgb(255, 255, 255)' || colours.background !== 'rgb(0, 0, 0)') throw new Error(`colours: ${JSON.stringify(colours)}`);
      await lab.locator('#tab-send').click();
      await lab.locator('#tab-send').focus();
      await page.keyboard.press('Tab');
      const focused = await lab.locator(':focus').getAttribute('id');
      if (focused !== 'policy') throw new Error(`Tab from the tabs went to #${focused}`);
    });
  });
}
