import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, formatConfigProblem, formatJsonPath, parseConfigText, type ConfigProblem } from '@retrylint/shared';

const FILE = 'retrylint.config.json';

function lines(...rows: string[]): string {
  return rows.join('\n');
}

function problemsOf(text: string): string[] {
  return parseConfigText(text, FILE).problems.map(formatConfigProblem);
}

function onlyProblem(text: string): ConfigProblem {
  const { problems } = parseConfigText(text, FILE);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe('parseConfigText: valid JSONC', () => {
  it('accepts comments and trailing commas', () => {
    const text = lines(
      '{',
      '  // the profile',
      '  "profile": "bulk", /* block */',
      '  "policy": { "maxAttempts": 3, "retryableStatuses": [429, 503,], },',
      '  "rules": { "require-jitter": "off", "bounded-attempts": ["warn", {}], },',
      '  "overrides": [{ "files": "src/db/**", "profile": "db-failover" }],',
      '}',
    );
    expect(parseConfigText(text, FILE)).toEqual({
      config: {
        profile: 'bulk',
        policy: { maxAttempts: 3, retryableStatuses: [429, 503] },
        rules: { 'require-jitter': 'off', 'bounded-attempts': ['warn', {}] },
        overrides: [{ files: 'src/db/**', profile: 'db-failover' }],
      },
      problems: [],
    });
  });

  it('accepts extends as a preset, a relative path, or a list of both', () => {
    expect(problemsOf('{ "extends": "retrylint:strict" }')).toEqual([]);
    expect(problemsOf('{ "extends": ["retrylint:recommended", "../base.json"] }')).toEqual([]);
  });

  it('counts columns after a byte order mark as an editor does', () => {
    const problem = onlyProblem('\uFEFF{"profile": 1}');
    expect([problem.line, problem.column]).toEqual([1, 13]);
  });
});

describe('parseConfigText: problems name file, path, line, column, expected and found', () => {
  it('a wrong type', () => {
    const text = lines('{', '  "policy": {', '    "maxAttempts": "five"', '  }', '}');
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:3:20 policy.maxAttempts: expected an integer >= 1, found "five"',
    ]);
    const problem = onlyProblem(text);
    expect(problem).toMatchObject({ file: FILE, path: 'policy.maxAttempts', line: 3, column: 20 });
    expect(problem.span).toMatchObject({ line: 3, column: 20, endLine: 3, endColumn: 26 });
  });

  it('numbers out of range, as written', () => {
    expect(problemsOf('{"policy": {"maxAttempts": 0, "maxDelayMs": 1.5, "maxTotalMs": 1e400}}')).toEqual([
      'retrylint.config.json:1:28 policy.maxAttempts: expected an integer >= 1, found 0',
      'retrylint.config.json:1:45 policy.maxDelayMs: expected an integer >= 0, found 1.5',
      'retrylint.config.json:1:64 policy.maxTotalMs: expected an integer >= 1, found 1e400',
    ]);
  });

  it('array items: each bad status at its index, duplicates too', () => {
    const text = lines('{ "policy": {', '  "retryableStatuses": [429, 700, 429]', '} }');
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:2:30 policy.retryableStatuses[1]: expected an integer between 100 and 599, found 700',
      'retrylint.config.json:2:35 policy.retryableStatuses[2]: duplicate value 429',
    ]);
  });

  it('an unknown rule, with a did-you-mean', () => {
    const text = lines('{', '  "rules": {', '    "bounded-atempts": "warn"', '  }', '}');
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:3:5 rules["bounded-atempts"]: unknown rule; did you mean "bounded-attempts"?',
    ]);
  });

  it('an unknown rule with nothing close: no guess', () => {
    expect(onlyProblem('{"rules": {"max-everything": "warn"}}').message).toBe('unknown rule');
  });

  it('unknown keys at the top, in policy and in an override', () => {
    const text = lines(
      '{',
      '  "polcy": {},',
      '  "policy": { "maxAttempt": 3 },',
      '  "overrides": [{ "files": "a/**", "profle": "bulk" }]',
      '}',
    );
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:2:3 polcy: unknown key; did you mean "policy"?',
      'retrylint.config.json:3:15 policy.maxAttempt: unknown policy option; did you mean "maxAttempts"?',
      'retrylint.config.json:4:36 overrides[0].profle: unknown key; did you mean "profile"?',
    ]);
  });

  it('an unknown profile, at the top and in an override', () => {
    expect(problemsOf('{"profile": "ai_api", "overrides": [{"files": "x", "profile": "db-failovr"}]}')).toEqual([
      'retrylint.config.json:1:13 profile: expected one of "ai-api", "rate-limit-window", "network-blip", "db-failover", "streaming", "bulk", found "ai_api"; did you mean "ai-api"?',
      'retrylint.config.json:1:63 overrides[0].profile: expected one of "ai-api", "rate-limit-window", "network-blip", "db-failover", "streaming", "bulk", found "db-failovr"; did you mean "db-failover"?',
    ]);
  });

  it('rule settings: a misspelt severity, a wrong kind, an empty or too long array', () => {
    const text = lines(
      '{ "rules": {',
      '  "require-jitter": "warning",',
      '  "require-timeout": 2,',
      '  "bounded-delay": [],',
      '  "no-stream-retry": ["warn", {}, 1],',
      '  "no-catch-all-retry": ["eror"]',
      '} }',
    );
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:2:21 rules["require-jitter"]: expected one of "off", "warn", "error", found "warning"; did you mean "warn"?',
      'retrylint.config.json:3:22 rules["require-timeout"]: expected one of "off", "warn", "error" or an array [severity, options], found 2',
      'retrylint.config.json:4:20 rules["bounded-delay"]: expected an array [severity, options] with at least 1 item, found an empty array',
      'retrylint.config.json:5:35 rules["no-stream-retry"][2]: unexpected item: expected at most 2 items',
      'retrylint.config.json:6:26 rules["no-catch-all-retry"][0]: expected one of "off", "warn", "error", found "eror"; did you mean "error"?',
    ]);
  });

  it('rule options are checked against the rule: unknown names are errors', () => {
    const problem = onlyProblem('{"rules": {"bounded-attempts": ["warn", {"notAnOption": 1}]}}');
    expect(problem.path).toBe('rules["bounded-attempts"][1].notAnOption');
    expect(problem.column).toBe(42);
    expect(problem.message).toMatch(/^unknown rule option/);
  });

  it('an override without files, with empty files, and with a typo for files (reported once)', () => {
    const text = lines(
      '{ "overrides": [',
      '  { "profile": "bulk" },',
      '  { "files": [] },',
      '  { "file": "db/**" }',
      '] }',
    );
    expect(problemsOf(text)).toEqual([
      'retrylint.config.json:2:3 overrides[0]: missing required key "files"',
      'retrylint.config.json:3:14 overrides[1].files: expected an array with at least 1 item, found an empty array',
      'retrylint.config.json:4:5 overrides[2].file: unknown key; did you mean "files"?',
    ]);
  });

  it('an unknown preset, with a did-you-mean or the list of presets', () => {
    expect(problemsOf('{"extends": ["retrylint:strct", "./base.json", "retrylint:all"]}')).toEqual([
      'retrylint.config.json:1:14 extends[0]: unknown preset "retrylint:strct"; did you mean "retrylint:strict"?',
      'retrylint.config.json:1:48 extends[2]: unknown preset "retrylint:all"; the presets are "retrylint:recommended" and "retrylint:strict"',
    ]);
    expect(problemsOf('{"extends": "retrylint:recomended"}')).toEqual([
      'retrylint.config.json:1:13 extends: unknown preset "retrylint:recomended"; did you mean "retrylint:recommended"?',
    ]);
  });

  it('a duplicate key', () => {
    expect(problemsOf('{"profile": "bulk", "profile": "ai-api"}')).toEqual([
      'retrylint.config.json:1:21 profile: duplicate key "profile"',
    ]);
  });

  it('keeps the valid parts of a config with problems, and leaves the invalid ones out', () => {
    const text = '{"profile": "bulk", "policy": {"maxAttempts": "x", "maxDelayMs": 1000}, "rules": {"nope": "off", "require-jitter": "off"}, "overrides": [{"profile": "bulk"}]}';
    const parsed = parseConfigText(text, FILE);
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.config).toEqual({
      profile: 'bulk',
      policy: { maxDelayMs: 1000 },
      rules: { 'require-jitter': 'off' },
      overrides: [],
    });
  });

  it('sorts problems by position', () => {
    const positions = parseConfigText('{"b": 1, "policy": {"maxAttempts": 0}, "a": 2}', FILE).problems.map((p) => p.column);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });
});

describe('parseConfigText: not a config at all', () => {
  it('JSON syntax errors with line and column, and no config', () => {
    const parsed = parseConfigText(lines('{', '  "profile": "bulk"', '  "policy": {}', '}'), FILE);
    expect(parsed.config).toBeUndefined();
    expect(parsed.problems.map(formatConfigProblem)).toEqual([
      'retrylint.config.json:3:3 JSON syntax error: expected ",", found "\\"policy\\""',
    ]);
  });

  it('an unterminated comment', () => {
    expect(problemsOf('{"a": 1 /* x')).toEqual([
      'retrylint.config.json:1:9 JSON syntax error: unterminated comment, found "/* x"',
      'retrylint.config.json:1:13 JSON syntax error: expected "}", found the end of the file',
    ]);
  });

  it('an empty file, only whitespace, only a comment', () => {
    for (const text of ['', '  \n', '// nothing']) {
      const { config, problems } = parseConfigText(text, FILE);
      expect(config).toBeUndefined();
      expect(problems.map((problem) => problem.message)).toEqual(['expected an object, found nothing (the file is empty)']);
    }
  });

  it('JSON that is not an object', () => {
    expect(problemsOf('[]')).toEqual(['retrylint.config.json:1:1 expected an object, found an empty array']);
    expect(problemsOf('null')).toEqual(['retrylint.config.json:1:1 expected an object, found null']);
    expect(problemsOf('\n"retrylint"')).toEqual(['retrylint.config.json:2:1 expected an object, found "retrylint"']);
  });

  it('binary input: a few syntax problems, not one per byte', () => {
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const { config, problems } = parseConfigText(binary, FILE);
    expect(config).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(10);
  });

  it('a __proto__ key is an unknown rule, not a prototype', () => {
    const { config, problems } = parseConfigText('{"rules": {"__proto__": "warn"}, "__proto__": {"polluted": 1}}', FILE);
    expect(problems.map((problem) => problem.path)).toEqual(['rules.__proto__', '__proto__']);
    expect(Object.getPrototypeOf(config?.rules)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const wellFormed = (problem: ConfigProblem) =>
    problem.file === FILE && problem.line >= 1 && problem.column >= 1 && problem.message.length > 0;

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const { problems } = parseConfigText(text, FILE);
        expect(problems.every(wellFormed)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any JSON value, also under the config keys', () => {
    const underConfigKeys = fc.record(
      {
        extends: fc.jsonValue(),
        profile: fc.jsonValue(),
        policy: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('maxAttempts', 'jitter', 'retryableStatuses'), fc.jsonValue())),
        rules: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('bounded-attempts', 'require-jitter'), fc.jsonValue())),
        overrides: fc.oneof(fc.jsonValue(), fc.array(fc.dictionary(fc.constantFrom('files', 'profile', 'rules'), fc.jsonValue()))),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), underConfigKeys), (value) => {
        const { config, problems } = parseConfigText(JSON.stringify(value) ?? 'null', FILE);
        expect(problems.every(wellFormed)).toBe(true);
        if (problems.length === 0) expect(config).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatJsonPath', () => {
  it('uses dots for names, brackets for indexes and other keys', () => {
    expect(formatJsonPath([])).toBe('');
    expect(formatJsonPath(['policy', 'maxAttempts'])).toBe('policy.maxAttempts');
    expect(formatJsonPath(['rules', 'bounded-attempts', 1])).toBe('rules["bounded-attempts"][1]');
    expect(formatJsonPath(['overrides', 0, 'files'])).toBe('overrides[0].files');
    expect(formatJsonPath(['$schema'])).toBe('$schema');
  });
});

describe('closestMatch', () => {
  const names = ['bounded-attempts', 'bounded-delay', 'require-jitter', 'policy', 'warn', 'error', 'off'];

  it('finds typos: a missing letter, a swap, case, underscore for dash, a longer word', () => {
    expect(closestMatch('bounded-atempts', names)).toBe('bounded-attempts');
    expect(closestMatch('bounded-dealy', names)).toBe('bounded-delay');
    expect(closestMatch('Policy', names)).toBe('policy');
    expect(closestMatch('require_jitter', names)).toBe('require-jitter');
    expect(closestMatch('warning', names)).toBe('warn');
  });

  it('stays silent when nothing is close', () => {
    expect(closestMatch('retry', names)).toBeUndefined();
    expect(closestMatch('x', names)).toBeUndefined();
    expect(closestMatch('', names)).toBeUndefined();
    expect(closestMatch('c', ['a', 'b'])).toBeUndefined();
    expect(closestMatch('a'.repeat(10_000), names)).toBeUndefined();
  });
});
