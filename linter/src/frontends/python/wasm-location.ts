/**
 * Where the two WebAssembly files live: web-tree-sitter's runtime and the Python grammar.
 *
 * From source they sit in the installed packages; in a bundle (esbuild, CJS) the build
 * copies both next to the bundle and calls `setWasmDirectory`, or the environment variable
 * RETRYLINT_WASM_DIR points at them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const PYTHON_GRAMMAR_WASM = 'tree-sitter-python.wasm';

let overrideDirectory: string | undefined;

/** Makes both .wasm files load from one folder (the bundle's). */
export function setWasmDirectory(directory: string | undefined): void {
  overrideDirectory = directory;
}

function wasmDirectory(): string | undefined {
  return overrideDirectory ?? (process.env.RETRYLINT_WASM_DIR || undefined);
}

function packageFolder(packageJson: string): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve(packageJson));
}

export function runtimeWasmPath(): string {
  const directory = wasmDirectory();
  if (directory) return path.join(directory, RUNTIME_WASM);
  const require = createRequire(import.meta.url);
  return require.resolve(`web-tree-sitter/${RUNTIME_WASM}`);
}

export function pythonGrammarWasmPath(): string {
  const directory = wasmDirectory() ?? packageFolder('tree-sitter-python/package.json');
  return path.join(directory, PYTHON_GRAMMAR_WASM);
}
