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

/**
 * The fix a run would apply for a finding, given whether unsafe fixes are allowed. A
 * cross-file fix is not one of them: `renderFix` declines it, the run applies it at the end.
 */
export function applicableFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  if (fix.applicability === 'safe') return fix;
  if (fix.applicability === 'unsafe' && unsafe) return fix;
  return undefined;
}

/** True when an edit of `edits` overlaps one of `taken` (two insertions at one offset do too). */
export function editsOverlap(edits: readonly TextEdit[], taken: readonly TextEdit[]): boolean {
  return edits.some((edit) =>
    taken.some((other) => {
      if (edit.start === edit.end && other.start === other.end) return edit.start === other.start;
      return edit.start < other.end && other.start < edit.end;
    }),
  );
}

function changesText(text: string, edits: readonly TextEdit[]): boolean {
  return edits.some((edit) => text.slice(edit.start, edit.end) !== edit.text);
}

interface Candidate {
  readonly ruleId: string;
  readonly title: string;
  readonly key: string;
  readonly edits: readonly TextEdit[];
}

/** The pass's fixes that do not overlap one taken before them (in the findings' order). */
function nonOverlapping(findings: readonly Finding[], current: string, options: FixOptions, rejectedKeys: ReadonlySet<string>): Candidate[] {
  const candidates: Candidate[] = [];
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    const fix = applicableFix(finding, options.unsafe);
    if (!fix) continue;
    const edits = renderFix(fix, current, options.language);
    if (!edits || edits.length === 0) continue;
    const key = `${finding.ruleId}|${JSON.stringify(edits)}`;
    if (rejectedKeys.has(key) || editsOverlap(edits, taken) || !changesText(current, edits)) continue;
    taken.push(...edits);
    candidates.push({ ruleId: finding.ruleId, title: fix.title, key, edits });
  }
  return candidates;
}

export async function applyFixes(text: string, options: FixOptions): Promise<FixOutcome> {
  const applied: { ruleId: string; title: string }[] = [];
  const rejected: { ruleId: string; title: string }[] = [];
  const rejectedKeys = new Set<string>();
  let current = text;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const candidates = nonOverlapping(await options.lint(current), current, options, rejectedKeys);
    if (candidates.length === 0) break;
    // One parse for the whole pass when every fix is sound (the usual case); fix by fix
    // only when the result would not parse, to find the fixes to leave out.
    const all = applyEditsTo(current, candidates.flatMap((candidate) => candidate.edits));
    let taken: TextEdit[] = [];
    if (options.parses(all)) {
      taken = candidates.flatMap((candidate) => candidate.edits);
      for (const candidate of candidates) applied.push({ ruleId: candidate.ruleId, title: candidate.title });
    } else {
      for (const candidate of candidates) {
        if (!options.parses(applyEditsTo(current, [...taken, ...candidate.edits]))) {
          rejectedKeys.add(candidate.key);
          rejected.push({ ruleId: candidate.ruleId, title: candidate.title });
          continue;
        }
        taken.push(...candidate.edits);
        applied.push({ ruleId: candidate.ruleId, title: candidate.title });
      }
    }
    if (taken.length === 0) break;
    current = applyEditsTo(current, taken);
    passes++;
  }
  return { text: current, applied, rejected, passes };
}
