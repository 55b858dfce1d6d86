/**
 * `retrylint lab serve`: the Retry Lab's fault-injecting OpenAI-compatible server, until
 * Ctrl+C (SIGINT) or SIGTERM; then a summary of what it answered.
 */
import { Command } from 'commander';
import { EXIT_CLEAN } from '../exit-code.js';
import type { CommandIo } from '../lint-command.js';
import { UsageError } from '../usage-error.js';
import { startLabServer, type LabServer, type LabServerStats } from '../../lab/lab-server.js';
import { readLabScenarioFile } from '../../lab/scenario-file.js';
import { builtInLabScenario, isLabMode, LAB_MODES, labScenariosHelp, type LabScenario, type LabStep } from '../../lab/scenario.js';
import { didYouMean } from '@retrylint/shared';

export interface ServeCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly scenario?: string;
  readonly scenarioFile?: string;
  readonly seed: string;
  readonly key?: string;
  readonly limit?: string;
  readonly windowMs?: string;
}

export const DEFAULT_LAB_PORT = 8787;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function wholeNumber(value: string, flag: string, maximum: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > maximum) throw new UsageError(`${flag} expects an integer from 0 to ${maximum}, got "${value}"`);
  return number;
}

function scenarioOf(options: ServeCommandOptions, cwd: string): LabScenario {
  if (options.scenario !== undefined && options.scenarioFile !== undefined) throw new UsageError('use --scenario or --scenario-file, not both');
  if (options.scenarioFile !== undefined) return readLabScenarioFile(options.scenarioFile, cwd);
  const name = options.scenario ?? 'ok';
  if (!isLabMode(name)) throw new UsageError(`unknown scenario "${name}"${didYouMean(name, LAB_MODES)} (one of: ${LAB_MODES.join(', ')}; or --scenario-file F.json)`);
  if (options.limit === undefined && options.windowMs === undefined) return builtInLabScenario(name);
  if (name !== 'rate-limit' && name !== 'window-head') throw new UsageError('--limit and --window-ms apply to --scenario rate-limit or window-head');
  const limit = options.limit === undefined ? undefined : wholeNumber(options.limit, '--limit', Number.MAX_SAFE_INTEGER);
  const windowMs = options.windowMs === undefined ? undefined : wholeNumber(options.windowMs, '--window-ms', Number.MAX_SAFE_INTEGER);
  if (windowMs === 0) throw new UsageError('--window-ms must be above 0');
  const window = windowMs === undefined ? {} : { windowMs };
  const step: LabStep = name === 'rate-limit' ? { scenario: name, ...window, ...(limit === undefined ? {} : { limit }) } : { scenario: name, ...window, ...(limit === undefined ? {} : { rejectFirst: limit }) };
  return { ...builtInLabScenario(name), steps: [step] };
}

export function formatLabSummary(stats: LabServerStats, nowMs: number): string {
  const seconds = ((nowMs - stats.startedAt) / 1000).toFixed(1);
  const counts = (record: Readonly<Record<string, number>>) =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => `${key}: ${count}`)
      .join(', ') || 'none';
  return [
    `Retry Lab summary: ${stats.requests} request(s) in ${seconds} s`,
    `  by status: ${counts(stats.byStatus)}`,
    `  by scenario: ${counts(stats.byMode)}`,
    `  rejected before the scenario (bad input, wrong key, unknown path): ${stats.rejected}`,
    '',
  ].join('\n');
}

async function listen(options: ServeCommandOptions, io: CommandIo): Promise<LabServer> {
  const port = wholeNumber(options.port, '--port', 65535);
  const seed = wholeNumber(options.seed, '--seed', 2 ** 32 - 1);
  const scenario = scenarioOf(options, io.cwd);
  try {
    return await startLabServer({ port, host: options.host, scenario, seed, key: options.key, log: (line) => io.stdout.write(`${line}\n`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${options.host} is in use: pick another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host "${options.host}" (${code})`);
    throw error;
  }
}

export async function runServeCommand(options: ServeCommandOptions, io: CommandIo): Promise<void> {
  const server = await listen(options, io);
  if (!LOOPBACK.test(options.host)) io.stderr.write(`warning: listening on ${options.host}, not only on this machine; the lab has no security beyond --key\n`);
  const steps = server.scenario.steps.map((step) => step.scenario).join(' -> ');
  io.stdout.write(`Retry Lab server on ${server.url}/v1 (scenario ${server.scenario.name}: ${steps}; seed ${options.seed}${options.key ? '; key required' : ''}). Ctrl+C stops it.\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(received);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write(`\n${signal}: stopping.\n${formatLabSummary(server.stats(), Date.now())}`);
  await server.close();
}

export function serveCommand(io: CommandIo, setExitCode: (code: number) => void): Command {
  const serve = new Command('serve')
    .description('run a local OpenAI-compatible server that fails the way a scenario says (for the engine, SDKs, your retry code)')
    .option('--port <n>', 'port to listen on (0: any free port)', String(DEFAULT_LAB_PORT))
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('-s, --scenario <name>', 'a built-in scenario (listed below)')
    .option('--scenario-file <file.json>', 'a scenario file: steps composed from the scenarios below')
    .option('--seed <s>', 'seed for mixed steps; the same seed gives the same answers', '1')
    .option('--key <key>', 'require Authorization: Bearer <key> (401 otherwise)')
    .option('--limit <n>', 'rate-limit: requests served per window (default 100); window-head: requests rejected at its start')
    .option('--window-ms <ms>', 'rate-limit and window-head: the window (default 60000)')
    .addHelpText('after', labScenariosHelp())
    .action(async (options: ServeCommandOptions) => {
      await runServeCommand(options, io);
      setExitCode(EXIT_CLEAN);
    });
  serve.exitOverride();
  serve.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  return serve;
}
