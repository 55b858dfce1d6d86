/**
 * Loads web-tree-sitter and the Python grammar once, and parses text into a tree.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { pythonGrammarWasmPath, runtimeWasmPath } from './wasm-location.js';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

export function loadPythonParser(): Promise<void> {
  loading ??= (async () => {
    const runtime = runtimeWasmPath();
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(pythonGrammarWasmPath());
    const instance = new Parser();
    instance.setLanguage(language);
    parser = instance;
  })();
  return loading;
}

/** Parses text; undefined when the parser is not loaded or gave up. Never throws. */
export function parsePython(text: string): Tree | undefined {
  if (!parser) return undefined;
  try {
    return parser.parse(text) ?? undefined;
  } catch {
    return undefined;
  }
}
