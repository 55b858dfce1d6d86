/** A bad config file as diagnostics on that file, at the position the CLI reports. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { SOURCE } from './diagnostics.js';
import type { PlacedConfigProblem } from './folder-configs.js';

export function configDiagnostics(problems: readonly PlacedConfigProblem[]): Diagnostic[] {
  return problems.map((problem) => {
    const position = { line: Math.max(0, problem.line - 1), character: Math.max(0, problem.column - 1) };
    return {
      range: { start: position, end: position },
      severity: DiagnosticSeverity.Error,
      source: SOURCE,
      message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
    };
  });
}
