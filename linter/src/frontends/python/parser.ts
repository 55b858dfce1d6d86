/**
 * Loads a tree-sitter runtime and the Python grammar once, and parses text into a tree.
 *
 * Two runtimes read the same grammar: web-tree-sitter (WebAssembly, one build for every
 * platform) and, where the CLI asks for it, the native `tree-sitter` binding with the native
 * part of `tree-sitter-python` (an optional dependency: it loads in milliseconds where the
 * wasm runtime takes ~100 ms to compile, and parses and walks faster). When the native part
 * cannot load (not installed, no prebuilt binary for the platform, another Node ABI) the
 * wasm runtime is used instead, with the same results. The language server and the editor
 * stay on wasm, where a native module would tie the .vsix to one Node ABI.
 */
import { createRequire } from 'node:module';
import { pythonGrammarWasmPath, runtimeWasmPath } from './wasm-location.js';

/** The part of a tree-sitter node the frontend reads (both runtimes have it). */
export interface PySyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly hasError: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly children: readonly (PySyntaxNode | null)[];
}

export interface PyTreeCursor {
  readonly nodeTypeId: number;
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  /** 0 when the node fills no field. */
  readonly currentFieldId: number;
  readonly currentFieldName: string | null;
  /** UTF-16 offsets on both runtimes (they parse JS strings as UTF-16). */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentNode: PySyntaxNode;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** wasm only: its memory is not garbage-collected. */
  delete?(): void;
}

export interface PyPoint {
  row: number;
  column: number;
}

export interface PyEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: PyPoint;
  oldEndPosition: PyPoint;
  newEndPosition: PyPoint;
}

export interface PyTree {
  readonly rootNode: PySyntaxNode;
  walk(): PyTreeCursor;
  /** Tells the tree about an edit, so the next parse can reuse what did not change. */
  edit(edit: PyEdit): void;
  /** wasm only. */
  delete?(): void;
}

export type PythonRuntime = 'native' | 'wasm';

interface RuntimeParser {
  parse(text: string, oldTree?: PyTree): PyTree | null | undefined;
}

let parser: RuntimeParser | undefined;
let runtime: PythonRuntime | undefined;
let loading: Promise<void> | undefined;
let nativeWanted = false;
let nativeLoadError: string | undefined;

/**
 * The CLI asks for the native runtime before the first load; the default is wasm.
 * `RETRYLINT_PYTHON_PARSER=wasm` keeps the CLI on wasm (should a native build misbehave).
 */
export function preferNativePythonParser(prefer = true): void {
  nativeWanted = prefer && process.env.RETRYLINT_PYTHON_PARSER !== 'wasm';
}

/** Which runtime parses, once loaded (for `--stats` and the tests). */
export function pythonRuntime(): PythonRuntime | undefined {
  return runtime;
}

/** Why the native runtime was not used, when it was wanted and did not load. */
export function nativePythonLoadError(): string | undefined {
  return nativeLoadError;
}

/** The module names the native runtime is required by; a test points them elsewhere. */
export const NATIVE_MODULES = { runtime: 'tree-sitter', grammar: 'tree-sitter-python' };

function loadNative(): RuntimeParser | undefined {
  try {
    const require = createRequire(import.meta.url);
    const NativeParser = require(NATIVE_MODULES.runtime) as new () => {
      setLanguage(language: unknown): void;
      parse(text: string, oldTree?: PyTree): PyTree;
    };
    const grammar = require(NATIVE_MODULES.grammar) as unknown;
    const instance = new NativeParser();
    instance.setLanguage(grammar);
    return instance;
  } catch (error) {
    nativeLoadError = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return undefined;
  }
}

async function loadWasm(): Promise<RuntimeParser> {
  const { Language, Parser } = await import('web-tree-sitter');
  const runtimeFile = runtimeWasmPath();
  await Parser.init({ locateFile: () => runtimeFile });
  const language = await Language.load(pythonGrammarWasmPath());
  const instance = new Parser();
  instance.setLanguage(language);
  return instance as unknown as RuntimeParser;
}

export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    const native = nativeWanted ? loadNative() : undefined;
    if (native) {
      parser = native;
      runtime = 'native';
      return;
    }
    parser = await loadWasm();
    runtime = 'wasm';
  })();
  return loading;
}

/**
 * Parses text; undefined when the parser is not loaded or gave up. Never throws.
 * With `oldTree` (already told about the edits) the parse reuses its unchanged parts.
 */
export function parsePython(text: string, oldTree?: PyTree): PyTree | undefined {
  if (!parser) return undefined;
  try {
    return parser.parse(text, oldTree) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Frees a tree's memory now (wasm); a native tree is left to the garbage collector. */
export function deleteTree(tree: PyTree): void {
  tree.delete?.();
}
