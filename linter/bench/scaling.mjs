// The scaling curve: one generated file of N small retry functions (a 5-attempt loop with
// a call and a sleep), linted alone by the built CLI, for growing N in both languages.
// Time per site should stay flat: a frontend or fix step that walks the whole file per
// site shows up here as a per-site cost that grows with N.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export const SCALING_SITES = [1000, 2000, 4000, 8000, 16000];

function pythonFunction(index) {
  return [
    `def fetch_${index}(url):`,
    '    for attempt in range(5):',
    '        try:',
    '            return requests.get(url)',
    '        except requests.ConnectionError:',
    '            time.sleep(2 ** attempt)',
    '    raise RuntimeError("gave up")',
    '',
    '',
  ].join('\n');
}

function typescriptFunction(index) {
  return [
    `export async function fetch${index}(url: string): Promise<Response> {`,
    '  for (let attempt = 0; attempt < 5; attempt++) {',
    '    try {',
    '      return await fetch(url);',
    '    } catch (error) {',
    '      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 100));',
    '    }',
    '  }',
    "  throw new Error('gave up');",
    '}',
    '',
  ].join('\n');
}

/** The text of a file with `sites` retry functions in `language`. */
export function generatedSource(language, sites) {
  const header = language === 'python' ? 'import time\n\nimport requests\n\n\n' : '';
  const make = language === 'python' ? pythonFunction : typescriptFunction;
  const parts = [header];
  for (let index = 0; index < sites; index++) parts.push(make(index));
  return parts.join('');
}

/** Writes the generated file into `dir` and returns its path. */
export function writeGeneratedFile(dir, language, sites) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `retry-${sites}.${language === 'python' ? 'py' : 'ts'}`);
  writeFileSync(file, generatedSource(language, sites));
  return file;
}

/**
 * Runs the CLI on one file; `maxRSS` comes from a preload that reports the process's own
 * peak resident set when it exits (worker threads share the process, so they are counted).
 */
export function timeOneFile({ bin, file, rssPreload, timeoutMs, extraArgs = [] }) {
  const rssFile = `${file}.rss`;
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--require', rssPreload, bin, '--format', 'json', '--no-ignore', ...extraArgs, file], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, RETRYLINT_BENCH_RSS_FILE: rssFile },
  });
  const ms = performance.now() - started;
  let rssMb;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    rssMb = undefined;
  }
  if (result.error) return { ms, rssMb, failure: result.error.code === 'ETIMEDOUT' ? 'timed out' : result.error.message };
  if (result.status !== 0 && result.status !== 1) return { ms, rssMb, failure: `exit ${result.status}: ${result.stderr.slice(0, 300)}` };
  const report = JSON.parse(result.stdout);
  const messages = report.flatMap((entry) => entry.messages);
  return { ms, rssMb, findings: messages.filter((message) => message.ruleId).length, notices: messages.filter((message) => !message.ruleId).map((message) => message.message) };
}

/** The whole curve: for each language and size, one run (or the median of `runs`). */
export function measureScaling({ bin, dir, rssPreload, runs = 1, timeoutMs, sizes = SCALING_SITES, languages = ['python', 'typescript'], log }) {
  const rows = [];
  for (const language of languages) {
    for (const sites of sizes) {
      const file = writeGeneratedFile(dir, language, sites);
      const bytes = statSync(file).size;
      const samples = [];
      for (let run = 0; run < runs; run++) {
        samples.push(timeOneFile({ bin, file, rssPreload, timeoutMs }));
        if (samples.at(-1).failure) break;
      }
      samples.sort((a, b) => a.ms - b.ms);
      const sample = samples[Math.floor(samples.length / 2)];
      const row = { language, sites, bytes, ...sample, msPerSite: sample.ms / sites };
      rows.push(row);
      rmSync(file, { force: true });
      log?.(
        `  ${language} ${sites} sites (${(bytes / 1024 / 1024).toFixed(1)} MB): ${(row.ms / 1000).toFixed(2)} s, ${row.rssMb?.toFixed(0) ?? '?'} MB, ` +
          `${(row.msPerSite * 1000).toFixed(0)} µs/site, ${row.failure ?? `${row.findings} findings`}`,
      );
    }
  }
  return rows;
}

/** The largest Python file under the 10 MB size limit that the curve's functions allow, about. */
export const HUGE_PYTHON_FUNCTIONS = 60_000;

function compactPythonFunction(index) {
  return `def fetch_${index}(url):\n    for attempt in range(5):\n        try:\n            return requests.get(url)\n        except OSError:\n            time.sleep(2 ** attempt)\n\n`;
}

/** One run on a ~9.8 MB Python file of 60,000 retry functions: it finishes, or says why not for that file. */
export function timeHugePythonFile({ bin, dir, rssPreload, timeoutMs, log }) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `huge-${HUGE_PYTHON_FUNCTIONS}.py`);
  const parts = ['import time\n\nimport requests\n\n\n'];
  for (let index = 0; index < HUGE_PYTHON_FUNCTIONS; index++) parts.push(compactPythonFunction(index));
  writeFileSync(file, parts.join(''));
  const bytes = statSync(file).size;
  const sample = timeOneFile({ bin, file, rssPreload, timeoutMs });
  rmSync(file, { force: true });
  const row = { language: 'python', sites: HUGE_PYTHON_FUNCTIONS, bytes, ...sample };
  log?.(`  ${(bytes / 1024 / 1024).toFixed(1)} MB: ${(row.ms / 1000).toFixed(2)} s, ${row.rssMb?.toFixed(0) ?? '?'} MB, ${row.failure ?? (row.notices.length > 0 ? row.notices.join(' ') : `${row.findings} findings`)}`);
  return row;
}
