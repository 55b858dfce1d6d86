import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Runs a composite action's `run` steps the way a GitHub runner does: inputs with their defaults,
 * `${{ inputs.* }}` and `${{ steps.<id>.outputs.* }}` expanded, each script run by
 * `bash --noprofile --norc -eo pipefail` with GITHUB_ACTION_PATH and GITHUB_OUTPUT set. `uses`
 * steps cannot run here: they are returned for the caller to check. Any other expression in a
 * run step's env or script fails loudly, so the action cannot grow something this runner ignores.
 */
export interface ActionStep {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

export interface CompositeAction {
  readonly inputs: Record<string, { default?: string }>;
  readonly runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  readonly step: ActionStep;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ActionRun {
  readonly steps: StepResult[];
  readonly skipped: ActionStep[];
  readonly outputs: Record<string, Record<string, string>>;
  /** The job's result: the status of the first run step that failed, or 0. */
  readonly status: number;
}

export function readAction(file: string): CompositeAction {
  return parse(readFileSync(file, 'utf8')) as CompositeAction;
}

const EXPRESSION = /\$\{\{\s*([^}]*?)\s*\}\}/g;

function expand(text: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return text.replace(EXPRESSION, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      if (!(input[1] in inputs)) throw new Error(`the action reads an undeclared input: ${input[1]}`);
      return inputs[input[1]];
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return outputs[output[1]]?.[output[2]] ?? '';
    throw new Error(`this runner does not model the expression \${{ ${expression} }}`);
  });
}

function readOutputs(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

export function runCompositeAction(
  action: CompositeAction,
  options: { actionPath: string; workspace: string; inputs?: Record<string, string> },
): ActionRun {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = options.inputs?.[name] ?? spec.default ?? '';
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in action.inputs)) throw new Error(`the action has no input named ${name}`);
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'retrylint-action-'));
  const outputs: Record<string, Record<string, string>> = {};
  const steps: StepResult[] = [];
  const skipped: ActionStep[] = [];
  let status = 0;
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      if (step.run === undefined) {
        skipped.push(step);
        continue;
      }
      if (step.shell !== 'bash') throw new Error(`step ${step.name ?? index} must say shell: bash`);
      if (status !== 0) continue;
      const script = path.join(scratch, `step-${index}.sh`);
      const outputFile = path.join(scratch, `output-${index}`);
      writeFileSync(script, expand(step.run, inputs, outputs));
      writeFileSync(outputFile, '');
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(String(value), inputs, outputs);
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: options.workspace,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, ...env, GITHUB_ACTION_PATH: options.actionPath, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: options.workspace },
      });
      if (step.id) outputs[step.id] = readOutputs(outputFile);
      steps.push({ step, status: result.status, stdout: result.stdout, stderr: result.stderr });
      if (result.status !== 0) status = result.status ?? 1;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { steps, skipped, outputs, status };
}
