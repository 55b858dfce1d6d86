/**
 * What the language server and its project worker (project-worker.ts) say to each other.
 * The worker holds the programs; the server sends it the open buffers and the documents to
 * lint with their configs, and gets back what `lintDocument` found in project mode.
 */
import type { FileConfig } from '../config/file-config.js';
import type { DocumentInput, DocumentLint } from './document-lint.js';

/** `workerData` that makes the server bundle run as the project worker. */
export interface ProjectWorkerData {
  readonly retrylintProjectWorker: true;
  /** Programs the worker keeps at once (the least recently used is dropped). */
  readonly maxPrograms: number;
}

export function isProjectWorkerData(value: unknown): value is ProjectWorkerData {
  return typeof value === 'object' && value !== null && (value as { retrylintProjectWorker?: unknown }).retrylintProjectWorker === true;
}

export interface ProjectDocument {
  readonly input: DocumentInput;
  readonly config: FileConfig;
}

export interface OpenBuffer {
  readonly filePath: string;
  readonly text: string;
}

export type ToWorker =
  /** Lint `documents` in project mode, after the program has taken every open buffer's text. */
  | { readonly kind: 'lint'; readonly id: number; readonly buffers: readonly OpenBuffer[]; readonly documents: readonly ProjectDocument[] }
  /** Files whose text on disk counts again: changed, created or deleted there, or a buffer closed. */
  | { readonly kind: 'refresh'; readonly files: readonly string[] }
  /** A tsconfig changed: every program is dropped. */
  | { readonly kind: 'reset' };

export type ProjectFindings = Pick<DocumentLint, 'findings' | 'notices' | 'sites'>;

export interface LintReply {
  readonly kind: 'lint';
  readonly id: number;
  /** In the order of the request's documents; absent when the lint failed (`error`). */
  readonly results?: readonly ProjectFindings[];
  readonly error?: string;
  /** Tsconfigs that could not be loaded since the last reply (their files stay per file). */
  readonly loadErrors: readonly string[];
  readonly loadedPrograms: number;
  readonly elapsedMs: number;
}
