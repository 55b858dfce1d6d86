import type { FileModel, Language } from '@retrylint/shared';

/**
 * A language frontend: source text in, RetrySites out. It never throws on bad input: a
 * syntax error becomes a `parseErrors` entry and whatever could be extracted is kept.
 */
export interface Frontend {
  readonly language: Language;
  /** File extensions it reads, with the dot: `.py`, `.ts`. */
  readonly extensions: readonly string[];
  /** Loads the parser (lazily, once); extract and parses may be called after it resolves. */
  load(): Promise<void>;
  extract(text: string, filePath: string): FileModel;
  /** Whether the text parses without syntax errors (a fix is kept only if this holds). */
  parses(text: string, filePath: string): boolean;
}
