import { countMessages, type FileResult, type ResultMessage } from '../cli/results.js';
import type { Formatter } from './reporter.js';

/** ESLint's JSON formatter shape, message fields in ESLint's order. */
function toEslintMessage(message: ResultMessage): Record<string, unknown> {
  return {
    ruleId: message.ruleId,
    ...(message.fatal ? { fatal: true } : {}),
    severity: message.severity,
    message: message.message,
    ...(message.messageId ? { messageId: message.messageId } : {}),
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
    ...(message.fix ? { fix: message.fix } : {}),
    // Not an ESLint field: a safe fix exists (and --fix applies it), too wide to print as one replacement.
    ...(message.fixTooWide ? { fixTooWide: true } : {}),
    ...(message.suggestions?.length ? { suggestions: message.suggestions } : {}),
    // Not an ESLint field: an unsafe fix with edits in other files (`--fix --unsafe-fixes`), per file.
    ...(message.crossFileFix?.files ? { crossFileFix: { desc: message.crossFileFix.desc, files: message.crossFileFix.files } } : {}),
  };
}

function toEslintResult(result: FileResult): Record<string, unknown> {
  const counts = countMessages(result.messages);
  return {
    filePath: result.filePath,
    messages: result.messages.map(toEslintMessage),
    errorCount: counts.errorCount,
    warningCount: counts.warningCount,
    fixableErrorCount: counts.fixableErrorCount,
    fixableWarningCount: counts.fixableWarningCount,
  };
}

export const formatJson: Formatter = (results) => JSON.stringify(results.map(toEslintResult));
