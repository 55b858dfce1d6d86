// Scores the linter's findings against a manifest labelled by reading the code.
const LINE_TOLERANCE = 2;

function matches(entry, finding) {
  if (entry.rule !== finding.rule || entry.package !== finding.package || entry.file !== finding.file) return false;
  const [from, to] = entry.lines ?? [entry.line - LINE_TOLERANCE, entry.line + LINE_TOLERANCE];
  return finding.line >= from && finding.line <= to;
}

function reviewedFiles(manifest) {
  const files = new Set();
  for (const entry of [...manifest.expected, ...manifest.silent]) files.add(`${entry.package}\0${entry.file}`);
  return files;
}

/**
 * findings: { package, file, line, rule, message }[]. Every expected entry is matched by at most
 * one finding and every finding by at most one entry, so two findings on one line cannot both
 * count as true positives for a single labelled problem.
 */
export function score(manifest, findings) {
  const reviewed = reviewedFiles(manifest);
  const unmatchedEntries = new Set(manifest.expected);
  const truePositives = [];
  const falsePositives = [];
  const unreviewed = [];
  for (const finding of findings) {
    if (!reviewed.has(`${finding.package}\0${finding.file}`)) {
      unreviewed.push(finding);
      continue;
    }
    const entry = [...unmatchedEntries].find((candidate) => matches(candidate, finding));
    if (entry) {
      unmatchedEntries.delete(entry);
      truePositives.push({ finding, entry });
    } else if (manifest.expected.some((candidate) => matches(candidate, finding))) {
      // A second finding for a problem already counted: neither right nor wrong.
      continue;
    } else {
      falsePositives.push(finding);
    }
  }
  return { truePositives, falsePositives, falseNegatives: [...unmatchedEntries], unreviewed };
}

/** Per-rule counts and the totals, as rows { rule, tp, fp, fn, precision, recall }. */
export function tally(result) {
  const rows = new Map();
  const row = (rule) => {
    if (!rows.has(rule)) rows.set(rule, { rule, tp: 0, fp: 0, fn: 0 });
    return rows.get(rule);
  };
  for (const { entry } of result.truePositives) row(entry.rule).tp++;
  for (const finding of result.falsePositives) row(finding.rule).fp++;
  for (const entry of result.falseNegatives) row(entry.rule).fn++;
  const sorted = [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  const total = sorted.reduce((sum, r) => ({ rule: 'all rules', tp: sum.tp + r.tp, fp: sum.fp + r.fp, fn: sum.fn + r.fn }), { rule: 'all rules', tp: 0, fp: 0, fn: 0 });
  return [...sorted, total].map((r) => ({ ...r, precision: ratio(r.tp, r.tp + r.fp), recall: ratio(r.tp, r.tp + r.fn) }));
}

function ratio(part, whole) {
  return whole === 0 ? undefined : part / whole;
}
