/**
 * The qualified names a Python file's import statements bind, read from its code text the way
 * the frontend binds them (`FileContext.bindImport`): `import a.b` binds `a`, `import a.b as c`
 * binds `a.b`, `from a.b import c` binds `a.b.c`. Relative imports and `*` bind nothing there,
 * and nothing here. The word `import` inside a string of code counts too (a superset).
 */

const IMPORT_KEYWORD = /\bfrom\s+([\w.]+)\s+import\b|\bimport\b/g;
const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
const ALIAS = /^(.+?)\s+as\s+[A-Za-z_]\w*$/s;

/** Every name bound by an import, or undefined when a statement does not read as one. */
export function importedNames(code: string): string[] | undefined {
  const names: string[] = [];
  for (const match of code.matchAll(IMPORT_KEYWORD)) {
    const module = match[1];
    const list = importList(code, (match.index ?? 0) + match[0].length);
    if (list === undefined) return undefined;
    if (module?.startsWith('.') || list === '*') continue;
    for (const item of list.split(',')) {
      const trimmed = item.trim();
      // A trailing comma in parentheses.
      if (trimmed === '' && module !== undefined) continue;
      const aliased = ALIAS.exec(trimmed);
      const name = (aliased ? aliased[1] : trimmed).replace(/\s+/g, '');
      if (!DOTTED.test(name) || (module !== undefined && name.includes('.'))) return undefined;
      if (module !== undefined) names.push(`${module}.${name}`);
      else names.push(aliased ? name : name.split('.')[0]);
    }
  }
  return names;
}

/** The names after `import`: up to the closing parenthesis, or to the end of the statement. */
function importList(code: string, from: number): string | undefined {
  let start = from;
  while (code.charCodeAt(start) === 32 || code.charCodeAt(start) === 9) start++;
  if (code[start] === '(') {
    const close = code.indexOf(')', start);
    return close < 0 ? undefined : code.slice(start + 1, close);
  }
  let end = start;
  while (end < code.length && !/[\n\r;]/.test(code[end])) end++;
  return code.slice(start, end).trim();
}
