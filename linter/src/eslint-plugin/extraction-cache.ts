/**
 * One extraction per file however many rules run: the sites are cached on the AST object
 * ESLint hands every rule of the same file.
 */
import type { FileModel } from '@retrylint/shared';
import { extractFromProgram } from '../frontends/typescript/extract.js';
import type { Program } from '../frontends/typescript/syntax.js';

const cache = new WeakMap<object, FileModel>();

export function sitesFor(ast: object, text: string, filePath?: string): FileModel {
  let model = cache.get(ast);
  if (!model) {
    try {
      model = extractFromProgram(ast as Program, text, filePath);
    } catch {
      // A tree shape the frontend does not know: no findings rather than a crashed lint run.
      model = { language: 'typescript', sites: [], parseErrors: [] };
    }
    cache.set(ast, model);
  }
  return model;
}
