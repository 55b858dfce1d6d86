/** `workspace/executeCommand`: fix all in a file, and open a rule's documentation. */
import { getRule } from '@retrylint/shared';
import type { ExecuteCommandParams } from 'vscode-languageserver';
import {
  FIX_ALL_COMMAND,
  readFixAllArguments,
  readShowDocumentationArguments,
  SHOW_DOCUMENTATION_COMMAND,
} from './commands.js';
import { fixAllEdit } from './fix-all.js';
import type { RetrylintServer } from './server.js';

async function fixAll(server: RetrylintServer, argument: unknown): Promise<boolean> {
  const args = readFixAllArguments(argument);
  const document = args ? server.documents.get(args.uri) : undefined;
  if (!document) return false;
  const entry = await server.current(document);
  if (!entry) return false;
  const edit = await fixAllEdit(entry.lint, document);
  if (!edit) return false;
  const result = await server.connection.workspace.applyEdit({
    label: 'Fix all retrylint problems',
    edit: { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: [edit] }] },
  });
  return result.applied;
}

async function showDocumentation(server: RetrylintServer, argument: unknown): Promise<boolean> {
  const args = readShowDocumentationArguments(argument);
  const url = args ? getRule(args.ruleId)?.meta.docsUrl : undefined;
  if (!url) return false;
  const result = await server.connection.window.showDocument({ uri: url, external: true });
  return result.success;
}

export async function executeCommand(server: RetrylintServer, params: ExecuteCommandParams): Promise<unknown> {
  const argument = params.arguments?.[0];
  switch (params.command) {
    case FIX_ALL_COMMAND:
      return server.restricted ? false : fixAll(server, argument);
    case SHOW_DOCUMENTATION_COMMAND:
      return showDocumentation(server, argument);
    default:
      return null;
  }
}
