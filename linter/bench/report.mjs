// Turns measured runs into the console summary and docs/performance.md.
import os from 'node:os';

export const TARGET_SPEEDUP = 20;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores available`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const kilobytes = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const percent = (part, whole) => `${((100 * part) / whole).toFixed(0)}%`;

/** One row per tool: median, spread, findings and the speed-up against the comparison's baseline. */
export function summarise(comparison) {
  const baseline = median(comparison.runs.get(comparison.baseline.name).map((run) => run.ms));
  return comparison.tools.map((tool) => {
    const runs = comparison.runs.get(tool.name);
    const times = runs.map((run) => run.ms);
    const typical = median(times);
    return {
      tool: tool.name,
      medianMs: typical,
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      findings: runs[0].findings,
      speedup: tool === comparison.baseline ? undefined : baseline / typical,
    };
  });
}

function tableRows(comparison) {
  return summarise(comparison).map(
    (row) =>
      `| ${row.tool} | ${seconds(row.medianMs)} | ${seconds(row.minMs)} – ${seconds(row.maxMs)} | ${row.findings ?? '?'} | ${
        row.speedup === undefined ? 'baseline' : `**${row.speedup.toFixed(1)}x**`
      } |`,
  );
}

export function printSummary(comparisons, log) {
  for (const comparison of comparisons) {
    const { corpus } = comparison;
    log(`\n${comparison.title}: ${corpus.files} files, ${kilobytes(corpus.bytes)} (${corpus.name})`);
    log(`  prefilter keeps ${corpus.kept} of ${corpus.files} files, ${kilobytes(corpus.keptBytes)} (${percent(corpus.files - corpus.kept, corpus.files)} of the files never parsed)`);
    for (const row of summarise(comparison)) {
      const speedup = row.speedup === undefined ? 'baseline' : `${row.speedup.toFixed(1)}x faster`;
      log(`  ${row.tool.padEnd(36)} median ${seconds(row.medianMs).padStart(9)}  findings ${String(row.findings ?? '?').padStart(5)}  ${speedup}`);
    }
  }
}

export function targetMet(typescriptComparison) {
  const retrylint = summarise(typescriptComparison).find((row) => row.tool === 'retrylint');
  return retrylint !== undefined && retrylint.speedup !== undefined && retrylint.speedup >= TARGET_SPEEDUP;
}

function medianOf(comparison, toolName) {
  return summarise(comparison).find((row) => row.tool === toolName)?.medianMs;
}

/** What the numbers say, written from the numbers, so that the text cannot contradict the table. */
function analysis(comparisons) {
  const lines = ['## Reading the numbers', ''];
  const typescript = comparisons.find((comparison) => comparison.language === 'typescript');
  if (typescript && !targetMet(typescript)) {
    const { corpus } = typescript;
    const peer = summarise(typescript).find((row) => row.speedup === undefined);
    const budget = peer ? seconds(peer.medianMs / TARGET_SPEEDUP) : 'n/a';
    const startup = typescript.startupMs === undefined ? 'n/a' : seconds(typescript.startupMs);
    lines.push(
      `- The ${TARGET_SPEEDUP}x target is **not met** on this corpus. ${TARGET_SPEEDUP}x would leave ${budget} for the ` +
        `whole run, and retrylint's fixed start (Node and the bundle, \`retrylint --version\`) takes ${startup} of it. ` +
        `The openai SDK's sources are themselves retry, timeout and HTTP code, so the prefilter keeps the files that ` +
        `hold the SDK's own retry loop and clients (${kilobytes(corpus.keptBytes)} of ${kilobytes(corpus.bytes)}), ` +
        'which are parsed (oxc-parser) and walked (the `--stats` block above). An application codebase, where retry ' +
        'code is a few files among many, sends a much smaller share to the parser.',
    );
  }
  const workerFigures = comparisons.flatMap((comparison) => {
    const oneThread = medianOf(comparison, 'retrylint --jobs 1');
    const twoWorkers = medianOf(comparison, 'retrylint --jobs 2');
    if (oneThread === undefined || twoWorkers === undefined) return [];
    const language = comparison.language === 'typescript' ? 'TypeScript' : 'Python';
    return [`${language} ${seconds(twoWorkers)} in two workers against ${seconds(oneThread)} in one thread`];
  });
  if (workerFigures.length > 0) {
    lines.push(
      `- Worker threads on this machine: ${workerFigures.join('; ')}. Each worker loads its own parser and warms up ` +
        'its own JIT before it is useful, so on corpora of a few hundred files they gain little or lose; without ' +
        '`--jobs`, retrylint starts them only for trees of hundreds of files per core.',
    );
  }
  lines.push('');
  return lines;
}

function prefilterSentence(check) {
  const verdict = check.identical ? 'the same' : '**different**';
  return (
    `Parsing every file instead (\`--no-prefilter --jobs 1\`, one run: ${seconds(check.unfilteredMs)}) gives ${verdict} ` +
    `${check.findings} findings.`
  );
}

export function performanceMarkdown({ comparisons, runs, machine, date, eslintSelectors, versions }) {
  const typescript = comparisons.find((comparison) => comparison.language === 'typescript');
  const retrylintRow = typescript && summarise(typescript).find((row) => row.tool === 'retrylint');
  const lines = [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` (linter/bench/run.mjs); edit the script, not this file. -->',
    '',
    ...(retrylintRow?.speedup === undefined
      ? []
      : [`retrylint lints the openai SDK's own TypeScript sources **${retrylintRow.speedup.toFixed(1)}x faster** than ESLint with ` +
        `@typescript-eslint/parser running a single selector rule (target: at least ${TARGET_SPEEDUP}x, ` +
        `${retrylintRow.speedup >= TARGET_SPEEDUP ? 'met' : 'not met'}).`, '']),
    '## Results',
    '',
  ];
  for (const comparison of comparisons) {
    const { corpus } = comparison;
    lines.push(
      `### ${comparison.title}`,
      '',
      `${corpus.name}: ${corpus.files} files, ${kilobytes(corpus.bytes)}. The prefilter sends ${corpus.kept} of them ` +
        `(${kilobytes(corpus.keptBytes)}, ${percent(corpus.keptBytes, corpus.bytes)} of the bytes) to the parser; ` +
        `the other ${corpus.files - corpus.kept} are never parsed. ` +
        prefilterSentence(comparison.prefilterCheck),
      '',
      '| tool | median | min – max | findings | speed-up |',
      '|---|---|---|---|---|',
      ...tableRows(comparison),
      '',
      'Where retrylint\'s time goes (`retrylint --stats --jobs 1`, one more run):',
      '',
      '```',
      comparison.stats,
      '```',
      '',
    );
  }
  lines.push(...analysis(comparisons));
  lines.push(
    `Median of ${runs} runs per tool after one warm-up run, ${date}.`,
    `Machine: ${machine.cpu}, ${machine.memory} RAM, ${machine.os}, Node ${machine.node}.`,
    `Versions: ${versions.join('; ')}.`,
    '',
    '## Method',
    '',
    '- Wall-clock time of the whole command, process start included, as a user or a CI job sees it.',
    '  The runs of the tools alternate (one run of each tool per round), so slow phases of the machine',
    '  hit all of them alike.',
    '- **TypeScript corpus**: the `src/` folder the `openai` npm package ships, installed into the',
    '  benchmark cache (`.bench/`, gitignored) and copied out of `node_modules`.',
    '- **Python corpus**: the `.py` files of Debian\'s `python3-botocore` and `python3-urllib3` packages',
    '  (copied from `/usr/lib/python3/dist-packages`).',
    '- **retrylint**: the built CLI, `retrylint --format json --no-ignore <corpus>`, every rule of the',
    '  recommended config, with its default `--jobs` (worker threads for large trees only), then forced',
    '  into one thread (`--jobs 1`) and into two worker threads (`--jobs 2`).',
    '- **ESLint**: ESLint with `@typescript-eslint/parser` and one rule, `no-restricted-syntax`, with the',
    `  selectors ${eslintSelectors.map((selector) => `\`${selector}\``).join(', ')}`,
    '  (no type information, like retrylint). ESLint runs single-threaded, its default.',
    '- **pylint**: Debian\'s pylint with only the check that overlaps retrylint\'s `require-timeout`:',
    '  `pylint --disable=all --enable=missing-timeout --recursive=y <corpus>` (single process, its default).',
    '- Every child process runs under a timeout; a tool that fails or times out stops the benchmark.',
    '- "findings" is what each tool reported in its first run; the tools look for different things,',
    '  so the counts show that each one did its work, not which is better.',
    '',
    '## How retrylint saves time',
    '',
    '- A text prefilter (`linter/src/cli/prefilter.ts`) skips files that contain nothing a recognizer',
    '  starts from: no retry, backoff, attempt or sleep words, no catch clause or status test (TypeScript),',
    '  no HTTP or AI client import. A test runs it over every rule fixture and proves it never drops a',
    '  file a rule would flag; the benchmark checks the same on both corpora (the "same findings" above).',
    '- Parsers load lazily, once per thread, and only when a file passes the prefilter.',
    '- Large trees are linted by worker threads (`--jobs`; by default one per core, for trees of',
    '  hundreds of files per core); smaller runs stay in one thread, where starting workers and loading',
    '  parsers in each would cost more than it saves.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench                 # 5 runs per tool; writes this file',
    'npm run bench -- --runs 9     # more runs',
    'npm run bench -- --no-write   # print only',
    '```',
    '',
    'The first run downloads the `openai` package into `.bench/` and, when run as root, installs',
    `Debian's python3-botocore, python3-urllib3 and pylint with apt-get (otherwise it says which`,
    'command to run). Options: `--runs N`, `--timeout SECONDS` (per child process, default 600),',
    '`--no-write`.',
    '',
  );
  return lines.join('\n');
}
