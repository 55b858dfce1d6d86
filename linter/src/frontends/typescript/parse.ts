/**
 * Parsing with @typescript-eslint/typescript-estree, loaded on first use (the module takes
 * most of a second to load). A syntax error becomes a message and a position, never a throw.
 */
import path from 'node:path';
import type { Program } from './syntax.js';

type Parse = typeof import('@typescript-eslint/typescript-estree').parse;

let parser: Parse | undefined;

export async function loadParser(): Promise<void> {
  if (!parser) parser = (await import('@typescript-eslint/typescript-estree')).parse;
}

export type ParseResult =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const JSX_EXTENSIONS = new Set(['.tsx', '.jsx', '.js', '.mjs', '.cjs']);

export function parseText(text: string, filePath: string): ParseResult {
  if (!parser) return { ok: false, message: 'the TypeScript parser is not loaded', offset: 0 };
  const extension = path.extname(filePath).toLowerCase();
  try {
    const program = parser(text, {
      range: true,
      loc: true,
      comment: false,
      tokens: false,
      jsx: JSX_EXTENSIONS.has(extension),
      errorOnUnknownASTType: false,
      loggerFn: false,
      // Lets the parser pick script kind from the extension (.mts/.cts/.mjs/.cjs).
      filePath: `file${extension || '.ts'}`,
    });
    return { ok: true, program: program as Program };
  } catch (error) {
    const offset = (error as { index?: unknown }).index;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message, offset: typeof offset === 'number' ? offset : 0 };
  }
}
