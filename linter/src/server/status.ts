/** The `retrylint/status` notification the client shows in its status bar. */
import { NotificationType } from 'vscode-languageserver';

export interface StatusParams {
  readonly state: 'ok' | 'warning' | 'error';
  /** Problems across the open documents. */
  readonly problems: number;
  readonly message?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('retrylint/status');

/** error: a config is bad (its first problem as the message); warning: open files have problems. */
export function statusOf(problems: number, configProblem: string | undefined): StatusParams {
  if (configProblem !== undefined) return { state: 'error', problems, message: configProblem };
  return { state: problems > 0 ? 'warning' : 'ok', problems };
}
