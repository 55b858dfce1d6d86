import { sumCounts, type FileResult, type ResultMessage } from '../cli/results.js';
import { palette, type Palette } from './ansi.js';
import { displayPath } from './paths.js';
import type { Formatter } from './reporter.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

interface Row {
  readonly position: string;
  readonly severity: string;
  readonly message: string;
  readonly ruleId: string;
  readonly isError: boolean;
}

function toRow(message: ResultMessage): Row {
  return {
    position: `${message.line}:${message.column}`,
    severity: message.severity === 2 ? 'error' : 'warning',
    // One line per problem: a multi-line message would break the table.
    message: message.message.replace(/\s*\r?\n\s*/g, ' '),
    ruleId: message.ruleId ?? '',
    isError: message.severity === 2,
  };
}

function fileBlock(result: FileResult, cwd: string, colors: Palette): string {
  const rows = result.messages.map(toRow);
  const positionWidth = Math.max(...rows.map((row) => row.position.length));
  const severityWidth = Math.max(...rows.map((row) => row.severity.length));
  const messageWidth = Math.max(...rows.map((row) => row.message.length));
  const lines = rows.map((row) => {
    const severity = row.severity.padEnd(severityWidth);
    return [
      '',
      colors.dim(row.position.padStart(positionWidth)),
      row.isError ? colors.red(severity) : colors.yellow(severity),
      row.ruleId ? row.message.padEnd(messageWidth) : row.message,
      colors.dim(row.ruleId),
    ]
      .join('  ')
      .trimEnd();
  });
  return `${colors.underline(displayPath(result.filePath, cwd))}\n${lines.join('\n')}`;
}

/** ESLint's default format: problems grouped by file, then one summary line. */
export const formatStylish: Formatter = (results, context) => {
  const colors = palette(context.color);
  const withProblems = results.filter((result) => result.messages.length > 0);
  if (withProblems.length === 0) return '';
  const counts = sumCounts(withProblems);
  const total = counts.errorCount + counts.warningCount;
  const summaryColor = counts.errorCount > 0 ? colors.red : colors.yellow;
  const blocks = withProblems.map((result) => fileBlock(result, context.cwd, colors));
  const summary = [
    summaryColor(
      colors.bold(
        `\u2716 ${plural(total, 'problem')} (${plural(counts.errorCount, 'error')}, ${plural(counts.warningCount, 'warning')})`,
      ),
    ),
  ];
  const fixable = counts.fixableErrorCount + counts.fixableWarningCount;
  if (fixable > 0) {
    summary.push(
      summaryColor(
        colors.bold(
          `  ${plural(counts.fixableErrorCount, 'error')} and ${plural(counts.fixableWarningCount, 'warning')} potentially fixable with the \`--fix\` option.`,
        ),
      ),
    );
  }
  if (counts.unsafeFixableCount > 0) {
    summary.push(
      colors.dim(`  ${plural(counts.unsafeFixableCount, 'more problem')} fixable with the \`--unsafe-fixes\` option.`),
    );
  }
  return `\n${blocks.join('\n\n')}\n\n${summary.join('\n')}\n`;
};
