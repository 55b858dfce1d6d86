/**
 * The Retry Lab webview's page: a strict Content-Security-Policy (nothing by default; the
 * extension's own stylesheet; its one script by nonce; images only as data: for the charts),
 * no inline script or style, no remote resource. Pure, unit-tested.
 */
import { randomBytes } from 'node:crypto';
import { LAB_SERVER_SCENARIOS } from './messages.js';

export interface PageResources {
  /** The webview's `cspSource`: the origin its local resources are served from. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function contentSecurityPolicy({ cspSource, nonce }: Pick<PageResources, 'cspSource' | 'nonce'>): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `img-src data:`, `font-src ${cspSource}`].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function retryLabHtml(resources: PageResources): string {
  const scenarios = LAB_SERVER_SCENARIOS.map((name) => `<option value="${name}">${name}</option>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(resources))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>Retry Lab</title>
</head>
<body>
<div role="tablist" aria-label="Retry Lab">
  <button role="tab" id="tab-send" aria-selected="true" aria-controls="panel-send" tabindex="0">Send</button>
  <button role="tab" id="tab-simulate" aria-selected="false" aria-controls="panel-simulate" tabindex="-1">Simulate</button>
</div>
<div id="untrusted" class="notice" role="status"></div>
<label for="policy">Policy</label>
<select id="policy"></select>
<div id="site" class="muted"></div>
<section id="panel-send" role="tabpanel" aria-labelledby="tab-send">
  <label for="endpoint">Endpoint</label>
  <input type="text" id="endpoint" spellcheck="false">
  <div class="inline">
    <span id="key-status" class="muted"></span>
    <button id="set-key" class="action secondary">Set API key</button>
  </div>
  <div class="inline">
    <label for="lab-scenario">Local lab server</label>
    <select id="lab-scenario" class="auto-width">${scenarios}</select>
    <button id="lab-start" class="action secondary">Start</button>
    <button id="lab-stop" class="action secondary">Stop</button>
  </div>
  <div id="lab-status" class="muted"></div>
  <label for="model">Model</label>
  <input type="text" id="model" spellcheck="false">
  <fieldset class="inline bare">
    <legend class="muted">Input</legend>
    <label><input type="radio" name="input-kind" value="prompt" checked> Prompt</label>
    <label><input type="radio" name="input-kind" value="messages"> Messages (JSON)</label>
  </fieldset>
  <textarea id="input-text" aria-label="Prompt or messages"></textarea>
  <div class="inline"><label><input type="checkbox" id="stream"> Stream</label></div>
  <div class="inline">
    <button id="send" class="action">Send</button>
    <button id="cancel" class="action secondary" disabled>Cancel</button>
  </div>
  <div id="error" class="notice" role="alert"></div>
  <h3>Attempts</h3>
  <div id="call-info" class="muted"></div>
  <ol id="timeline" class="timeline" aria-live="polite"></ol>
  <h3>Response</h3>
  <pre id="response" aria-live="polite"></pre>
  <div id="summary" role="status"></div>
  <h3>History</h3>
  <div id="history-empty" class="muted">No calls yet.</div>
  <ul id="history" class="history"></ul>
</section>
<section id="panel-simulate" role="tabpanel" aria-labelledby="tab-simulate" hidden>
  <label for="sim-scenario">Scenario</label>
  <select id="sim-scenario"></select>
  <div class="inline">
    <button id="simulate" class="action">Simulate</button>
    <button id="recommend" class="action secondary">Recommend</button>
  </div>
  <div id="sim-caption" class="muted"></div>
  <div class="table-scroll">
  <table id="sim-table" hidden>
    <thead><tr><th>policy</th><th class="number">success</th><th class="number">mean</th><th class="number">P99</th><th class="number">attempts/req</th><th class="number">amplification</th><th class="number">token waste</th></tr></thead>
    <tbody id="sim-rows"></tbody>
  </table>
  </div>
  <img id="sim-chart" class="chart" alt="Latency CDF and attempts over time" hidden>
  <pre id="recommendation"></pre>
  <button id="apply" class="action" hidden>Apply to config</button>
</section>
<script nonce="${resources.nonce}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>`;
}
