// The Retry Lab webview. It only shows what the extension host posts and posts back what the
// user asks for; every request runs in the host. Text goes in with textContent, never as HTML.
(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  let state;
  let lastRecommendation;

  // Tabs: click, or the arrow keys / Home / End on the tab list (WAI-ARIA tabs pattern).
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  function selectTab(tab, focus) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
  }
  for (const tab of tabs) {
    tab.addEventListener('click', () => selectTab(tab, false));
    tab.addEventListener('keydown', (event) => {
      const index = tabs.indexOf(tab);
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length], true);
    });
  }

  function policyChoice() {
    const value = $('policy').value;
    if (value === 'config' || value === 'site') return { kind: value };
    return { kind: 'profile', profile: value.slice('profile:'.length) };
  }

  function request() {
    const kind = document.querySelector('input[name="input-kind"]:checked').value;
    return {
      endpoint: $('endpoint').value,
      model: $('model').value,
      input: kind === 'prompt' ? { kind, prompt: $('input-text').value } : { kind, json: $('input-text').value },
      stream: $('stream').checked,
      policy: policyChoice(),
    };
  }

  /** Sets the fields the host sent (all of them for a history entry, only the endpoint after Start). */
  function fill(prefill) {
    if (prefill.endpoint !== undefined) $('endpoint').value = prefill.endpoint;
    if (prefill.model !== undefined) $('model').value = prefill.model;
    if (prefill.input !== undefined) {
      const kind = prefill.input.kind;
      document.querySelector(`input[name="input-kind"][value="${kind}"]`).checked = true;
      $('input-text').value = kind === 'prompt' ? prefill.input.prompt : prefill.input.json;
    }
    if (prefill.stream !== undefined) $('stream').checked = prefill.stream;
    if (prefill.policy !== undefined) $('policy').value = prefill.policy.kind === 'profile' ? `profile:${prefill.policy.profile}` : prefill.policy.kind;
    updateKeyStatus();
  }

  function setOptions(select, values, labels) {
    const current = select.value;
    select.replaceChildren(...values.map((value, index) => {
      const option = el('option', '', labels ? labels[index] : value);
      option.value = value;
      return option;
    }));
    if (values.includes(current)) select.value = current;
  }

  function originOf(text) {
    try {
      return new URL(text).origin;
    } catch {
      return undefined;
    }
  }

  function updateKeyStatus() {
    if (!state) return;
    const origin = originOf($('endpoint').value);
    $('key-status').textContent = origin && state.endpointsWithKey.includes(origin) ? `API key stored for ${origin}` : 'No API key stored for this endpoint';
  }

  function renderState() {
    const profiles = state.profiles.map((profile) => `profile:${profile}`);
    setOptions(
      $('policy'),
      [...profiles, 'config', 'site'],
      [...state.profiles.map((profile) => `Profile: ${profile}`), "Workspace config (retrylint.config.json)", 'Retry site under the cursor'],
    );
    setOptions($('sim-scenario'), state.simulatorScenarios);
    $('untrusted').textContent = state.trusted ? '' : 'This workspace is not trusted: the Retry Lab sends no requests and starts no server here. Trust the workspace to use it (Simulate still works).';
    $('send').disabled = state.busy || !state.trusted;
    $('cancel').disabled = !state.busy;
    $('lab-start').disabled = !state.trusted || state.labServer !== undefined;
    $('lab-stop').disabled = state.labServer === undefined;
    $('lab-status').textContent = state.labServer ? `Local lab server: ${state.labServer.url} (${state.labServer.scenario})` : 'Local lab server: off';
    $('site').textContent = state.site ? `Site: ${state.site.summary}` : '';
    updateKeyStatus();
    const list = $('history');
    list.replaceChildren(...state.history.map((entry, index) => {
      const item = el('li');
      item.append(el('span', entry.ok ? '' : 'muted', `${new Date(entry.at).toLocaleTimeString()} ${entry.request.model} · ${entry.summary}`));
      const again = el('button', 'action secondary', 'Re-run');
      again.setAttribute('aria-label', `Re-run call ${index + 1}: ${entry.summary}`);
      again.disabled = state.busy || !state.trusted;
      again.addEventListener('click', () => vscode.postMessage({ type: 'rerun', index }));
      item.append(again);
      return item;
    }));
    $('history-empty').hidden = state.history.length > 0;
  }

  function attemptLine(event) {
    const item = el('li', event.outcome === 'success' ? 'success' : 'failure');
    const status = event.status === undefined ? event.outcome : `HTTP ${event.status}`;
    const what = [status, event.errorClass, `${event.durationMs} ms`, event.queuedMs ? `queued ${event.queuedMs} ms` : undefined, event.chunks ? `${event.chunks} chunk(s)` : undefined]
      .filter(Boolean)
      .join(' · ');
    item.append(el('span', 'what', `Attempt ${event.attempt}: ${what}`));
    const headers = Object.entries(event.headers).map(([name, value]) => `${name}: ${value}`).join(', ');
    if (headers) item.append(el('span', 'why headers', headers));
    const decision = event.decision;
    const next = decision.action === 'retry'
      ? `→ retry in ${decision.delayMs} ms (${decision.delaySource}${decision.note ? `: ${decision.note}` : ''})`
      : `→ ${decision.reason}: ${decision.message}`;
    item.append(el('span', 'why decision', next));
    item.dataset.outcome = event.outcome;
    return item;
  }

  function usageText(usage) {
    if (!usage) return 'no token usage reported';
    return `tokens: ${usage.promptTokens ?? '?'} in, ${usage.completionTokens ?? '?'} out, ${usage.totalTokens ?? '?'} total`;
  }

  function cell(text, number) {
    return el('td', number ? 'number' : '', text);
  }
  const percent = (value) => `${(value * 100).toFixed(1)}%`;
  const ms = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);

  function simulationRow(row) {
    const tr = el('tr');
    tr.append(cell(row.policy), cell(percent(row.successRate), true), cell(ms(row.meanMs), true), cell(ms(row.p99Ms), true),
      cell(row.attemptsPerRequest.toFixed(2), true), cell(`${row.loadAmplification.toFixed(1)}x`, true), cell(percent(row.tokenWasteRate), true));
    return tr;
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    switch (message.type) {
      case 'state':
        state = message.state;
        renderState();
        if (message.prefill) fill(message.prefill);
        document.body.dataset.ready = 'true';
        break;
      case 'call-start':
        $('timeline').replaceChildren();
        $('response').textContent = '';
        $('summary').textContent = '';
        $('error').textContent = '';
        $('call-info').textContent = `POST ${message.url} · ${message.policy}`;
        break;
      case 'attempt':
        $('timeline').append(attemptLine(message.event));
        break;
      case 'chunk':
        $('response').textContent += message.text;
        break;
      case 'call-end': {
        const end = message.event;
        if (message.text !== undefined && $('response').textContent === '') $('response').textContent = message.text;
        const wasted = message.wasted;
        const cost = wasted.costUsd === undefined ? 'no price known for this model' : `$${wasted.costUsd.toFixed(6)}`;
        $('summary').textContent = `${end.ok ? 'Succeeded' : `Failed (${end.reason}): ${end.message}`} after ${end.attempts} attempt(s) in ${end.durationMs} ms. ${usageText(message.usage)}. Wasted attempts: ${wasted.attempts} (${wasted.tokens} tokens, ${cost}).`;
        $('summary').dataset.reason = end.reason;
        break;
      }
      case 'error':
        $('error').textContent = message.message;
        break;
      case 'simulation': {
        const body = $('sim-rows');
        body.replaceChildren(...message.rows.map(simulationRow));
        $('sim-table').hidden = false;
        $('sim-caption').textContent = `${message.scenario}: ${message.rows[0]?.requests ?? 0} simulated requests`;
        if (message.chartSvg) {
          $('sim-chart').src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(message.chartSvg)))}`;
          $('sim-chart').hidden = false;
        }
        break;
      }
      case 'recommendation':
        lastRecommendation = message;
        $('recommendation').textContent = `${message.name}: success ${percent(message.row.successRate)}, P99 ${ms(message.row.p99Ms)}\n${message.config}`;
        $('apply').hidden = false;
        break;
    }
  });

  $('send').addEventListener('click', () => vscode.postMessage({ type: 'send', ...request() }));
  $('cancel').addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
  $('lab-start').addEventListener('click', () => vscode.postMessage({ type: 'start-lab-server', scenario: $('lab-scenario').value }));
  $('lab-stop').addEventListener('click', () => vscode.postMessage({ type: 'stop-lab-server' }));
  $('set-key').addEventListener('click', () => vscode.postMessage({ type: 'set-api-key', endpoint: $('endpoint').value }));
  $('endpoint').addEventListener('input', updateKeyStatus);
  $('simulate').addEventListener('click', () => vscode.postMessage({ type: 'simulate', scenario: $('sim-scenario').value, policy: policyChoice() }));
  $('recommend').addEventListener('click', () => vscode.postMessage({ type: 'recommend', scenario: $('sim-scenario').value }));
  $('apply').addEventListener('click', () => lastRecommendation && vscode.postMessage({ type: 'apply-recommendation' }));
  for (const radio of document.querySelectorAll('input[name="input-kind"]')) {
    radio.addEventListener('change', () => {
      if (radio.value === 'messages' && radio.checked && !$('input-text').value.trim().startsWith('[')) {
        $('input-text').value = JSON.stringify([{ role: 'user', content: $('input-text').value || 'Hello' }], null, 2);
      }
    });
  }
  vscode.postMessage({ type: 'ready' });
})();
