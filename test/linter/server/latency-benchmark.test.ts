import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../e2e/cli-harness.js';
import { repoRoot, serverSessions } from './lsp-harness.js';

/** The benchmark's own modules (plain .mjs scripts, loaded as the benchmark loads them). */
async function benchModule(name: string): Promise<Record<string, (...args: never[]) => unknown>> {
  return import(pathToFileURL(path.join(repoRoot, 'linter/bench', name)).href);
}

const { workspace } = serverSessions();

describe('language server latency benchmark', () => {
  it('generates 2,000-line files that parse and hold retry sites of several kinds', async () => {
    const documents = await benchModule('lsp-documents.mjs');
    const python = documents.pythonDocument() as string;
    const typescript = documents.typescriptDocument() as string;
    const ws = workspace({ 'orders.py': python, 'orders.ts': typescript });
    for (const [name, text] of [['orders.py', python], ['orders.ts', typescript]]) {
      expect(text.split('\n').length - 1).toBeGreaterThanOrEqual(2000);
      const run = runCli(['--format', 'json', name], ws.dir);
      const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
      expect(result.messages.filter((message) => message.ruleId === null)).toEqual([]);
      expect(new Set(result.messages.map((message) => message.ruleId)).size).toBeGreaterThanOrEqual(2);
    }
  });

  it('replaces only its own section of docs/performance.md', async () => {
    const latency = await benchModule('lsp-latency.mjs');
    const heading = '## Language server latency';
    const page = `# Performance\n\n## Results\n\nkept\n\n${heading}\n\nold numbers\n\n## Simulator\n\nalso kept\n`;
    const section = `${heading}\n\nnew numbers\n`;
    const replaced = latency.withLspSection(page as never, section as never) as string;
    expect(replaced).toBe(`# Performance\n\n## Results\n\nkept\n\n${heading}\n\nnew numbers\n\n## Simulator\n\nalso kept\n`);
    expect(latency.withLspSection('# Performance\n\nintro\n' as never, section as never)).toBe(`# Performance\n\nintro\n\n${section}`);
  });
});
