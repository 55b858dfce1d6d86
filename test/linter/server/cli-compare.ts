/** The CLI's results in the diagnostics' terms, so server tests can compare the two. */
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { runCli } from '../../e2e/cli-harness.js';

interface CliMessage {
  ruleId: string | null;
  severity: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** `line:col-line:col rule severity message`, zero-based as LSP positions are. */
function describedMessage(message: CliMessage): string {
  const range = `${message.line - 1}:${message.column - 1}-${message.endLine - 1}:${message.endColumn - 1}`;
  return `${range} ${message.ruleId} ${message.severity === 2 ? 1 : 2} ${message.message}`;
}

export function described(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(
    (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code ?? null} ${d.severity} ${d.message}`,
  );
}

/** `retrylint --format json <target>` run in `dir`: every linted file's messages, by absolute path. */
export function cliResults(dir: string, target: string): Map<string, string[]> {
  const run = runCli(['--format', 'json', target], dir);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: CliMessage[] }[];
  return new Map(results.map((result) => [result.filePath, result.messages.map(describedMessage)]));
}

/** The CLI's findings for one file. */
export function cliFindings(dir: string, file: string): string[] {
  return [...cliResults(dir, file).values()][0];
}
