/**
 * What travels in `diagnostic.data` (the server keeps no state between a diagnostic and
 * its code actions, as vscode-eslint and ruff-server do): the fixes as LSP text edits for
 * the document version they were computed on.
 */
import type { TextEdit } from 'vscode-languageserver';

export type FixKind = 'safe' | 'unsafe' | 'suggestion';

export interface DataFix {
  readonly title: string;
  readonly kind: FixKind;
  readonly edits: readonly TextEdit[];
}

export interface DiagnosticData {
  readonly ruleId: string;
  /** The document version the edits apply to; older edits are not offered. */
  readonly version: number;
  /** A safe fix exists (`--fix` applies it). */
  readonly fixable: boolean;
  /** An unsafe fix exists (`--unsafe-fixes` applies it). */
  readonly unsafe: boolean;
  /** Safe fix first, then the unsafe fix, then suggestions. */
  readonly fixes: readonly DataFix[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The data of a retrylint diagnostic, or undefined for anything else a client sends back. */
export function readDiagnosticData(value: unknown): DiagnosticData | undefined {
  if (!isRecord(value) || typeof value.ruleId !== 'string' || typeof value.version !== 'number') return undefined;
  if (!Array.isArray(value.fixes)) return undefined;
  return value as unknown as DiagnosticData;
}
