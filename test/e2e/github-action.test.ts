import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readAction, runCompositeAction } from './composite-action.js';

// action.yml as a workflow runs it, on a workspace of its own: the built CLI, the inputs, the
// annotations, the SARIF file and the job's exit status.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const action = readAction(path.join(repoRoot, 'action.yml'));

const unsafeLoop = [
  'export async function ask(url: string): Promise<Response | undefined> {',
  '  while (true) {',
  '    try { return await fetch(url, { signal: AbortSignal.timeout(10_000) }); }',
  '    catch (error) { await new Promise((resolve) => setTimeout(resolve, 1000)); }',
  '  }',
  '}',
  '',
].join('\n');

const safeCall = "export const health = () => fetch('https://example.test/health', { signal: AbortSignal.timeout(5_000) });\n";

let workspaces: string[] = [];

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'retrylint-workspace-'));
  workspaces.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

afterEach(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
  workspaces = [];
});

function lintStep(run: ReturnType<typeof runCompositeAction>) {
  const step = run.steps.find((result) => result.step.id === 'lint');
  if (!step) throw new Error('the action has no step with id lint');
  return step;
}

describe('the GitHub Action (action.yml)', () => {
  it('annotates the pull request and fails the job when there are errors', () => {
    const run = runCompositeAction(action, { actionPath: repoRoot, workspace: workspace({ 'src/ask.ts': unsafeLoop }) });
    const annotations = lintStep(run).stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=src\/ask\.ts,line=2,.*title=retrylint\(bounded-attempts\)::/));
    expect(run.outputs.lint['exit-code']).toBe('1');
    expect(run.status).toBe(1);
  });

  it('passes on clean code', () => {
    const run = runCompositeAction(action, { actionPath: repoRoot, workspace: workspace({ 'src/health.ts': safeCall }) });
    expect(run.outputs.lint['exit-code']).toBe('0');
    expect(run.status).toBe(0);
  });

  it('writes SARIF for code scanning instead of annotations when asked', () => {
    const root = workspace({ 'src/ask.ts': unsafeLoop });
    const run = runCompositeAction(action, { actionPath: repoRoot, workspace: root, inputs: { sarif: 'true', 'sarif-file': 'out/retrylint.sarif' } });
    expect(lintStep(run).stdout).not.toContain('::error');
    const sarifFile = path.join(root, 'out/retrylint.sarif');
    expect(existsSync(sarifFile)).toBe(true);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0].results.map((result) => result.ruleId)).toContain('bounded-attempts');
    expect(run.outputs.lint['sarif-file']).toBe('out/retrylint.sarif');
    expect(run.status).toBe(1);
    const upload = run.skipped.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.if).toContain("inputs.sarif == 'true'");
    expect(upload?.with?.sarif_file).toBe('${{ inputs.sarif-file }}');
  });

  it('lints only the given paths, with the given config', () => {
    const root = workspace({
      'src/ask.ts': unsafeLoop,
      'scripts/ask.ts': unsafeLoop,
      'ci/retrylint.config.json': JSON.stringify({ rules: { 'bounded-attempts': 'off' } }),
    });
    const run = runCompositeAction(action, { actionPath: repoRoot, workspace: root, inputs: { paths: 'src', config: 'ci/retrylint.config.json' } });
    const output = lintStep(run).stdout;
    expect(output).not.toContain('scripts/ask.ts');
    expect(output).not.toContain('bounded-attempts');
  });

  it('fails the job on a bad config, with the CLI message', () => {
    const root = workspace({ 'src/ask.ts': unsafeLoop, 'retrylint.config.json': '{ "rules": { "bounded-attempts": "loud" } }' });
    const run = runCompositeAction(action, { actionPath: repoRoot, workspace: root });
    expect(lintStep(run).stderr).toContain('retrylint.config.json');
    expect(run.outputs.lint['exit-code']).toBe('2');
    expect(run.status).toBe(2);
  });
});
