/** The per-file toolbox handed to every recognizer. */
import type { FileContext } from './file-context.js';
import type { ValueResolver } from './values.js';

export interface Analysis {
  readonly file: FileContext;
  readonly values: ValueResolver;
}
