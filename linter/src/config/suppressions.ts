/**
 * Inline suppressions:
 *   Python:     `# retrylint: disable-next-line=<id>[,<id>]`, `# retrylint: disable-file[=<id>,...]`
 *   TypeScript: `// retrylint-disable-next-line <id>[, <id>]`, `// retrylint-disable-file [<id>, ...]`
 * Without ids a directive covers every rule. Text after `--` is a free-form reason.
 */
import type { Language } from '@retrylint/shared';

export type DirectiveKind = 'disable-next-line' | 'disable-file';

export interface Directive {
  readonly kind: DirectiveKind;
  /** Rule ids it names; empty for every rule. */
  readonly ruleIds: readonly string[];
  /** 1-based line and column of the comment. */
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

const PATTERNS: Readonly<Record<Language, RegExp>> = {
  python: /#\s*retrylint:\s*(disable-next-line|disable-file)\b(?:\s*=\s*([^\r\n]*))?/,
  typescript: /(?:\/\/|\/\*)\s*retrylint-(disable-next-line|disable-file)\b([^\r\n]*)/,
};

function parseIds(rest: string | undefined): string[] {
  if (!rest) return [];
  const withoutReason = rest.split(/\s--\s|\s--$|^--/)[0] ?? '';
  const withoutCommentEnd = withoutReason.split('*/')[0] ?? '';
  return withoutCommentEnd
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

export function parseDirectives(text: string, language: Language): Directive[] {
  // Cheap exit: almost no file has a directive.
  if (!text.includes('retrylint')) return [];
  const pattern = PATTERNS[language];
  const directives: Directive[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index];
    const match = pattern.exec(lineText);
    if (!match) continue;
    directives.push({
      kind: match[1] as DirectiveKind,
      ruleIds: parseIds(match[2]),
      line: index + 1,
      column: match.index + 1,
      endColumn: match.index + match[0].trimEnd().length + 1,
    });
  }
  return directives;
}

export interface Suppressible {
  readonly ruleId: string;
  readonly line: number;
}

export interface UnusedDirective {
  readonly directive: Directive;
  /** The id that suppressed nothing; undefined for a directive without ids. */
  readonly ruleId?: string;
}

export interface SuppressionOutcome<T> {
  readonly kept: T[];
  readonly suppressed: T[];
  readonly unused: UnusedDirective[];
}

function covers(directive: Directive, item: Suppressible): boolean {
  if (directive.kind === 'disable-next-line' && item.line !== directive.line + 1) return false;
  return directive.ruleIds.length === 0 || directive.ruleIds.includes(item.ruleId);
}

/** Splits findings into kept and suppressed, and tells which directives (or ids) did nothing. */
export function applySuppressions<T extends Suppressible>(
  items: readonly T[],
  directives: readonly Directive[],
): SuppressionOutcome<T> {
  const used = new Map<Directive, Set<string>>(directives.map((directive) => [directive, new Set()]));
  // Indexed by the line they cover, so a file with a directive per finding stays linear.
  const fileWide = directives.filter((directive) => directive.kind === 'disable-file');
  const byCoveredLine = new Map<number, Directive[]>();
  for (const directive of directives) {
    if (directive.kind !== 'disable-next-line') continue;
    const list = byCoveredLine.get(directive.line + 1);
    if (list) list.push(directive);
    else byCoveredLine.set(directive.line + 1, [directive]);
  }
  const kept: T[] = [];
  const suppressed: T[] = [];
  for (const item of items) {
    const candidates = [...(byCoveredLine.get(item.line) ?? []), ...fileWide];
    const matching = candidates.filter((directive) => covers(directive, item));
    for (const directive of matching) used.get(directive)?.add(item.ruleId);
    (matching.length > 0 ? suppressed : kept).push(item);
  }
  const unused: UnusedDirective[] = [];
  for (const directive of directives) {
    const usedIds = used.get(directive) ?? new Set<string>();
    if (directive.ruleIds.length === 0) {
      if (usedIds.size === 0) unused.push({ directive });
      continue;
    }
    for (const ruleId of directive.ruleIds) if (!usedIds.has(ruleId)) unused.push({ directive, ruleId });
  }
  return { kept, suppressed, unused };
}
