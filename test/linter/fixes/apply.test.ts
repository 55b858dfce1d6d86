import { LineIndex, type Finding, type Fix } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';
import { applyFixes, MAX_FIX_PASSES } from '../../../linter/src/fixes/apply.js';
import { frontendFor } from '../../../linter/src/frontends/index.js';

/** A finding carrying a given fix, at the fix's first target. */
function findingWith(text: string, ruleId: string, fix: Fix): Finding {
  const index = new LineIndex(text);
  return { ruleId, messageId: 'm', message: 'm', severity: 'error', span: index.span(0, 1), fix, siteId: 's' };
}

function replaceFix(text: string, needle: string, replacement: string, applicability: Fix['applicability'] = 'safe'): Fix {
  const start = text.indexOf(needle);
  const span = new LineIndex(text).span(start, start + needle.length);
  return { title: `replace ${needle}`, applicability, intents: [{ kind: 'replace', span, text: replacement }] };
}

describe('applyFixes', async () => {
  const python = await frontendFor('python');
  const parses = (text: string) => python.parses(text, 'a.py');

  it('keeps a fix only if the result still parses', async () => {
    const text = 'def f():\n    return call(1)\n';
    const outcome = await applyFixes(text, {
      language: 'python',
      unsafe: false,
      parses,
      lint: (current) => [
        findingWith(current, 'broken', replaceFix(current, 'f()', 'f(')),
        ...(current.includes('call(1)') ? [findingWith(current, 'good', replaceFix(current, 'call(1)', 'call(2)'))] : []),
      ],
    });
    expect(outcome.text).toBe('def f():\n    return call(2)\n');
    expect(outcome.applied.map((fix) => fix.ruleId)).toEqual(['good']);
    expect(outcome.rejected.map((fix) => fix.ruleId)).toEqual(['broken']);
  });

  it('applies unsafe fixes only when asked', async () => {
    const text = 'x = requests.get(url)\n';
    const lint = (current: string) =>
      current.includes('timeout') ? [] : [findingWith(current, 'r', replaceFix(current, 'url)', 'url, timeout=5)', 'unsafe'))];
    expect((await applyFixes(text, { language: 'python', unsafe: false, parses, lint })).text).toBe(text);
    expect((await applyFixes(text, { language: 'python', unsafe: true, parses, lint })).text).toBe('x = requests.get(url, timeout=5)\n');
  });

  it('adds a shared import once when two fixes in one pass need it', async () => {
    const text = 'import time\n\ntime.sleep(2 ** a)\ntime.sleep(2 ** b)\n';
    const jitter = (current: string, needle: string): Fix => {
      const start = current.indexOf(needle);
      return {
        title: 'jitter',
        applicability: 'safe',
        intents: [{ kind: 'full-jitter-expression', expression: new LineIndex(current).span(start, start + needle.length) }],
      };
    };
    const outcome = await applyFixes(text, {
      language: 'python',
      unsafe: false,
      parses,
      lint: (current) =>
        ['2 ** a', '2 ** b']
          .filter((needle) => current.includes(`(${needle})`))
          .map((needle) => findingWith(current, 'require-jitter', jitter(current, needle))),
    });
    expect(outcome.text).toBe('import time\nimport random\n\ntime.sleep(random.uniform(0, 2 ** a))\ntime.sleep(random.uniform(0, 2 ** b))\n');
    expect(outcome.passes).toBe(2);
  });

  it('stops after a bounded number of passes when a fix never settles', async () => {
    let calls = 0;
    const outcome = await applyFixes('x = 1\n', {
      language: 'python',
      unsafe: false,
      parses,
      lint: (current) => {
        calls++;
        return [findingWith(current, 'grow', replaceFix(current, '1', '11'))];
      },
    });
    expect(outcome.passes).toBe(MAX_FIX_PASSES);
    expect(calls).toBe(MAX_FIX_PASSES);
  });

  it('does not count a fix that changes nothing', async () => {
    const outcome = await applyFixes('x = 1\n', {
      language: 'python',
      unsafe: false,
      parses,
      lint: (current) => [findingWith(current, 'same', replaceFix(current, '1', '1'))],
    });
    expect(outcome).toMatchObject({ text: 'x = 1\n', passes: 0, applied: [] });
  });
});
