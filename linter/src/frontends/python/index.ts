/**
 * The Python frontend: web-tree-sitter with the tree-sitter-python grammar.
 */
import type { FileModel } from '@retrylint/shared';
import type { Frontend } from '../frontend.js';
import { extractPython } from './extract.js';
import { loadPythonParser, parsePython } from './parser.js';
import { rethrowBudgetStop } from '../work-budget.js';

export { setWasmDirectory } from './wasm-location.js';

function safeExtract(text: string): FileModel {
  try {
    return extractPython(text);
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
  extract: (text) => safeExtract(text),
  parses(text) {
    const tree = parsePython(text);
    if (!tree) return false;
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  },
};
