/**
 * `retrylint lab simulate`: the article's benchmark table for any policy, in virtual time.
 * With no `--policy` or `--compare`, it compares the article's five strategies.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ARTICLE_STRATEGIES,
  BUILT_IN_SCENARIOS,
  candidatePolicy,
  DEFAULT_OBJECTIVE,
  DEFAULT_SEED,
  parseObjective,
  recommendationConfig,
  recommendPolicy,
  simulate,
  simulationChartsSvg,
  type Objective,
  type Scenario,
  type SimPolicy,
  type SimulationResult,
} from '@retrylint/shared';
import type { CommandIo } from '../lint-command.js';
import { UsageError } from '../usage-error.js';
import { formatCsv, formatJson, formatTable, tableCells, tableHeader, textTable } from './simulate-output.js';
import { resolveSimPolicies, resolveSimPolicy } from './simulate-policies.js';
import { DEFAULT_SCENARIO, resolveScenario } from './simulate-scenario.js';

export const SIMULATE_FORMATS = ['table', 'json', 'csv'] as const;
type SimulateFormat = (typeof SIMULATE_FORMATS)[number];

export interface SimulateCommandOptions {
  readonly scenario?: string;
  readonly policy?: string;
  readonly compare?: string;
  readonly requests?: string;
  readonly seed?: string;
  readonly format: SimulateFormat;
  readonly svg?: string;
  readonly recommend?: boolean;
  readonly objective?: string;
}

/** The most requests one run may simulate: memory is flat, but time is not. */
const MAX_REQUESTS = 10_000_000;

function integerFlag(value: string | undefined, flag: string, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < minimum || number > maximum) {
    throw new UsageError(`${flag} expects an integer from ${minimum} to ${maximum}, got "${value}"`);
  }
  return number;
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function policiesOf(options: SimulateCommandOptions, cwd: string): readonly SimPolicy[] {
  if (options.policy !== undefined && options.compare !== undefined) throw new UsageError('use --policy or --compare, not both');
  if (options.policy !== undefined) return [resolveSimPolicy(options.policy, cwd)];
  if (options.compare !== undefined) {
    const specs = list(options.compare);
    if (specs.length === 0) throw new UsageError('--compare expects a comma-separated list of policies');
    return resolveSimPolicies(specs, cwd);
  }
  return ARTICLE_STRATEGIES;
}

function objectiveOf(value: string | undefined): Objective {
  try {
    return parseObjective(value === undefined ? DEFAULT_OBJECTIVE : list(value));
  } catch (error) {
    throw new UsageError(`--objective: ${(error as Error).message}`);
  }
}

function writeSvg(file: string, cwd: string, result: SimulationResult): void {
  const target = path.resolve(cwd, file);
  try {
    writeFileSync(target, simulationChartsSvg(result));
  } catch (error) {
    throw new UsageError(`cannot write --svg ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function formatResult(result: SimulationResult, scenario: Scenario, format: SimulateFormat): string {
  if (format === 'json') return formatJson(result);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result, scenario.description);
}

/** `--recommend`: the best policy for the scenario as a config snippet, and the runners-up. */
function runRecommend(scenario: Scenario, options: SimulateCommandOptions, seed: number, requests: number | undefined, io: CommandIo): void {
  if (options.policy !== undefined || options.compare !== undefined) throw new UsageError('--recommend searches the policies itself: drop --policy and --compare');
  const objective = objectiveOf(options.objective);
  const recommendation = recommendPolicy(scenario, objective, { seed, requests });
  const ranked = [recommendation.best, ...recommendation.runnersUp];
  const config = recommendationConfig(recommendation.best.candidate);
  if (options.svg !== undefined) writeSvg(options.svg, io.cwd, simulate(scenario, ranked.map((entry) => candidatePolicy(entry.candidate)), { seed, requests }));
  const rows = ranked.map((entry) => entry.row);
  const result: SimulationResult = { scenario: scenario.name, seed, peakWindowMs: scenario.peakWindowMs, rows, charts: [] };
  if (options.format === 'json') {
    const json = {
      scenario: scenario.name,
      seed,
      objective: objective.map((term) => term.name),
      evaluated: recommendation.evaluated,
      best: { candidate: recommendation.best.candidate, config, row: recommendation.best.row },
      runnersUp: recommendation.runnersUp.map((entry) => ({ candidate: entry.candidate, row: entry.row })),
    };
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  if (options.format === 'csv') {
    io.stdout.write(formatCsv(result));
    return;
  }
  const lines = [
    `scenario ${scenario.name}: ${scenario.description}`,
    `objective: ${objective.map((term) => term.describe).join(', then ')}; ${recommendation.evaluated} policies simulated, seed ${seed}`,
    '',
    `best: ${recommendation.best.row.policy}`,
    '',
    'retrylint.config.json:',
    config,
    textTable([tableHeader(scenario.peakWindowMs), ...rows.map(tableCells)]),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}

export function runSimulateCommand(options: SimulateCommandOptions, io: CommandIo): void {
  const scenario = resolveScenario(options.scenario ?? DEFAULT_SCENARIO, io.cwd);
  const requests = integerFlag(options.requests, '--requests', 1, MAX_REQUESTS);
  const seed = integerFlag(options.seed, '--seed', 0, 2 ** 32 - 1) ?? DEFAULT_SEED;
  if (options.recommend) return runRecommend(scenario, options, seed, requests, io);
  if (options.objective !== undefined) throw new UsageError('--objective only applies with --recommend');
  const result = simulate(scenario, policiesOf(options, io.cwd), { seed, requests });
  if (options.svg !== undefined) writeSvg(options.svg, io.cwd, result);
  io.stdout.write(formatResult(result, scenario, options.format));
}

/** The built-in scenarios, for `--help`. */
export function builtInScenariosHelp(): string {
  const width = Math.max(...BUILT_IN_SCENARIOS.map((scenario) => scenario.name.length));
  return ['', 'Built-in scenarios:', ...BUILT_IN_SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(width)}  ${scenario.description}`)].join('\n');
}
