import { describe, expect, it } from 'vitest';
import { mayContainRetryCode } from '../../../linter/src/cli/prefilter.js';
import { pythonCode, pythonCodeText } from '../../../linter/src/cli/python-code.js';

describe('pythonCodeText', () => {
  it('leaves out comments and docstrings, and keeps the code around them', () => {
    const text = ['"""Retries requests."""', 'import os  # sleep here', '', 'def f():', "    '''attempts'''", '    return os.sep', ''].join('\n');
    const code = pythonCodeText(text) ?? '';
    expect(code).not.toMatch(/Retries|sleep|attempts/);
    expect(code).toMatch(/import os/);
    expect(code).toMatch(/def f\(\):/);
    expect(code).toMatch(/return os\.sep/);
  });

  it('keeps strings that are part of code: arguments, headers, assignments, continued expressions', () => {
    for (const line of [
      "for _ in range(settings['retries']):",
      'x = "retries"',
      'f("retries")',
      '"retries" if a else b',
      '"retries".upper()',
      '"%s retries" % n',
      '"a" \\\n  .join(retries)',
      'if ok: "retries"',
      '(\n  "retries"\n)',
    ]) {
      expect(pythonCodeText(`${line}\n`), line).toMatch(/retries/);
    }
  });

  it('leaves out a string statement made of several literals, with prefixes, after a semicolon', () => {
    for (const line of ['"a" "retries"', 'rb"retries"', "F'retries'", 'x = 1; "retries"', '"""multi\nline retries"""  # done']) {
      expect(pythonCodeText(`${line}\nok = 1\n`), line).not.toMatch(/retries/);
    }
  });

  it('does not take a # or a quote inside a string for a comment or a string end', () => {
    expect(pythonCodeText('x = "# not a comment"; sleep()\n')).toMatch(/sleep\(\)/);
    expect(pythonCodeText("x = '\\' # still a string'; sleep()\n")).toMatch(/sleep\(\)/);
    expect(pythonCodeText('x = """ " \'\'\' """; sleep()\n')).toMatch(/sleep\(\)/);
  });

  it('gives up (undefined) when it loses track, so the prefilter reads the whole text', () => {
    expect(pythonCodeText('x = "unterminated\nsleep()\n')).toBeUndefined();
    expect(pythonCodeText('f(\n')).toBeUndefined();
    expect(pythonCodeText('x = )\n')).toBeUndefined();
    expect(mayContainRetryCode('x = "unterminated\n# sleep\n', 'python')).toBe(true);
  });
});

describe('pythonCode', () => {
  it('blanks out what it leaves out, so offsets, lines and indentation stay those of the file', () => {
    const text = ['def f():  # a note', "    '''Docs", "over lines.'''", '    return 1 \\', '        + 2', ''].join('\r\n');
    const code = pythonCode(text);
    expect(code?.text).toHaveLength(text.length);
    expect(code?.text.split('\r\n').map((line) => line.trimEnd())).toEqual(['def f():', '', '', `    return 1${' '.repeat(12)}+ 2`, '']);
  });

  it('keeps non-ASCII text in place', () => {
    const text = 'x = "café"  # déjà\ny = 1\n';
    expect(pythonCode(text)?.text).toBe('x = "café"        \ny = 1\n');
  });

  it('starts logical lines outside brackets, strings and continuations only', () => {
    const text = ['a = f(', '  1)', "b = '''", 'c = 2', "'''", 'd = 1 + \\', '  2', 'e = 3', ''].join('\n');
    const starts = pythonCode(text)?.lineStarts.map((start) => text.slice(start, start + 5));
    expect(starts).toEqual(['a = f', "b = '", 'd = 1', 'e = 3', '']);
  });
});

describe('the Python prefilter reads code only', () => {
  it('drops a file that speaks of retries only in its comments and docstrings', () => {
    const text = ['"""A client for the API: see requests, retries and backoff."""', 'import json', '', 'def load(text):', '    """Attempts to parse; never sleeps."""', '    return json.loads(text)  # retry? no', ''].join('\n');
    expect(mayContainRetryCode(text, 'python')).toBe(false);
  });

  it('keeps a file whose code imports an HTTP client or sleeps', () => {
    expect(mayContainRetryCode('"""Docs."""\nimport requests\n', 'python')).toBe(true);
    expect(mayContainRetryCode('"""Docs."""\nfrom time import sleep as pause\nwhile True:\n    try:\n        break\n    except Exception:\n        pause(1)\n', 'python')).toBe(true);
  });
});
