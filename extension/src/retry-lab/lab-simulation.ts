/**
 * The Simulate tab: the simulator (shared/src/lab, pure, virtual time) run in the extension
 * host for the panel's policy, and its recommendation. The panel runs a smaller sample than
 * the CLI's default so that the extension host answers within a second or two.
 */
import {
  BUILT_IN_SCENARIOS,
  builtInScenario,
  candidateName,
  DEFAULT_OBJECTIVE,
  parseObjective,
  recommendationConfig,
  recommendPolicy,
  simPolicyFromPolicy,
  simulate,
  simulationChartsSvg,
  type PolicyCandidate,
  type Policy,
  type SimulationRow,
} from '@retrylint/shared';

export const PANEL_SIMULATION_REQUESTS = 2_000;
export const SIMULATOR_SCENARIOS: readonly string[] = BUILT_IN_SCENARIOS.map((scenario) => scenario.name);

export interface PanelSimulation {
  readonly scenario: string;
  readonly rows: readonly SimulationRow[];
  readonly chartSvg: string;
}

function scenarioNamed(name: string) {
  const scenario = builtInScenario(name);
  if (!scenario) throw new RangeError(`unknown scenario "${name}" (one of ${SIMULATOR_SCENARIOS.join(', ')})`);
  return scenario;
}

export function simulatePolicy(scenarioName: string, policyName: string, policy: Policy): PanelSimulation {
  const scenario = scenarioNamed(scenarioName);
  const result = simulate(scenario, [simPolicyFromPolicy(policyName, policy)], { requests: Math.min(scenario.requests, PANEL_SIMULATION_REQUESTS) });
  return { scenario: scenario.name, rows: result.rows, chartSvg: simulationChartsSvg(result) };
}

export interface PanelRecommendation {
  readonly scenario: string;
  readonly name: string;
  readonly candidate: PolicyCandidate;
  /** The winner as a retrylint.config.json snippet. */
  readonly config: string;
  readonly row: SimulationRow;
}

export function recommendFor(scenarioName: string): PanelRecommendation {
  const scenario = scenarioNamed(scenarioName);
  const { best } = recommendPolicy(scenario, parseObjective(DEFAULT_OBJECTIVE), { requests: Math.min(scenario.requests, PANEL_SIMULATION_REQUESTS) });
  return { scenario: scenario.name, name: candidateName(best.candidate), candidate: best.candidate, config: recommendationConfig(best.candidate), row: best.row };
}
