/**
 * The extension's manifest against the contract with the language server: every server
 * setting is contributed with the server's default, the languages the server lints activate
 * the extension, and every contributed command is one the extension registers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../linter/src/server/settings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'extension/package.json'), 'utf8'));
const properties: Record<string, { default: unknown; enum?: string[]; description?: string; markdownDescription?: string }> =
  manifest.contributes.configuration.properties;

describe('extension manifest', () => {
  it('contributes every server setting with the server default and a description', () => {
    for (const [key, serverDefault] of Object.entries(DEFAULT_SETTINGS)) {
      const property = properties[`retrylint.${key}`];
      expect(property, `retrylint.${key}`).toBeDefined();
      // An unset configPath is an empty string in settings.json; the server reads it as no path.
      expect(property.default).toEqual(serverDefault ?? '');
      expect(property.description ?? property.markdownDescription).toBeTruthy();
    }
    expect(properties['retrylint.run'].enum).toEqual(['onType', 'onSave']);
    expect(properties['retrylint.trace.server'].enum).toEqual(['off', 'messages', 'verbose']);
  });

  it('contributes no setting the server does not read (besides the trace)', () => {
    const serverKeys = [...Object.keys(DEFAULT_SETTINGS), 'trace.server'].map((key) => `retrylint.${key}`);
    expect(Object.keys(properties).sort()).toEqual(serverKeys.sort());
  });

  it('activates on the languages the server lints, for VS Code 1.100', () => {
    expect(manifest.engines.vscode).toBe('^1.100.0');
    const languages = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
    for (const language of languages) expect(manifest.activationEvents).toContain(`onLanguage:${language}`);
    const selector = readFileSync(path.join(root, 'extension/src/languages.ts'), 'utf8');
    for (const language of languages) expect(selector).toContain(`'${language}'`);
  });

  it('registers every command it contributes', () => {
    const sources = ['extension.ts', 'lint-workspace.ts', 'rule-documentation.ts', 'status-bar.ts', 'show-schedule.ts', 'retry-lab/api-keys.ts', 'retry-lab/code-lens.ts']
      .map((file) => readFileSync(path.join(root, 'extension/src', file), 'utf8'))
      .join('\n');
    for (const { command, title } of manifest.contributes.commands as { command: string; title: string }[]) {
      expect(title).toBeTruthy();
      expect(sources, command).toContain(`'${command}'`);
    }
  });

  it('declares limited support for untrusted workspaces', () => {
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe('limited');
    expect(manifest.capabilities.untrustedWorkspaces.description).toMatch(/untrusted/);
  });

  it('declares every package its bundle pulls in, in the workspace whose source imports it', async () => {
    // The same entry and resolution as extension/build.mjs, without writing anything.
    const result = await build({
      entryPoints: [path.join(root, 'extension/src/extension.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      conditions: ['source'],
      mainFields: ['module', 'main'],
      external: ['vscode'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const undeclared: string[] = [];
    let checked = 0;
    for (const [importer, input] of Object.entries(result.metafile.inputs)) {
      const workspace = /^(extension|linter|shared)\/src\//.exec(importer)?.[1];
      if (!workspace) continue;
      const declared = declaredPackages(workspace);
      for (const { path: imported } of input.imports) {
        const name = imported.startsWith(`${workspace}/`) ? undefined : packageOf(imported);
        if (name === undefined) continue;
        checked += 1;
        if (!declared.has(name)) undeclared.push(`${name} (imported by ${importer})`);
      }
    }
    expect(checked).toBeGreaterThan(3);
    expect(undeclared).toEqual([]);
  });
});

function declaredPackages(workspace: string): Set<string> {
  const workspaceManifest = JSON.parse(readFileSync(path.join(root, workspace, 'package.json'), 'utf8'));
  return new Set([...Object.keys(workspaceManifest.dependencies ?? {}), ...Object.keys(workspaceManifest.devDependencies ?? {})]);
}

/** The package an esbuild input path belongs to: node_modules/<name>/..., or shared/ (the workspace). */
function packageOf(input: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) return match[1];
  return input.startsWith('shared/') ? '@retrylint/shared' : undefined;
}
