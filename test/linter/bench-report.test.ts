import { describe, expect, it } from 'vitest';
import { updateSections } from '../../linter/bench/report.mjs';

const doc = `# Performance

<!-- bench:scaling -->
old curve
<!-- /bench:scaling -->

## Language server latency

written by hand
`;

describe('the benchmark writing docs/performance.md', () => {
  it('replaces only its own section and keeps the sections others wrote', () => {
    const updated = updateSections(doc, { scaling: '## Scaling\n\nnew curve' });
    expect(updated).toContain('new curve');
    expect(updated).not.toContain('old curve');
    expect(updated).toContain('## Language server latency\n\nwritten by hand\n');
    expect(updated.indexOf('new curve')).toBeLessThan(updated.indexOf('## Language server latency'));
  });

  it('appends a section the file does not have yet, and rewrites it in place the next time', () => {
    const once = updateSections(doc, { speed: '## Speed\n\nfirst' });
    expect(once.trimEnd().endsWith('<!-- /bench:speed -->')).toBe(true);
    const twice = updateSections(once, { speed: '## Speed\n\nsecond' });
    expect(twice).toContain('second');
    expect(twice).not.toContain('first');
    expect(twice.match(/<!-- bench:speed -->/g)).toHaveLength(1);
  });
});
