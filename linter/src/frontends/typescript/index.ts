/**
 * The TypeScript/JavaScript frontend: .ts .tsx .mts .cts .js .jsx .mjs .cjs parsed with
 * oxc-parser (TS-ESTree). The ESLint plugin calls `extractFromProgram` with the tree ESLint
 * already parsed, so both faces read the same sites.
 */
import type { FileModel } from '@retrylint/shared';
import { LineIndex } from '@retrylint/shared';
import type { Frontend } from '../frontend.js';
import { alreadyParsed } from './cross-module.js';
import { restoreDownleveledAsync } from './downleveled-async.js';
import { extractFromProgram } from './extract.js';
import { loadParser, parseText } from './parse.js';
import { rethrowBudgetStop } from '../work-budget.js';
import type { ProjectSessions } from './project/index.js';

export { extractFromProgram } from './extract.js';
export { setCrossModuleResolution } from './cross-module.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

let projects: ProjectSessions | undefined;

/** Project mode: files under a tsconfig are read with its program's links (see ./project/). */
export function setProjectSessions(sessions: ProjectSessions | undefined): void {
  projects = sessions;
}

function extract(text: string, filePath: string): FileModel {
  const session = projects?.sessionFor(filePath);
  return session ? session.extract(text, filePath, extractPerFile) : extractPerFile(text, filePath);
}

function extractPerFile(text: string, filePath: string): FileModel {
  const reused = alreadyParsed(filePath, text);
  const parsed = reused ? ({ ok: true, program: reused } as const) : parseText(text, filePath);
  if (!parsed.ok) {
    const lines = new LineIndex(text);
    const offset = Math.max(0, Math.min(parsed.offset, text.length));
    return {
      language: 'typescript',
      sites: [],
      parseErrors: [{ message: firstLine(parsed.message), span: lines.span(offset, offset) }],
    };
  }
  try {
    restoreDownleveledAsync(parsed.program, text);
    return extractFromProgram(parsed.program, text, filePath);
  } catch (error) {
    rethrowBudgetStop(error);
    const message = error instanceof Error ? error.message : String(error);
    return { language: 'typescript', sites: [], parseErrors: [{ message: `extraction failed: ${message}`, span: new LineIndex(text).span(0, 0) }] };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export const frontend: Frontend = {
  language: 'typescript',
  extensions: EXTENSIONS,
  load: loadParser,
  extract,
  parses: (text, filePath) => parseText(text, filePath).ok,
};
