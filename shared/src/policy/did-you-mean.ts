/**
 * "did you mean …?" for misspelt names: the closest candidate by edit distance, when it is
 * close enough to be a likely typo rather than a different word.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

/** Longer input than any name we suggest for is not a typo; also bounds the work. */
const MAX_COMPARED_LENGTH = 64;

/**
 * The candidate closest to `word` (case and `-`/`_` insensitive), or undefined when none is
 * within a third of the word's length (1 to 3 edits; none for words under 3 letters). A word that extends a
 * candidate (`warning` for `warn`) counts as one edit away.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return undefined;
  const normalise = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const target = normalise(word);
  // Any one- or two-letter word is one edit from many: only case or separator slips count.
  const allowed = word.length < 3 ? 0 : Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const normalised = normalise(candidate);
    const extendsOther = Math.min(target.length, normalised.length) >= 3 && (target.startsWith(normalised) || normalised.startsWith(target));
    const distance = extendsOther ? Math.min(1, editDistance(target, normalised)) : editDistance(target, normalised);
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean ${JSON.stringify(match)}?`;
}
