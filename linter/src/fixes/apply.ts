/**
 * Applies fixes to a text the way ESLint does (non-overlapping edits, re-lint, up to 10
 * passes) with one more guarantee: a fix is kept only if the text still parses.
 */
import type { Finding, Fix, Language, TextEdit } from '@retrylint/shared';
import { applyEditsTo, renderFix } from './render.js';

export const MAX_FIX_PASSES = 10;

export interface FixOptions {
  readonly language: Language;
  /** Also apply unsafe fixes (`--unsafe-fixes`). */
  readonly unsafe: boolean;
  /** Re-lints a text: the findings whose fixes are candidates (suppressed ones removed). */
  readonly lint: (text: string) => Promise<readonly Finding[]> | readonly Finding[];
  readonly parses: (text: string) => boolean;
}

export interface FixOutcome {
  readonly text: string;
  /** Fixes applied, over all passes. */
  readonly applied: readonly { readonly ruleId: string; readonly title: string }[];
  /** Fixes dropped because the result would not parse. */
  readonly rejected: readonly { readonly ruleId: string; readonly title: string }[];
  readonly passes: number;
}

/** The fix a run would apply for a finding, given whether unsafe fixes are allowed. */
export function applicableFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  if (fix.applicability === 'safe') return fix;
  if (fix.applicability === 'unsafe' && unsafe) return fix;
  return undefined;
}

function overlaps(edits: readonly TextEdit[], taken: readonly TextEdit[]): boolean {
  return edits.some((edit) =>
    taken.some((other) => {
      if (edit.start === edit.end && other.start === other.end) return edit.start === other.start;
      return edit.start < other.end && other.start < edit.end;
    }),
  );
}

export async function applyFixes(text: string, options: FixOptions): Promise<FixOutcome> {
  const applied: { ruleId: string; title: string }[] = [];
  const rejected: { ruleId: string; title: string }[] = [];
  const rejectedKeys = new Set<string>();
  let current = text;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const findings = await options.lint(current);
    const taken: TextEdit[] = [];
    let changed = false;
    for (const finding of findings) {
      const fix = applicableFix(finding, options.unsafe);
      if (!fix) continue;
      const edits = renderFix(fix, current, options.language);
      if (!edits || edits.length === 0) continue;
      const key = `${finding.ruleId}|${JSON.stringify(edits)}`;
      if (rejectedKeys.has(key) || overlaps(edits, taken)) continue;
      if (applyEditsTo(current, edits) === current) continue;
      const candidate = applyEditsTo(current, [...taken, ...edits]);
      if (!options.parses(candidate)) {
        rejectedKeys.add(key);
        rejected.push({ ruleId: finding.ruleId, title: fix.title });
        continue;
      }
      taken.push(...edits);
      applied.push({ ruleId: finding.ruleId, title: fix.title });
      changed = true;
    }
    if (!changed) break;
    current = applyEditsTo(current, taken);
    passes++;
  }
  return { text: current, applied, rejected, passes };
}
