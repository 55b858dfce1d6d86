/**
 * The Python frontend: web-tree-sitter with the tree-sitter-python grammar.
 */
import type { FileModel } from '@retrylint/shared';
import type { Frontend } from '../frontend.js';
import { extractPython, type PythonTreeSource } from './extract.js';
import { deleteTree, loadPythonParser, parsePython } from './parser.js';
import { rethrowBudgetStop } from '../work-budget.js';

export { setWasmDirectory } from './wasm-location.js';

let treeSource: PythonTreeSource | undefined;

/** The language server's incremental parser; undefined goes back to a fresh parse per text. */
export function setPythonTreeSource(source: PythonTreeSource | undefined): void {
  treeSource = source;
}

function safeExtract(text: string, filePath: string): FileModel {
  try {
    return extractPython(text, filePath, treeSource);
  } catch (error) {
    rethrowBudgetStop(error);
    // A frontend never throws: an internal failure costs this file's findings, not the run.
    const message = error instanceof Error ? error.message : String(error);
    return {
      language: 'python',
      sites: [],
      parseErrors: [{ message: `could not analyse the file (${message})`, span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } }],
    };
  }
}

export const frontend: Frontend = {
  language: 'python',
  extensions: ['.py', '.pyi'],
  load: loadPythonParser,
  extract: (text, filePath) => safeExtract(text, filePath),
  parses(text) {
    const tree = parsePython(text);
    if (!tree) return false;
    try {
      return !tree.rootNode.hasError;
    } finally {
      deleteTree(tree);
    }
  },
};
