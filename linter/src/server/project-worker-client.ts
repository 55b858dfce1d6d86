/**
 * The server's side of the project worker: starts it on first use (the server bundle again,
 * in a worker thread), sends it requests and matches the replies. A worker that dies fails
 * its pending requests; after MAX_CRASHES deaths project mode stays off until `reset`.
 */
import { Worker } from 'node:worker_threads';
import type { LintReply, OpenBuffer, ProjectDocument, ProjectWorkerData, ToWorker } from './project-messages.js';

const MAX_CRASHES = 2;

export interface ProjectWorkerClientOptions {
  /** The server bundle (the worker runs the same file). */
  readonly script: string;
  readonly maxPrograms: number;
  /** The worker's console output and deaths, for the server's log. */
  readonly log: (message: string) => void;
}

type Pending = { readonly resolve: (reply: LintReply) => void; readonly reject: (error: Error) => void };

export class ProjectWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashes = 0;

  constructor(private readonly options: ProjectWorkerClientOptions) {}

  /** False once the worker died too often. */
  get available(): boolean {
    return this.crashes < MAX_CRASHES;
  }

  lint(buffers: readonly OpenBuffer[], documents: readonly ProjectDocument[]): Promise<LintReply> {
    const id = this.nextId++;
    return new Promise<LintReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ kind: 'lint', id, buffers, documents });
    });
  }

  /** Sent only to a running worker: one that starts later reads everything afresh. */
  notify(message: Exclude<ToWorker, { kind: 'lint' }>): void {
    this.worker?.postMessage(message);
  }

  /** Programs are dropped, and a worker that died may be started again. */
  reset(): void {
    this.crashes = 0;
    this.notify({ kind: 'reset' });
  }

  private send(message: ToWorker): void {
    try {
      this.started().postMessage(message);
    } catch (error) {
      this.failPending(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const workerData: ProjectWorkerData = { retrylintProjectWorker: true, maxPrograms: this.options.maxPrograms };
    // stdout and stderr are piped: the server's own stdout may be the LSP transport.
    const worker = new Worker(this.options.script, { workerData, stdout: true, stderr: true });
    worker.unref();
    const forward = (chunk: Buffer) => this.options.log(chunk.toString().trimEnd());
    worker.stdout.on('data', forward);
    worker.stderr.on('data', forward);
    worker.on('message', (reply: LintReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      pending?.resolve(reply);
    });
    worker.on('error', (error) => this.options.log(`project worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.crashes++;
      this.options.log(`project worker exited (code ${code})${this.available ? '' : '; project mode is off until a tsconfig changes'}`);
      this.failPending(new Error('the project worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(error);
  }
}
