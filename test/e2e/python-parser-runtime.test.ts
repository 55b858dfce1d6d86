import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedSource } from '../../linter/bench/scaling.mjs';
import { makeProject, repoRoot, runCli } from './cli-harness.js';

// The CLI parses Python with the native tree-sitter binding when it is installed (it is an
// optional dependency of retrylint, installed here) and with web-tree-sitter otherwise: both
// must report exactly the same thing, on every fixture and on files with many sites.
const fixtures = path.join(repoRoot, 'test/fixtures/python');

function runtimeLine(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => line.startsWith('python parser:'));
}

describe('the CLI on the native and the wasm tree-sitter runtime', () => {
  it('parses natively when the binding loads, and says so in --stats', () => {
    const run = runCli(['--format', 'json', '--stats', '--jobs', '1', fixtures], repoRoot);
    expect(runtimeLine(run.stderr)).toBe('python parser: native tree-sitter');
  });

  it('reports the same findings and fixes on every Python fixture with either runtime', () => {
    const native = runCli(['--format', 'json', '--stats', '--jobs', '1', fixtures], repoRoot);
    const wasm = runCli(['--format', 'json', '--stats', '--jobs', '1', fixtures], repoRoot, { RETRYLINT_PYTHON_PARSER: 'wasm' });
    expect(runtimeLine(wasm.stderr)).toBe('python parser: web-tree-sitter (wasm)');
    const messages = JSON.parse(native.stdout) as { messages: unknown[] }[];
    expect(messages.flatMap((file) => file.messages).length).toBeGreaterThan(50);
    expect(native.stdout).toBe(wasm.stdout);
    expect(native.code).toBe(wasm.code);
  });

  it('gives the same positions with non-ASCII text and a syntax error, in worker threads too', () => {
    const project = makeProject({
      'unicode.py': `# Grüße, 日本語 😀\n${generatedSource('python', 20)}`,
      'broken.py': 'import requests\n\ndef f(:\n    requests.get("https://x.example")\n',
      // Enough files for two worker threads (--jobs N stays in one thread below 16 files per worker).
      ...Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`many-${index}.py`, generatedSource('python', index % 4 === 0 ? 50 : 2)])),
    });
    try {
      const args = ['--format', 'json', '--stats', '--jobs', '2', project.dir];
      const native = runCli(args, project.dir);
      const wasm = runCli(args, project.dir, { RETRYLINT_PYTHON_PARSER: 'wasm' });
      expect(native.stderr).toMatch(/\(2 workers\)/);
      expect(native.stdout).toBe(wasm.stdout);
      const files = JSON.parse(native.stdout) as { filePath: string; messages: { line: number; column: number; fatal?: boolean }[] }[];
      const unicode = files.find((file) => file.filePath.endsWith('unicode.py'));
      expect(unicode?.messages.length).toBeGreaterThan(20);
      expect(files.find((file) => file.filePath.endsWith('broken.py'))?.messages.some((message) => message.fatal)).toBe(true);
    } finally {
      project.dispose();
    }
  });
});
