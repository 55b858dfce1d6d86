/**
 * Parsing with oxc-parser: a native parser whose AST follows TS-ESTree (the shape
 * typescript-estree and the ESLint plugin give), at a fraction of typescript-estree's
 * load and parse time (measured in docs/performance.md). A syntax error becomes a message
 * and a position, never a throw.
 */
import path from 'node:path';
import type { Program } from './syntax.js';
import { indexedOrder } from './walk.js';

type ParseSync = typeof import('oxc-parser').parseSync;

let parser: ParseSync | undefined;

export async function loadParser(): Promise<void> {
  if (!parser) parser = (await import('oxc-parser')).parseSync;
}

export type ParseResult =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly message: string; readonly offset: number };

type Lang = 'ts' | 'tsx' | 'jsx' | 'dts';
type SourceType = 'module' | 'commonjs' | 'unambiguous';

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, { lang: Lang; sourceType: SourceType }>> = {
  '.ts': { lang: 'ts', sourceType: 'module' },
  '.mts': { lang: 'ts', sourceType: 'module' },
  '.cts': { lang: 'ts', sourceType: 'module' },
  '.tsx': { lang: 'tsx', sourceType: 'module' },
  '.js': { lang: 'jsx', sourceType: 'unambiguous' },
  '.jsx': { lang: 'jsx', sourceType: 'unambiguous' },
  '.mjs': { lang: 'jsx', sourceType: 'module' },
  '.cjs': { lang: 'jsx', sourceType: 'commonjs' },
};

export function parseText(text: string, filePath: string): ParseResult {
  if (!parser) return { ok: false, message: 'the TypeScript parser is not loaded', offset: 0 };
  const extension = path.extname(filePath).toLowerCase();
  const known = LANGUAGE_BY_EXTENSION[extension] ?? LANGUAGE_BY_EXTENSION['.ts'];
  // `x.d.ts` / `x.d.cts` declare without initializers; parsed as plain TS they are syntax errors.
  const lang: Lang = known.lang === 'ts' && /\.d\.[cm]?ts$/i.test(filePath) ? 'dts' : known.lang;
  const { sourceType } = known;
  try {
    const result = parser(`file${extension || '.ts'}`, text, {
      lang,
      sourceType,
      // The JS-shaped tree: TS nodes that hold values (casts, `!`, enums) stay, annotations and
      // type arguments go (written-types.ts reads the few the recognizers need from the text).
      // It is half the JSON to deserialize, the largest cost of a lint.
      astType: 'js',
      // `start`/`end` only: building the tree's walk order below adds each node's `range` (walk.ts).
      range: false,
      preserveParens: false,
    });
    const error = result.errors.find((candidate) => candidate.severity === 'Error');
    if (error) return { ok: false, message: error.message, offset: error.labels[0]?.start ?? 0 };
    const program = result.program as unknown as Program;
    // The file index reuses this order.
    indexedOrder(program);
    return { ok: true, program };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error), offset: 0 };
  }
}
