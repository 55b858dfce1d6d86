import type { TextEdit } from '@retrylint/shared';
import type { LanguageSyntax } from './render.js';
import { perText } from './source-text.js';

const IMPORT_LINE = /^(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+.+)\s*(?:#.*)?$/;

/** The modules a plain `import a, b.c` line brings in under their own names. */
const plainImports = perText((text: string): ReadonlySet<string> => {
  const modules = new Set<string>();
  for (const match of text.matchAll(/^import\s+([\w.]+(?:\s*,\s*[\w.]+)*)\b(?!\s+as\b)/gm)) {
    // `import os.path` binds `os` too.
    for (const name of match[1].split(',')) modules.add(name.trim()).add(name.trim().split('.')[0]);
  }
  return modules;
});

function importsModule(text: string, module: string): boolean {
  return plainImports(text).has(module);
}

const fromAiohttpImportsClientTimeout = perText((text: string) => /^from\s+aiohttp\s+import\s+[^\n]*\bClientTimeout\b/m.test(text));

/**
 * Where a new top-level import goes: after the last import of the file's header (imports,
 * comments, blank lines and the module docstring), or after the docstring when there is none.
 */
const importInsertionOffset = perText((text: string): number | undefined => {
  let offset = 0;
  let insertAt = 0;
  let inDocstring: string | null = null;
  let openParens = false;
  let sawCode = false;
  // Line by line from the top, and only as far as the header goes.
  for (let index = 0; offset <= text.length && !sawCode; index++) {
    const newline = text.indexOf('\n', offset);
    const raw = text.slice(offset, newline < 0 ? text.length : newline);
    const line = raw.replace(/\r$/, '');
    const lineEnd = offset + raw.length + 1;
    const trimmed = line.trim();
    if (inDocstring) {
      if (trimmed.includes(inDocstring)) {
        inDocstring = null;
        insertAt = Math.min(lineEnd, text.length);
      }
    } else if (openParens) {
      if (trimmed.includes(')')) {
        openParens = false;
        insertAt = Math.min(lineEnd, text.length);
      }
    } else if (trimmed === '' || trimmed.startsWith('#')) {
      // header filler
    } else if (/^[rRuUbB]?("""|''')/.test(trimmed) && index < 50 && insertAt === 0) {
      const quote = trimmed.includes('"""') ? '"""' : "'''";
      const rest = trimmed.slice(trimmed.indexOf(quote) + 3);
      if (!rest.includes(quote)) inDocstring = quote;
      insertAt = Math.min(lineEnd, text.length);
    } else if (/^from\s+[\w.]+\s+import\s+\(/.test(trimmed) && !trimmed.includes(')')) {
      openParens = true;
    } else if (IMPORT_LINE.test(trimmed) && line === trimmed) {
      insertAt = Math.min(lineEnd, text.length);
    } else {
      sawCode = true;
    }
    offset = lineEnd;
  }
  if (inDocstring || openParens) return undefined;
  return insertAt;
});

export const pythonSyntax: LanguageSyntax = {
  boolean: (value) => (value ? 'True' : 'False'),
  min: (expression, cap) => `min(${expression}, ${cap})`,
  fullJitter: (expression) => `random.uniform(0, ${expression})`,
  asyncSleep: (argument) => `await asyncio.sleep(${argument})`,
  clientTimeout: (text, seconds) => {
    if (importsModule(text, 'aiohttp')) return `aiohttp.ClientTimeout(total=${seconds})`;
    if (fromAiohttpImportsClientTimeout(text)) return `ClientTimeout(total=${seconds})`;
    return null;
  },
  ensureImport: (text, module, eol): TextEdit | null | undefined => {
    if (importsModule(text, module)) return undefined;
    const at = importInsertionOffset(text);
    if (at === undefined) return null;
    const needsLeadingNewline = at > 0 && text[at - 1] !== '\n';
    return { start: at, end: at, text: `${needsLeadingNewline ? eol : ''}import ${module}${eol}` };
  },
  singleElementNeedsComma: (listText) => listText.startsWith('('),
  emptyList: (listText) => (listText.startsWith('{') ? '()' : `${listText[0]}${listText[listText.length - 1]}`),
};
