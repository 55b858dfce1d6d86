/** The commands the server executes (`workspace/executeCommand`), and their arguments. */

export const FIX_ALL_COMMAND = 'retrylint.fixAll';
export const SHOW_DOCUMENTATION_COMMAND = 'retrylint.showDocumentation';
/** Run by the client (code lenses): move the cursor there and show the hover. Never executed here. */
export const SHOW_SCHEDULE_COMMAND = 'retrylint.showSchedule';

export const SERVER_COMMANDS: readonly string[] = [FIX_ALL_COMMAND, SHOW_DOCUMENTATION_COMMAND];
/** In an untrusted workspace: only the commands that change no file. */
export const RESTRICTED_COMMANDS: readonly string[] = [SHOW_DOCUMENTATION_COMMAND];

export const FIX_ALL_KIND = 'source.fixAll.retrylint';

export interface FixAllArguments {
  readonly uri: string;
  readonly version?: number;
}

export interface ShowDocumentationArguments {
  readonly ruleId: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function readFixAllArguments(value: unknown): FixAllArguments | undefined {
  if (!isRecord(value) || typeof value.uri !== 'string') return undefined;
  return { uri: value.uri, ...(typeof value.version === 'number' ? { version: value.version } : {}) };
}

export function readShowDocumentationArguments(value: unknown): ShowDocumentationArguments | undefined {
  if (!isRecord(value) || typeof value.ruleId !== 'string') return undefined;
  return { ruleId: value.ruleId };
}
