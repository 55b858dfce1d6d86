import type { FileResult, ResultMessage } from '../cli/results.js';
import { displayPath } from './paths.js';
import type { Formatter } from './reporter.js';

/** Workflow-command escaping of the message part. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping of a property value (`:` and `,` separate properties). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(message: ResultMessage, file: string): string {
  const command = message.severity === 2 ? 'error' : 'warning';
  const title = message.ruleId ? `retrylint(${message.ruleId})` : 'retrylint';
  const properties = [
    `file=${escapeProperty(file)}`,
    `line=${message.line}`,
    `col=${message.column}`,
    `endLine=${message.endLine}`,
    `endColumn=${message.endColumn}`,
    `title=${escapeProperty(title)}`,
  ];
  return `::${command} ${properties.join(',')}::${escapeData(message.message)}`;
}

/** GitHub Actions workflow annotations, one line per problem. */
export const formatGithub: Formatter = (results: readonly FileResult[], context) => {
  const lines: string[] = [];
  for (const result of results) {
    const file = displayPath(result.filePath, context.cwd);
    for (const message of result.messages) lines.push(annotation(message, file));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
};
