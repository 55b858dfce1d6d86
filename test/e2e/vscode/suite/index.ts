/**
 * Integration tests inside a real VS Code extension host (code-server 4.100.3): the extension
 * under development talks to its bundled language server, and the tests use the VS Code API as
 * other extensions and the editor do. The driver (../run.mjs) opens a copy of ../workspace.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { eventually, runAll, test } from './harness.js';
import { registerRetryLabTests } from './retry-lab.js';

const EXTENSION_ID = 'retrylint.retrylint-vscode';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the driver opens the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

function retrylintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'retrylint');
}

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const { code } = diagnostic;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/** Waits until the file has exactly `count` retrylint diagnostics, and returns them sorted by position. */
async function diagnosticsOf(uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> {
  return eventually(`${count} retrylint diagnostics on ${path.basename(uri.fsPath)}`, () => {
    const found = retrylintDiagnostics(uri);
    if (found.length !== count) return undefined;
    return found.sort((a, b) => a.range.start.compareTo(b.range.start));
  });
}

/** Writes a copy of a fixture under a new name (tests that edit files work on copies). */
async function copyOf(fixture: string, name: string): Promise<vscode.Uri> {
  const target = workspaceFile(name);
  await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(workspaceFile(fixture)));
  return target;
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
  );
  // The provider returns bare Commands too; a CodeAction's `command` is an object, a Command's a string.
  return actions.filter((action): action is vscode.CodeAction => typeof action.command !== 'string');
}

async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

test('activates on a Python file and lints it with the workspace config', async () => {
  const uri = workspaceFile('retry_client.py');
  await open(uri);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  await eventually('the extension activates', () => (extension.isActive ? true : undefined));
  const [decorator, loop] = await diagnosticsOf(uri, 2);
  assert.equal(ruleOf(decorator), 'bounded-attempts');
  assert.equal(decorator.message, 'Makes up to 20 attempts (limit 5).');
  assert.equal(decorator.severity, vscode.DiagnosticSeverity.Warning);
  assert.deepEqual([decorator.range.start.line, decorator.range.start.character], [7, 12]);
  const code = decorator.code as { value: string; target: vscode.Uri };
  assert.match(code.target.toString(), /\/bounded-attempts\.md$/);
  assert.equal(ruleOf(loop), 'bounded-attempts');
  assert.equal(loop.message, 'Makes up to 12 attempts (limit 5).');
});

test('lints a TypeScript file (the native parser bundled in the extension)', async () => {
  const uri = workspaceFile('retry-client.ts');
  await open(uri);
  const [retries] = await diagnosticsOf(uri, 1);
  assert.equal(ruleOf(retries), 'bounded-attempts');
  assert.equal(retries.message, 'Makes up to 20 attempts (limit 5).');
  assert.equal(retries.range.start.line, 8);
});

test('offers the safe fix first and the other retrylint actions, and applies the Python fix', async () => {
  const uri = await copyOf('retry_client.py', 'quick_fix.py');
  const editor = await open(uri);
  const [decorator] = await diagnosticsOf(uri, 2);
  const actions = await codeActionsAt(uri, decorator.range);
  const titles = actions.map((action) => action.title);
  const preferred = actions[0];
  assert.ok(preferred?.isPreferred, `the first action is the preferred safe fix: ${JSON.stringify(titles)}`);
  assert.equal(preferred.title, 'Limit to 5 attempts');
  assert.ok(preferred.kind?.contains(vscode.CodeActionKind.QuickFix));
  // VS Code lists actions tied to a diagnostic before the others, so "Fix all" may follow "Disable".
  for (const title of [
    'Fix all retrylint problems in this file',
    'Disable bounded-attempts for this line',
    'Show documentation for bounded-attempts',
  ]) {
    assert.ok(titles.includes(title), `"${title}" in ${JSON.stringify(titles)}`);
  }

  await applyCodeAction(preferred);
  assert.match(editor.document.lineAt(7).text, /stop=stop_after_attempt\(5\)/);
  assert.match(editor.document.getText(), /for attempt in range\(12\):/, 'only the chosen finding is fixed');
  await diagnosticsOf(uri, 1);
});

test('applies the safe TypeScript fix (p-retry counts retries, not attempts)', async () => {
  const uri = await copyOf('retry-client.ts', 'quick-fix.ts');
  const editor = await open(uri);
  const [retries] = await diagnosticsOf(uri, 1);
  const preferred = (await codeActionsAt(uri, retries.range)).find((action) => action.isPreferred);
  assert.ok(preferred, 'a preferred fix');
  await applyCodeAction(preferred);
  assert.match(editor.document.lineAt(8).text, /\{ retries: 4, minTimeout: 1000/);
  await diagnosticsOf(uri, 0);
});

test('"Disable bounded-attempts for this line" silences only that line', async () => {
  const uri = await copyOf('retry_client.py', 'disable_line.py');
  await open(uri);
  const [, loop] = await diagnosticsOf(uri, 2);
  const disable = (await codeActionsAt(uri, loop.range)).find((action) => action.title === 'Disable bounded-attempts for this line');
  assert.ok(disable, 'the disable action');
  await applyCodeAction(disable);
  const [left] = await diagnosticsOf(uri, 1);
  assert.equal(left.range.start.line, 7);
});

test('fixes every finding on save with source.fixAll.retrylint', async () => {
  const uri = await copyOf('retry_client.py', 'fix_on_save.py');
  const configuration = vscode.workspace.getConfiguration('editor', { languageId: 'python' });
  await configuration.update('codeActionsOnSave', { 'source.fixAll.retrylint': 'explicit' }, vscode.ConfigurationTarget.Workspace);
  try {
    const editor = await open(uri);
    await diagnosticsOf(uri, 2);
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
    // Save once the server offers fix-all for the edited version: on a busy machine the save could
    // otherwise ask while the server still holds the previous version, and get no edits.
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    await eventually('source.fixAll.retrylint for the edited file', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, 'source.fixAll.retrylint');
      return actions?.some((action) => action.kind?.value === 'source.fixAll.retrylint' && (action.edit?.size ?? 0) > 0) ? true : undefined;
    });
    assert.ok(await editor.document.save(), 'the file saves');
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.match(onDisk, /stop=stop_after_attempt\(5\)/);
    assert.match(onDisk, /for attempt in range\(5\):/);
    await diagnosticsOf(uri, 0);
  } finally {
    await configuration.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
  }
});

test('"retrylint: Fix all problems in this file" fixes the active file', async () => {
  const uri = await copyOf('retry_client.py', 'fix_all.py');
  const editor = await open(uri);
  await diagnosticsOf(uri, 2);
  assert.equal(await vscode.commands.executeCommand('retrylint.fixAllInFile'), true);
  assert.match(editor.document.getText(), /stop=stop_after_attempt\(5\)[\s\S]*for attempt in range\(5\):/);
  await diagnosticsOf(uri, 0);
});

test('the retrylint.rules setting changes severities', async () => {
  const uri = workspaceFile('retry-client.ts');
  await open(uri);
  const settings = vscode.workspace.getConfiguration('retrylint');
  await settings.update('rules', { 'bounded-attempts': 'error' }, vscode.ConfigurationTarget.Workspace);
  try {
    await eventually('an error severity', () =>
      retrylintDiagnostics(uri)[0]?.severity === vscode.DiagnosticSeverity.Error ? true : undefined,
    );
  } finally {
    await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await eventually('the warning again', () =>
    retrylintDiagnostics(uri)[0]?.severity === vscode.DiagnosticSeverity.Warning ? true : undefined,
  );
});

test('a hover on a retry site shows its delay schedule and policy', async () => {
  const uri = workspaceFile('retry_client.py');
  await open(uri);
  const [decorator] = await diagnosticsOf(uri, 2);
  // Inside `@retry(stop=stop_after_attempt(20), ...)`.
  const inside = decorator.range.start.translate(0, 3);
  const hovers = await eventually('a hover', async () => {
    const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inside);
    return found.length > 0 ? found : undefined;
  });
  const text = hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
  assert.match(text, /attempt/i);
  assert.match(text, /worst[- ]case/i);
  assert.match(text, /\b20\b/, 'the 20 attempts of stop_after_attempt(20)');
  assert.match(text, /retrylint\.config\.json|defaults/, 'the policy that applies');
});

test('a code lens above each retry site summarises it and opens the schedule', async () => {
  const uri = workspaceFile('retry_client.py');
  const editor = await open(uri);
  const lenses = await eventually('code lenses', async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    return found.length > 0 && found.every((lens) => lens.command) ? found : undefined;
  });
  const titles = lenses.map((lens) => lens.command?.title ?? '');
  assert.ok(
    titles.some((title) => /^20 attempts · .+ backoff · worst case \d+(\.\d+)? s$/.test(title)),
    `a lens for stop_after_attempt(20): ${JSON.stringify(titles)}`,
  );
  const lens = lenses.find((candidate) => candidate.command?.title.startsWith('20 attempts'));
  assert.ok(lens?.command);
  assert.equal(lens.command.command, 'retrylint.showSchedule');
  const [lensUri, position] = lens.command.arguments as [string, { line: number; character: number }];
  assert.equal(lensUri, uri.toString());
  await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
  assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [position.line, position.character]);
});

test('the codeLens setting turns the lenses off', async () => {
  const uri = workspaceFile('retry_client.py');
  await open(uri);
  const settings = vscode.workspace.getConfiguration('retrylint');
  await settings.update('codeLens', false, vscode.ConfigurationTarget.Workspace);
  try {
    await eventually('no code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return found.length === 0 ? true : undefined;
    });
  } finally {
    await settings.update('codeLens', undefined, vscode.ConfigurationTarget.Workspace);
  }
});

test('"retrylint: Lint workspace" reports files that are not open', async () => {
  const unopened = workspaceFile('never_opened.py');
  await vscode.workspace.fs.writeFile(unopened, await vscode.workspace.fs.readFile(workspaceFile('retry_client.py')));
  const result = await vscode.commands.executeCommand<{ files: number; problems: number; cancelled: boolean }>(
    'retrylint.lintWorkspace',
  );
  assert.ok(result, 'the command returns the server result');
  assert.equal(result.cancelled, false);
  assert.ok(result.files >= 3, `files: ${result.files}`);
  assert.ok(result.problems >= 5, `problems: ${result.problems}`);
  await diagnosticsOf(unopened, 2);
});

test('a config change relints open files, and a bad config is reported on the config file', async () => {
  const uri = workspaceFile('retry-client.ts');
  await open(uri);
  await diagnosticsOf(uri, 1);
  const config = workspaceFile('retrylint.config.json');
  const original = await vscode.workspace.fs.readFile(config);
  // The fixture's rules stay off; only the attempt limit changes.
  const rules = '"rules": { "bounded-total-time": "off", "no-catch-all-retry": "off" }';
  const write = (policy: string) =>
    vscode.workspace.fs.writeFile(config, new TextEncoder().encode(`{ "policy": { "maxAttempts": ${policy} }, ${rules} }`));
  try {
    await write('25');
    await diagnosticsOf(uri, 0);
    await write('"many"');
    const [problem] = await diagnosticsOf(config, 1);
    assert.equal(problem.range.start.line, 0);
    assert.equal(problem.range.start.character, '{ "policy": { "maxAttempts": '.length, 'at the bad value');
    await diagnosticsOf(uri, 0); // the last good config stays in force
  } finally {
    await vscode.workspace.fs.writeFile(config, original);
  }
  await diagnosticsOf(uri, 1);
  await diagnosticsOf(config, 0);
});

test('"retrylint: Restart server" brings linting back', async () => {
  await vscode.commands.executeCommand('retrylint.restartServer');
  const uri = await copyOf('retry-client.ts', 'after-restart.ts');
  await open(uri);
  await diagnosticsOf(uri, 1);
});

registerRetryLabTests();

export async function run(): Promise<void> {
  const resultsFile = process.env.RETRYLINT_E2E_RESULTS;
  if (!resultsFile) throw new Error('RETRYLINT_E2E_RESULTS is not set: start the tests with test/e2e/vscode/run.mjs');
  const results = await runAll(resultsFile);
  const failed = results.filter((result) => !result.passed).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
}
