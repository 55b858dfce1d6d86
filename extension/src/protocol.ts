/** The requests and notifications the retrylint server adds to LSP (see the server's status.ts and lint-workspace). */
import { NotificationType, RequestType, type ProgressToken } from 'vscode-languageclient/node';
import type { SitePolicyParams, SitePolicyResult } from '../../linter/src/server/site-policy.js';

export interface StatusParams {
  readonly state: 'ok' | 'warning' | 'error';
  readonly problems: number;
  readonly message?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('retrylint/status');

export interface LintWorkspaceParams {
  readonly workDoneToken?: ProgressToken;
}

export interface LintWorkspaceResult {
  readonly files: number;
  readonly problems: number;
  readonly cancelled: boolean;
}

export const LintWorkspaceRequest = new RequestType<LintWorkspaceParams, LintWorkspaceResult, void>('retrylint/lintWorkspace');

/** Commands the server executes; the client's language client registers them from the server's capabilities. */
export const SERVER_FIX_ALL_COMMAND = 'retrylint.fixAll';

/** Initialization options the server reads (the contract's `restricted` flag for untrusted workspaces). */
export interface InitializationOptions {
  readonly restricted: boolean;
}

/**
 * The retry site under the cursor, as the Retry Lab runs it (the server's site-policy.ts).
 * Declared with the client's RequestType: the server's is another copy of vscode-jsonrpc.
 */
export const SitePolicyRequest = new RequestType<SitePolicyParams, SitePolicyResult | null, void>('retrylint/sitePolicy');
