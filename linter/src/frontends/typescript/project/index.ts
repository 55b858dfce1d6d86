/**
 * Project mode (`retrylint --project`, `"project": true`, the language server when a
 * tsconfig is found): one TypeScript program per tsconfig, loaded with ts-morph, whose links
 * let the per-file recognizers read across modules. The per-file extraction stays the one
 * that runs; the program only answers where things are declared.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileModel } from '@retrylint/shared';
import { moduleLinks, setModuleLinks } from '../cross-module.js';
import { loadProgram, ProjectLoadError, type ProjectProgram } from './load-program.js';
import { ProgramLinks } from './project-links.js';

export { ProjectLoadError } from './load-program.js';

const DEFAULT_MAX_PROGRAMS = 8;

export interface ProjectSessionsOptions {
  /** One tsconfig for every file (`--project path/tsconfig.json`); else each file's nearest. */
  readonly tsconfig?: string;
  /** Programs kept at once; the least recently used is dropped beyond it. */
  readonly maxPrograms?: number;
  /** Findings name files in other modules relative to this folder (default: each tsconfig's folder). */
  readonly displayRoot?: string;
  /** A tsconfig that cannot be loaded: its files are linted per file. Called once per tsconfig. */
  readonly onLoadError?: (tsconfig: string, message: string) => void;
}

/** One tsconfig's program and the links that read through it. */
export class ProjectSession {
  readonly links: ProgramLinks;

  constructor(
    readonly program: ProjectProgram,
    displayRoot?: string,
  ) {
    this.links = new ProgramLinks(program, displayRoot);
  }

  /** Adds files the run will lint: the program is built once for all of them, not per file. */
  addFiles(files: readonly string[]): void {
    this.program.addFiles(files);
  }

  /** Builds the program and its checker now (else the first query does, inside some file's lint). */
  build(): void {
    this.program.checker();
  }

  /** The file's text changed (an editor buffer, a fix): the program and what was read from it follow. */
  setText(file: string, text: string): void {
    if (this.program.sourceFile(file)?.text === text) return;
    this.program.setText(file, text);
    this.links.forgetAll();
  }

  /** Runs a per-file extraction of `text` with this program's links installed. */
  extract(text: string, file: string, perFile: (text: string, file: string) => FileModel): FileModel {
    if (!this.program.sourceFile(file)) this.program.addFiles([file]);
    this.setText(file, text);
    const previous = moduleLinks();
    setModuleLinks(this.links);
    try {
      return perFile(text, file);
    } finally {
      setModuleLinks(previous);
    }
  }
}

export class ProjectSessions {
  private readonly sessions = new Map<string, ProjectSession | null>();
  private readonly nearestByFolder = new Map<string, string | undefined>();

  constructor(private readonly options: ProjectSessionsOptions = {}) {}

  /** The tsconfig that governs a file: the given one, or the nearest tsconfig.json above it. */
  tsconfigFor(file: string): string | undefined {
    if (this.options.tsconfig) return path.resolve(this.options.tsconfig);
    return this.nearest(path.dirname(path.resolve(file)));
  }

  sessionFor(file: string): ProjectSession | undefined {
    const tsconfig = this.tsconfigFor(file);
    if (!tsconfig) return undefined;
    const existing = this.sessions.get(tsconfig);
    if (existing !== undefined) {
      // Most recently used last: the first entry is the one to drop.
      this.sessions.delete(tsconfig);
      this.sessions.set(tsconfig, existing);
      return existing ?? undefined;
    }
    let session: ProjectSession | null = null;
    try {
      session = new ProjectSession(loadProgram(tsconfig), this.options.displayRoot);
    } catch (error) {
      if (!(error instanceof ProjectLoadError)) throw error;
      this.options.onLoadError?.(tsconfig, error.message);
    }
    this.sessions.set(tsconfig, session);
    this.evict();
    return session ?? undefined;
  }

  /**
   * Files of one run, grouped by their tsconfig, added before the first is linted; with
   * `build`, each program is built too, so its cost is the run's, not the first file's.
   */
  addFiles(files: readonly string[], options: { readonly build?: boolean } = {}): void {
    const byTsconfig = new Map<string, string[]>();
    for (const file of files) {
      const tsconfig = this.tsconfigFor(file);
      if (!tsconfig) continue;
      const group = byTsconfig.get(tsconfig);
      if (group) group.push(file);
      else byTsconfig.set(tsconfig, [file]);
    }
    for (const [tsconfig, group] of byTsconfig) {
      const session = this.sessionFor(group[0]);
      try {
        session?.addFiles(group);
        if (options.build) session?.build();
      } catch (error) {
        // A program TypeScript cannot build: its files are linted per file, the run goes on.
        this.sessions.set(tsconfig, null);
        this.options.onLoadError?.(tsconfig, `cannot build the program: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
  }

  /** Programs held now (the language server's memory bound). */
  get loadedPrograms(): number {
    return [...this.sessions.values()].filter((session) => session !== null).length;
  }

  /** Drops every program (a tsconfig changed). */
  clear(): void {
    this.sessions.clear();
    this.nearestByFolder.clear();
  }

  private evict(): void {
    const limit = this.options.maxPrograms ?? DEFAULT_MAX_PROGRAMS;
    for (const tsconfig of this.sessions.keys()) {
      if (this.loadedPrograms <= limit) break;
      this.sessions.delete(tsconfig);
    }
  }

  private nearest(folder: string): string | undefined {
    if (this.nearestByFolder.has(folder)) return this.nearestByFolder.get(folder);
    const candidate = path.join(folder, 'tsconfig.json');
    let found: string | undefined;
    if (existsSync(candidate) && statSync(candidate).isFile()) found = candidate;
    else if (path.basename(folder) !== 'node_modules') {
      const parent = path.dirname(folder);
      found = parent === folder ? undefined : this.nearest(parent);
    }
    this.nearestByFolder.set(folder, found);
    return found;
  }
}
