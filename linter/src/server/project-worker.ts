/**
 * The language server's project worker: a worker thread (the server bundle started again with
 * ProjectWorkerData) that owns the TypeScript programs, one per tsconfig, so that loading
 * ts-morph, building a program and reading across modules never delay the per-file
 * diagnostics on the server's own thread. It lints what the server asks, one request at a time.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { setProjectSessions } from '../frontends/typescript/index.js';
import { ProjectSessions, type ProjectSession } from '../frontends/typescript/project/index.js';
import { widenPrefilterAcrossModules } from '../cli/prefilter.js';
import { lintDocument } from './document-lint.js';
import type { LintReply, OpenBuffer, ProjectDocument, ProjectFindings, ToWorker } from './project-messages.js';
import { describe } from './server.js';

class ProjectWorker {
  private readonly sessions: ProjectSessions;
  private loadErrors: string[] = [];
  /** Per tsconfig seen: files whose program text may differ from the disk. */
  private readonly stale = new Map<string, Set<string>>();

  constructor(maxPrograms: number) {
    this.sessions = new ProjectSessions({ maxPrograms, onLoadError: (_tsconfig, message) => this.loadErrors.push(message) });
    setProjectSessions(this.sessions);
    // Evidence may sit in an imported module: the worker's prefilter reads with project mode's anchors.
    widenPrefilterAcrossModules(true);
  }

  async handle(message: ToWorker): Promise<LintReply | undefined> {
    switch (message.kind) {
      case 'lint':
        return this.lint(message.id, message.buffers, message.documents);
      case 'refresh':
        for (const files of this.stale.values()) for (const file of message.files) files.add(file);
        return undefined;
      case 'reset':
        this.reset();
        return undefined;
    }
  }

  private reset(): void {
    this.sessions.clear();
    this.stale.clear();
  }

  private async lint(id: number, buffers: readonly OpenBuffer[], documents: readonly ProjectDocument[]): Promise<LintReply> {
    const started = performance.now();
    let results: ProjectFindings[] | undefined;
    let error: string | undefined;
    try {
      const anyFile = documents[0]?.input.filePath;
      let session = anyFile ? this.sessions.sessionFor(anyFile) : undefined;
      if (session && anyFile && !this.takeTexts(session, buffers, anyFile)) {
        // A file of the program is gone: what its importers resolve to changes, so the programs are built again.
        this.reset();
        session = this.sessions.sessionFor(anyFile);
        if (session) this.takeTexts(session, buffers, anyFile);
      }
      if (session) {
        results = [];
        for (const { input, config } of documents) {
          const { findings, notices, sites } = await lintDocument(input, config);
          results.push({ findings, notices, sites });
        }
      }
    } catch (caught) {
      error = describe(caught);
      results = undefined;
    }
    const reply: LintReply = {
      kind: 'lint',
      id,
      ...(results ? { results } : {}),
      ...(error ? { error } : {}),
      loadErrors: this.loadErrors,
      loadedPrograms: this.sessions.loadedPrograms,
      elapsedMs: Math.round(performance.now() - started),
    };
    this.loadErrors = [];
    return reply;
  }

  /**
   * The program follows the open buffers, and the disk for files changed there or closed.
   * False when a file of the program was deleted (a text cannot say that).
   */
  private takeTexts(session: ProjectSession, buffers: readonly OpenBuffer[], anyFile: string): boolean {
    const tsconfig = this.sessions.tsconfigFor(anyFile)!;
    const stale = this.stale.get(tsconfig) ?? new Set<string>();
    this.stale.set(tsconfig, new Set());
    for (const buffer of buffers) {
      stale.delete(buffer.filePath);
      session.setText(buffer.filePath, buffer.text);
    }
    for (const file of stale) {
      if (!session.program.sourceFile(file)) continue; // created, or not read by this program
      if (!existsSync(file)) return false;
      session.setText(file, readFileSync(file, 'utf8'));
    }
    return true;
  }
}

/**
 * On a busy machine the per-file lint on the server's thread goes first. Only on Linux: there
 * setpriority(0) applies to the calling thread alone; elsewhere it would slow the whole server.
 */
function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(10);
  } catch {
    // not allowed here: the worker runs at the server's priority
  }
}

export function runProjectWorker(maxPrograms: number): void {
  const port = parentPort;
  if (!port) return;
  lowerThreadPriority();
  const worker = new ProjectWorker(maxPrograms);
  // Messages are handled in order: a refresh sent before a lint is applied before it.
  let queue = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    queue = queue
      .then(async () => {
        const reply = await worker.handle(message);
        if (reply) port.postMessage(reply);
      })
      .catch((error: unknown) => console.error(`retrylint project worker: ${describe(error)}`));
  });
}
