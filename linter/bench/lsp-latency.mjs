// The language server's latency: a spawned server (linter/dist/server.cjs --stdio), spoken
// to over LSP as an editor would, with a 2,000-line Python file and a 2,000-line TypeScript
// file open. Each edit is one typed character (into a URL string); the time measured
// runs from sending didChange to the diagnostics of that version: pushed
// (textDocument/publishDiagnostics) for a client without pull support, or the answer to
// textDocument/diagnostic for one with it. Edits are sent one after another, each once the
// previous result arrived, so every measurement is one change's latency (the server lints
// at once on each change: there is no debounce to add or subtract).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pythonDocument, typescriptDocument } from './lsp-documents.mjs';
import { machineInfo, median } from './report.mjs';

export const LSP_TARGET_MEDIAN_MS = 50;
const RESULT_TIMEOUT_MS = 60_000;
const URL_PREFIX = 'https://api.example.com/';
const TYPED = 'abcdefghijklmnopqrstuvwxyz';

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${RESULT_TIMEOUT_MS / 1000} s`)), RESULT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One server session over stdio; `pull` asks for pull diagnostics. */
async function startServer(repoRoot, folder, pull) {
  const protocol = createRequire(path.join(repoRoot, 'package.json'))('vscode-languageserver-protocol/node');
  const child = spawn(process.execPath, [path.join(repoRoot, 'linter/dist/server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = protocol.createProtocolConnection(new protocol.StreamMessageReader(child.stdout), new protocol.StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification(protocol.PublishDiagnosticsNotification.type, (params) => {
    const key = `${params.uri}@${params.version}`;
    waiting.get(key)?.(params.diagnostics);
    waiting.delete(key);
  });
  connection.onRequest(protocol.ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(protocol.RegistrationRequest.type, () => undefined);
  connection.onNotification('retrylint/status', () => undefined);
  connection.onNotification('window/logMessage', () => undefined);
  // With trace on, the server says where each lint's time went.
  const traces = new Map();
  connection.onNotification(protocol.LogTraceNotification.type, (params) => {
    const head = /^linted (\S+) v(\d+) in (\d+) ms$/.exec(params.message);
    const detail = /^parse and rules (\d+) ms, diagnostics with fixes (\d+) ms, \d+ diagnostics, CPU (\d+) ms/.exec(params.verbose ?? '');
    if (head && detail) {
      const [rulesMs, diagnosticsMs, cpuMs] = detail.slice(1).map(Number);
      traces.set(`${head[1]}@${head[2]}`, { lintMs: Number(head[3]), rulesMs, diagnosticsMs, cpuMs });
    }
  });
  connection.listen();
  await connection.sendRequest(protocol.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    trace: 'verbose',
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
      textDocument: { publishDiagnostics: { versionSupport: true }, ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}) },
    },
    workspaceFolders: [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }],
  });
  await connection.sendNotification(protocol.InitializedNotification.type, {});
  const pushed = (uri, version) => new Promise((resolve) => waiting.set(`${uri}@${version}`, resolve));
  return {
    protocol,
    connection,
    pushed,
    traces,
    async stop() {
      await connection.sendRequest(protocol.ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(protocol.ExitNotification.type).catch(() => undefined);
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      connection.dispose();
    },
  };
}

/** Times `edits` typed characters in a document; returns the first lint's time and every change's. */
async function timeDocument(server, file, languageId, text, edits, pull) {
  const { protocol, connection } = server;
  const uri = pathToFileURL(file).href;
  const results = (version) =>
    pull
      ? connection.sendRequest(protocol.DocumentDiagnosticRequest.type, { textDocument: { uri } }).then((report) => report.items)
      : server.pushed(uri, version);

  // Where the edits land: a URL in the middle of the file, typed into one character at a
  // time, so that every version is a text the server has not seen.
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  const line = lines.findIndex((content, index) => index >= middle && content.includes(URL_PREFIX));
  const column = lines[line].indexOf(URL_PREFIX) + URL_PREFIX.length;

  let started = performance.now();
  const opened = server.pushed(uri, 1);
  await connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  const first = await withTimeout(pull ? results(1) : opened, `diagnostics for ${path.basename(file)}`);
  const openMs = performance.now() - started;

  const times = [];
  const inServer = [];
  for (let edit = 0; edit < edits; edit++) {
    const version = edit + 2;
    const at = { line, character: column + edit };
    const change = { range: { start: at, end: at }, text: TYPED[edit % TYPED.length] };
    const arrived = pull ? undefined : server.pushed(uri, version);
    started = performance.now();
    await connection.sendNotification(protocol.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [change],
    });
    await withTimeout(pull ? results(version) : arrived, `diagnostics for ${path.basename(file)} v${version}`);
    times.push(performance.now() - started);
    const trace = server.traces.get(`${path.basename(file)}@${version}`);
    if (trace) inServer.push(trace);
  }
  await connection.sendNotification(protocol.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  return { openMs, times, inServer, diagnostics: first.length };
}

export async function measureLspLatency({ repoRoot, cacheDir, edits, log }) {
  const folder = path.join(cacheDir, 'lsp');
  mkdirSync(folder, { recursive: true });
  const documents = [
    { language: 'Python', languageId: 'python', file: path.join(folder, 'orders.py'), text: pythonDocument() },
    { language: 'TypeScript', languageId: 'typescript', file: path.join(folder, 'orders.ts'), text: typescriptDocument() },
  ];
  for (const document of documents) writeFileSync(document.file, document.text);
  const rows = [];
  for (const pull of [false, true]) {
    const server = await startServer(repoRoot, folder, pull);
    try {
      for (const document of documents) {
        log(`language server, ${document.language}, ${pull ? 'pull' : 'push'}: ${edits} edits ...`);
        const { openMs, times, inServer, diagnostics } = await timeDocument(server, document.file, document.languageId, document.text, edits, pull);
        rows.push({
          language: document.language,
          mode: pull ? 'pull' : 'push',
          lines: document.text.split('\n').length - 1,
          diagnostics,
          openMs,
          medianMs: median(times),
          p95Ms: percentile(times, 95),
          maxMs: Math.max(...times),
          rulesMs: inServer.length > 0 ? median(inServer.map((trace) => trace.rulesMs)) : undefined,
          diagnosticsMs: inServer.length > 0 ? median(inServer.map((trace) => trace.diagnosticsMs)) : undefined,
          cpuMs: inServer.length > 0 ? median(inServer.map((trace) => trace.cpuMs)) : undefined,
          edits,
        });
      }
    } finally {
      await server.stop();
    }
  }
  return rows;
}

const ms = (value) => `${Math.round(value)} ms`;
const msOrUnknown = (value) => (value === undefined ? '?' : ms(value));

export function lspTargetMet(rows) {
  return rows.every((row) => row.medianMs <= LSP_TARGET_MEDIAN_MS);
}

export function printLspSummary(rows, log) {
  log('\nLanguage server latency (didChange to diagnostics):');
  for (const row of rows) {
    log(
      `  ${`${row.language} (${row.lines} lines), ${row.mode}`.padEnd(32)} median ${ms(row.medianMs).padStart(7)}  p95 ${ms(row.p95Ms).padStart(7)}  max ${ms(row.maxMs).padStart(7)}  first lint ${ms(row.openMs)}` +
        `  (median in the server: parse and rules ${msOrUnknown(row.rulesMs)}, diagnostics ${msOrUnknown(row.diagnosticsMs)}, CPU ${msOrUnknown(row.cpuMs)})`,
    );
  }
  log(`target (median <= ${LSP_TARGET_MEDIAN_MS} ms for every file and mode): ${lspTargetMet(rows) ? 'met' : 'NOT met'}`);
}

/** The share of the median the frontend and rules take, in words. */
function whereTheTimeGoes(rows) {
  const known = rows.filter((row) => row.rulesMs !== undefined);
  if (known.length === 0) return 'The server sent no timings (trace off).';
  const shares = known.map((row) => row.rulesMs / row.medianMs);
  const low = Math.round(100 * Math.min(...shares));
  const high = Math.round(100 * Math.max(...shares));
  const rest = known.map((row) => Math.round(row.medianMs - row.rulesMs));
  const restText = Math.min(...rest) === Math.max(...rest) ? `${rest[0]} ms` : `${Math.min(...rest)}-${Math.max(...rest)} ms`;
  const summary = `Parsing and the rules take ${low === high ? `${low}%` : `${low}-${high}%`} of the median; everything else (diagnostics with their fixes, the protocol) ${restText}.`;
  if (lspTargetMet(rows)) return summary;
  const cpu = known.filter((row) => row.cpuMs !== undefined).map((row) => Math.round(row.cpuMs));
  const cpuText =
    cpu.length === 0 ? '' : ` One lint costs ${Math.min(...cpu) === Math.max(...cpu) ? cpu[0] : `${Math.min(...cpu)}-${Math.max(...cpu)}`} ms of CPU${Math.min(...cpu) > LSP_TARGET_MEDIAN_MS ? ', more than the target even on an idle machine' : ''}.`;
  return `${summary}${cpuText} What stands between the median and the target is the frontends' time on a whole 2,000-line file: the server lints each version once (requests for the same version share it), but every lint runs the recognizers and the rules over the whole file (for Python the parse is incremental and the top-level statements an edit did not touch are cloned from the last copy; the TypeScript file is parsed whole).`;
}

export const LSP_SECTION_HEADING = '## Language server latency';

export function lspMarkdown(rows, { machine, date }) {
  const table = rows.map(
    (row) =>
      `| ${row.language} | ${row.lines} | ${row.mode} | ${row.diagnostics} | **${ms(row.medianMs)}** | ${ms(row.p95Ms)} | ${ms(row.maxMs)} | ${msOrUnknown(row.rulesMs)} | ${msOrUnknown(row.diagnosticsMs)} | ${msOrUnknown(row.cpuMs)} | ${ms(row.openMs)} |`,
  );
  return [
    LSP_SECTION_HEADING,
    '',
    `<!-- Generated by \`npm run bench -- --only lsp\` (linter/bench/lsp-latency.mjs). -->`,
    '',
    `Time from a change to its diagnostics in the editor, target: median at most ${LSP_TARGET_MEDIAN_MS} ms (**${lspTargetMet(rows) ? 'met' : 'not met'}**).`,
    '',
    '| file | lines | diagnostics | count | median | p95 | max | of the median: parse and rules | of the median: diagnostics | CPU time of a lint (median) | first lint (open) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...table,
    '',
    `- The server (\`linter/dist/server.cjs --stdio\`) is spawned and spoken to over LSP on stdio, as an editor does. The files are generated (\`linter/bench/lsp-documents.mjs\`): application code with an HTTP call in every function and a retry site (loops with sleeps, tenacity, p-retry, an SDK client inside a loop) in every few.`,
    `- Each of the ${rows[0]?.edits ?? 0} edits per file types one character into a URL in the middle of the file (one incremental didChange; every version is a new text) and waits for its result before the next: **push** = until \`textDocument/publishDiagnostics\` for that version arrives, **pull** = until the answer to \`textDocument/diagnostic\` sent right after the change.`,
    '- No debounce: the server lints on every change at once; while a lint runs, later changes coalesce into one more lint of the newest text. The times include the whole round trip (JSON-RPC over pipes, linting, rendering the fixes into each diagnostic\'s data).',
    '- "parse and rules" and "diagnostics" are the server\'s own account of each lint (its trace, `$/logTrace` with trace `verbose`): the frontend and the rules (`judgeText`, the same code the CLI runs), then turning findings into diagnostics with their fixes rendered. The rest of the round trip is the protocol and waiting for the CPU.',
    '- "CPU time of a lint" is the server process\'s CPU time (user + system) over one lint: its own cost, apart from waiting for a shared CPU (it includes the background threads of the garbage collector, so an idle machine may take a little less wall time).',
    '- "first lint" is the open of the file, which also loads the parser (web-tree-sitter for Python, oxc-parser for TypeScript).',
    '- The machine may be shared with other work: the load average below says how busy it was. "CPU time of a lint" does not count the waiting, so it is the measure to compare between runs.',
    `- ${whereTheTimeGoes(rows)}`,
    `- Run it alone with \`npm run bench -- --only lsp\` (\`--lsp-edits N\`, default 40; \`--no-write\` to only print); a full \`npm run bench\` runs it after the CLI comparisons.`,
    '',
    `Measured ${date}. Machine: ${machine.cpu}, ${machine.memory} RAM, ${machine.os}, Node ${machine.node}; load average ${machine.load} when the run started.`,
    ...(Number(machine.load) > machine.cores
      ? ['', `The load average was above the ${machine.cores} cores: other work shared the CPU during the run, so these times are longer than an idle machine gives.`]
      : []),
    '',
  ].join('\n');
}

/** docs/performance.md with its language server section replaced (or added at the end). */
export function withLspSection(markdown, section) {
  const start = markdown.indexOf(`${LSP_SECTION_HEADING}\n`);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf('\n## ', start + LSP_SECTION_HEADING.length);
  return `${markdown.slice(0, start)}${section}${next < 0 ? '' : `\n${markdown.slice(next + 1)}`}`;
}

/** Measures, prints, and (given `docPath`) writes the section into docs/performance.md. */
export async function runLspBenchmark({ repoRoot, cacheDir, edits, log, docPath }) {
  const load = os.loadavg()[0].toFixed(1);
  const rows = await measureLspLatency({ repoRoot, cacheDir, edits, log });
  printLspSummary(rows, log);
  if (!docPath) return rows;
  const machine = { ...machineInfo(), load, cores: os.availableParallelism() };
  const section = lspMarkdown(rows, { machine, date: new Date().toISOString().slice(0, 10) });
  writeFileSync(docPath, withLspSection(existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Performance\n', section));
  log(`wrote the language server section of ${path.relative(repoRoot, docPath)}`);
  return rows;
}
