/**
 * Project mode in the editor: the open TS/JS documents under one tsconfig are linted again
 * with that tsconfig's program (in the project worker) once typing pauses, after their
 * per-file diagnostics went out as usual. A change to any open document of the tsconfig, a
 * buffer closed, or a file changed on disk re-lints all of them: a change in the file that
 * builds a client updates the finding in the file that retries around it. The server
 * republishes a document only when its project result differs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ProjectSessions } from '../frontends/typescript/project/index.js';
import { filePathOf, isInside, languageFor } from './documents.js';
import type { ProjectDocument } from './project-messages.js';
import { ProjectWorkerClient } from './project-worker-client.js';
import { describe, type RetrylintServer } from './server.js';

/**
 * Quiet time after the last change before the program is asked. Longer than the gaps between
 * keystrokes: a project lint running beside the per-file lint of the next keystroke competes
 * with it for the machine (measured: the per-file median rose on a busy 2-core machine at 300 ms).
 */
export const PROJECT_LINT_DELAY_MS = 500;
/** Programs the editor keeps at once (each holds a tsconfig's files and a type checker). */
export const MAX_EDITOR_PROGRAMS = 3;

export class ProjectLinter {
  /** Finds each file's tsconfig; the programs themselves live in the worker. */
  private readonly tsconfigs = new ProjectSessions();
  private readonly worker: ProjectWorkerClient;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly logged = new Set<string>();

  constructor(private readonly server: RetrylintServer) {
    this.worker = new ProjectWorkerClient({
      // The server bundle: the worker runs the same file (main.ts tells them apart).
      script: fileURLToPath(import.meta.url),
      maxPrograms: MAX_EDITOR_PROGRAMS,
      log: (message) => server.connection.console.log(`retrylint: ${message}`),
    });
  }

  /** The file's tsconfig: the nearest tsconfig.json above it, inside its workspace folder. */
  tsconfigOf(filePath: string): string | undefined {
    const tsconfig = this.tsconfigs.tsconfigFor(filePath);
    return tsconfig && isInside(tsconfig, this.server.folderFor(filePath)) ? tsconfig : undefined;
  }

  /** The document's text changed (or it opened): its tsconfig's documents are linted once typing pauses. */
  schedule(filePath: string): void {
    const tsconfig = this.tsconfigOf(filePath);
    if (!tsconfig) return;
    clearTimeout(this.timers.get(tsconfig));
    const timer = setTimeout(() => {
      this.timers.delete(tsconfig);
      this.run(tsconfig);
    }, PROJECT_LINT_DELAY_MS);
    this.timers.set(tsconfig, timer);
  }

  /** Every tsconfig with an open document. */
  scheduleAll(): void {
    for (const document of this.typescriptDocuments()) this.schedule(document.filePath);
  }

  /** A document closed: the program reads its file from disk again, and the others follow. */
  closed(filePath: string): void {
    this.worker.notify({ kind: 'refresh', files: [filePath] });
    this.schedule(filePath);
  }

  /** Files changed, created or deleted on disk (not open in the editor). */
  filesChanged(files: readonly string[]): void {
    this.worker.notify({ kind: 'refresh', files });
    this.scheduleAll();
  }

  /** A tsconfig changed: which tsconfig governs a file, and every program, are read again. */
  reset(): void {
    this.tsconfigs.clear();
    this.worker.reset();
  }

  private typescriptDocuments(): { document: TextDocument; filePath: string }[] {
    return this.server.documents.all().flatMap((document) => {
      const filePath = filePathOf(document.uri);
      return filePath && languageFor(filePath, document.languageId) === 'typescript' ? [{ document, filePath }] : [];
    });
  }

  /** One pass per tsconfig at a time; changes during a pass ask for one more. */
  private run(tsconfig: string): void {
    if (this.running.has(tsconfig)) {
      this.again.add(tsconfig);
      return;
    }
    this.running.add(tsconfig);
    const loop = async () => {
      do {
        this.again.delete(tsconfig);
        await this.pass(tsconfig);
      } while (this.again.has(tsconfig));
    };
    loop()
      .catch((error: unknown) => this.logOnce(`project lint failed: ${describe(error)}`))
      .finally(() => this.running.delete(tsconfig));
  }

  private async pass(tsconfig: string): Promise<void> {
    const members = this.typescriptDocuments().filter(({ filePath }) => this.tsconfigOf(filePath) === tsconfig);
    if (!this.worker.available) {
      this.server.projectLintFailed(members.map(({ document }) => document.uri));
      return;
    }
    const wanted: { document: TextDocument; filePath: string; target: NonNullable<Awaited<ReturnType<RetrylintServer['lintTarget']>>> }[] = [];
    for (const member of members) {
      const target = await this.server.lintTarget(member.document.uri);
      if (target?.settings.project === 'auto') wanted.push({ ...member, target });
    }
    // One snapshot of the buffers (no await in between): the program holds the texts linted.
    const open = (uri: string) => this.server.documents.get(uri) !== undefined;
    const buffers = members.filter(({ document }) => open(document.uri)).map(({ document, filePath }) => ({ filePath, text: document.getText() }));
    const documents: ProjectDocument[] = wanted
      .filter(({ document }) => open(document.uri))
      .map(({ document, filePath, target }) => ({
        input: { uri: document.uri, version: document.version, filePath, language: 'typescript', text: document.getText() },
        config: target.config,
      }));
    if (documents.length === 0) return;
    const failed = (message: string) => {
      this.logOnce(message);
      this.server.projectLintFailed(documents.map(({ input }) => input.uri));
    };
    let reply;
    try {
      reply = await this.worker.lint(buffers, documents);
    } catch (error) {
      failed(`project lint failed, per-file results kept: ${describe(error)}`);
      return;
    }
    for (const message of reply.loadErrors) this.logOnce(`${message}; its files are linted per file`);
    if (!reply.results) {
      failed(`project lint of ${tsconfig} failed, per-file results kept: ${reply.error ?? 'no result'}`);
      return;
    }
    this.server.connection.tracer.log(
      `project lint of ${tsconfig}: ${documents.length} documents in ${reply.elapsedMs} ms, ${reply.loadedPrograms} programs loaded`,
    );
    reply.results.forEach((found, index) => {
      const { input, config } = documents[index]!;
      if (!this.server.acceptProjectLint({ ...input, config, ...found })) {
        this.logOnce(`project lint of ${path.basename(input.filePath)} could not read the file as the per-file lint did; per-file results kept`);
        this.server.projectLintFailed([input.uri]);
      }
    });
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.server.connection.console.error(`retrylint: ${message}`);
  }
}
