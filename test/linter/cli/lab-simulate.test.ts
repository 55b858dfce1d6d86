/** `retrylint lab simulate`, run as the built CLI on real files in temp folders. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTICLE_STRATEGY_NAMES, simPolicyFromPolicy, type SimulationRow } from '@retrylint/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigLoader } from '../../../linter/src/config/config-loader.js';
import { resolveLayers } from '../../../linter/src/config/core-config.js';
import { makeProject, runCli, type CliRun } from '../../e2e/cli-harness.js';

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length > 0) disposers.pop()?.();
});

function project(files: Readonly<Record<string, string>> = {}): string {
  const created = makeProject(files);
  disposers.push(created.dispose);
  return created.dir;
}

/** Small runs keep the suite quick; the simulation is the same at any size. */
const SMALL = ['--requests', '2000'];

function simulateCli(args: readonly string[], cwd: string): CliRun {
  return runCli(['lab', 'simulate', ...args], cwd);
}

function jsonRows(run: CliRun): SimulationRow[] {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { rows: SimulationRow[] }).rows;
}

/** The table's lines below its header, split into cells. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.trimEnd().split('\n');
  const header = lines.findIndex((line) => line.startsWith('policy '));
  expect(header).toBeGreaterThanOrEqual(0);
  return lines.slice(header + 1).map((line) => line.split(/\s{2,}/));
}

/** Elements nest and close, attributes are quoted, and only XML's own entities are used. */
function expectWellFormedXml(text: string): void {
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let index = 0;
  while (index < text.length) {
    const next = text.indexOf('<', index);
    const content = text.slice(index, next === -1 ? text.length : next);
    for (const entity of content.matchAll(/&([^;\s]*);?/g)) expect(['amp;', 'lt;', 'gt;', 'quot;', 'apos;']).toContain(`${entity[1]};`);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(text);
    expect(match, `a malformed tag at ${next}: ${text.slice(next, next + 60)}`).not.toBeNull();
    const [whole, closing, name, , selfClosing] = match!;
    if (closing) expect(open.pop(), `</${name}> at ${next}`).toBe(name);
    else if (!selfClosing) open.push(name);
    index = next + whole.length;
  }
  expect(open).toEqual([]);
}

describe('retrylint lab simulate', () => {
  it("prints the article's five strategies as a table, and the same table for the same seed", () => {
    const dir = project();
    const run = simulateCli(SMALL, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^scenario article-rate-limit: /);
    expect(run.stdout).toContain('2000 requests, seed 1');
    const rows = tableRows(run.stdout);
    expect(rows.map((row) => row[0])).toEqual(ARTICLE_STRATEGY_NAMES);
    // 100 of every 360 requests a minute are turned away: no retry keeps about 72%.
    const noRetrySuccess = Number.parseFloat(rows[0][1]);
    expect(noRetrySuccess).toBeGreaterThan(69);
    expect(noRetrySuccess).toBeLessThan(75);
    for (const row of rows.slice(1)) expect(Number.parseFloat(row[1])).toBeGreaterThan(noRetrySuccess);
    expect(simulateCli(SMALL, dir).stdout).toBe(run.stdout);
    expect(simulateCli([...SMALL, '--seed', '2'], dir).stdout).not.toBe(run.stdout);
  });

  it('prints one JSON row per policy, and CSV with the same numbers', () => {
    const dir = project();
    const rows = jsonRows(simulateCli([...SMALL, '--format', 'json'], dir));
    expect(rows.map((row) => row.policy)).toEqual(ARTICLE_STRATEGY_NAMES);
    for (const row of rows) {
      expect(row.requests).toBe(2000);
      expect(row.p50Ms).toBeLessThanOrEqual(row.p95Ms);
      expect(row.p95Ms).toBeLessThanOrEqual(row.p99Ms);
      expect(row.attemptsPerRequest).toBeCloseTo(row.attempts / row.requests, 12);
    }
    const csv = simulateCli([...SMALL, '--format', 'csv'], dir);
    expect(csv.code).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\n').map((line) => line.split(','));
    expect(lines).toHaveLength(rows.length);
    for (const [index, line] of lines.entries()) {
      expect(line).toHaveLength(header.length);
      const cell = (column: string) => line[header.indexOf(column)];
      expect(cell('policy')).toBe(rows[index].policy);
      expect(Number(cell('successRate'))).toBe(rows[index].successRate);
      expect(Number(cell('p99Ms'))).toBe(rows[index].p99Ms);
      expect(Number(cell('tokensWasted'))).toBe(rows[index].tokensWasted);
      expect(Number(cell('failed.attempts-exhausted'))).toBe(rows[index].failures['attempts-exhausted']);
    }
  });

  it('writes the charts as a well-formed SVG file next to the table', () => {
    const dir = project();
    const run = simulateCli(['--scenario', 'thundering-herd', '--requests', '1000', '--svg', 'charts/out.svg'], dir);
    // A folder that does not exist is an error with the file named, not a crash.
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot write --svg charts/out.svg: ENOENT');
    const written = simulateCli(['--scenario', 'thundering-herd', '--requests', '1000', '--svg', 'out.svg'], dir);
    expect(written.code).toBe(0);
    expect(tableRows(written.stdout)).toHaveLength(5);
    const svg = readFileSync(path.join(dir, 'out.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expectWellFormedXml(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const name of ARTICLE_STRATEGY_NAMES) expect(svg).toContain(`>${name}</text>`);
  });

  it('compares profiles and a config file, with the config\'s guards in force', () => {
    const dir = project({
      'retrylint.config.json': `{
        // one attempt, paced at 2 per second
        "profile": "ai-api",
        "policy": { "maxAttempts": 1, "tokenBucket": { "ratePerSecond": 2, "burst": 2 } }
      }`,
    });
    const rows = jsonRows(simulateCli([...SMALL, '--compare', 'ai-api,network-blip,retrylint.config.json', '--format', 'json'], dir));
    expect(rows.map((row) => row.policy)).toEqual(['ai-api', 'network-blip', 'retrylint.config.json']);
    const [aiApi, , config] = rows;
    expect(config.attemptsPerRequest).toBeLessThanOrEqual(1);
    expect(aiApi.attemptsPerRequest).toBeGreaterThan(1);
    expect(aiApi.successRate).toBeGreaterThan(config.successRate);
    // 6 requests per second through a bucket of 2 per second: requests queue at the client until
    // the profile's 300 s deadline ends them.
    expect(config.failures.deadline).toBeGreaterThan(500);
    expect(config.maxMs).toBeCloseTo(300_000, 3);
    expect(config.p50Ms).toBeGreaterThan(60_000);
    expect(aiApi.p50Ms).toBeLessThan(1_000);
  });

  it('reports a bad scenario file with its path, line and column, and a missing one by name', () => {
    const dir = project({
      'scenario.json': '{\n  "extends": "article-rate-limit",\n  "arrival": { "kind": "poisson", "rate": 3 }\n}\n',
      'broken.json': '{\n  "requests": 10,\n  "server": {\n}',
    });
    const bad = simulateCli(['--scenario', 'scenario.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('scenario.json:3:35 arrival.rate: unknown key; did you mean "ratePerSecond"?');
    const broken = simulateCli(['--scenario', 'broken.json'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.json:4:\d+ /m);
    const missing = simulateCli(['--scenario', 'nowhere.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.json:1:1');
    expect(missing.stderr).toContain('scenario file not found');
    for (const run of [bad, broken, missing]) expect(run.stderr).not.toMatch(/internal error|at .*\.cjs:\d+/);
  });

  it('--recommend prints a config snippet that loads and simulates to its best row', () => {
    const dir = project();
    const run = simulateCli(['--recommend', '--requests', '1500', '--objective', 'success,p99'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('objective: success rate (0.1 point), then P99 latency (1%)');
    const snippet = /retrylint\.config\.json:\n(\{[\s\S]*?\n\})\n/.exec(run.stdout)?.[1];
    expect(snippet).toBeDefined();
    writeFileSync(path.join(dir, 'retrylint.config.json'), snippet!);
    const file = path.join(dir, 'retrylint.config.json');
    const layers = new ConfigLoader((absolute) => path.relative(dir, absolute)).load(file).map((source) => source.base);
    const loaded = simPolicyFromPolicy('recommended', resolveLayers(layers).policy);
    const best = /^best: (.*)$/m.exec(run.stdout)?.[1];
    expect(best).toContain(` x${loaded.maxAttempts} base ${loaded.backoff.baseMs} `);
    // The snippet simulated on its own gives the best row of the table.
    const [fromSnippet] = tableRows(simulateCli(['--requests', '1500', '--policy', 'retrylint.config.json'], dir).stdout);
    const [bestRow] = tableRows(run.stdout);
    expect(bestRow[0]).toBe(best);
    expect(fromSnippet.slice(1)).toEqual(bestRow.slice(1));
  });

  it('rejects flags that do not go together, and an unknown objective, without a stack trace', () => {
    const dir = project();
    const both = simulateCli(['--policy', 'ai-api', '--compare', 'ai-api,bulk'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('use --policy or --compare, not both');
    const objective = simulateCli(['--recommend', '--objective', 'speed'], dir);
    expect(objective.code).toBe(2);
    expect(objective.stderr).toContain('--objective: unknown objective "speed"');
    expect(existsSync(path.join(dir, 'out.svg'))).toBe(false);
  });
});
