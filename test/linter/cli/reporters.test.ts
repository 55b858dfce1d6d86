import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '@retrylint/shared';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { FileResult, ResultMessage } from '../../../linter/src/cli/results.js';
import { escapeData, escapeProperty, formatGithub } from '../../../linter/src/reporters/github.js';
import { formatters, type ReportContext } from '../../../linter/src/reporters/index.js';
import { FINGERPRINT_KEY } from '../../../linter/src/reporters/sarif.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The OASIS SARIF 2.1.0 schema, kept in the repository as test data (see test/data/README.md). */
const SARIF_SCHEMA_PATH = path.join(repoRoot, 'test/data/sarif-schema-2.1.0.json');

const cwd = path.resolve('/repo');
const context: ReportContext = {
  cwd,
  color: false,
  toolVersion: '1.2.3',
  ruleDoc: (id) => (id === 'bounded-attempts' ? '# bounded-attempts\n\n## What it does\n\nStops endless\nretrying.\n\n## Why is this bad?\n\nLoad.\n' : undefined),
};

function message(overrides: Partial<ResultMessage>): ResultMessage {
  return {
    ruleId: 'bounded-attempts',
    messageId: 'unbounded',
    severity: 2,
    message: 'Retries without a limit: nothing stops the attempts (limit 5).',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 15,
    lineText: 'while True:',
    ...overrides,
  };
}

function result(file: string, messages: ResultMessage[]): FileResult {
  return { filePath: path.join(cwd, file), messages, parsed: true, timings: { readMs: 0, lintMs: 0, fixMs: 0 }, fixesApplied: 0 };
}

const results: FileResult[] = [
  result('src/client.py', [
    message({ fix: { range: [40, 44], text: '5' } }),
    message({ ruleId: 'require-jitter', messageId: 'noJitter', severity: 1, message: 'No jitter, "50%" of the time', line: 9, endLine: 9, lineText: 'time.sleep(2 ** n)', suggestions: [{ desc: 'Add full jitter', fix: { range: [90, 96], text: 'random.uniform(0, 2 ** n)' } }] }),
  ]),
  result('src/clean.ts', []),
  result('src/broken.py', [message({ ruleId: null, messageId: undefined, fatal: true, message: 'Parsing error: unexpected token', line: 1, column: 1, endLine: 1, endColumn: 2, lineText: 'def (' })]),
];

describe('json formatter', () => {
  it("has ESLint's shape: every file, bare rule ids, counts, fix and suggestions", () => {
    const parsed = JSON.parse(formatters.json(results, context));
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual({
      filePath: path.join(cwd, 'src/client.py'),
      messages: [
        { ruleId: 'bounded-attempts', severity: 2, message: results[0].messages[0].message, messageId: 'unbounded', line: 3, column: 5, endLine: 3, endColumn: 15, fix: { range: [40, 44], text: '5' } },
        {
          ruleId: 'require-jitter',
          severity: 1,
          message: 'No jitter, "50%" of the time',
          messageId: 'noJitter',
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 15,
          suggestions: [{ desc: 'Add full jitter', fix: { range: [90, 96], text: 'random.uniform(0, 2 ** n)' } }],
        },
      ],
      errorCount: 1,
      warningCount: 1,
      fixableErrorCount: 1,
      fixableWarningCount: 0,
    });
    expect(parsed[1]).toMatchObject({ messages: [], errorCount: 0 });
    expect(parsed[2].messages[0]).toMatchObject({ ruleId: null, fatal: true, severity: 2 });
  });

  it('shows a fix with edits in another file under that file\'s path, beside the ESLint fields', () => {
    const clientFile = path.join(cwd, 'src/llm/client.ts');
    const slot = { name: 'maxRetries', style: 'object-property', unit: 'retries', container: { start: 10, end: 20, line: 1, column: 11, endLine: 1, endColumn: 21 }, file: clientFile } as const;
    const crossFileFix = {
      desc: 'Switch off the client\'s own retries where it is built (src/llm/client.ts:5): maxRetries = 0',
      fix: { title: 'Switch off', applicability: 'unsafe' as const, intents: [{ kind: 'set-option' as const, slot, value: 1 }] },
      files: [{ filePath: clientFile, edits: [{ range: [19, 19] as const, text: ', maxRetries: 0' }] }],
    };
    const withFix = result('src/jobs/summarise.ts', [message({ ruleId: 'no-nested-retries', messageId: 'clientRetriesThrough', unsafeFix: true, crossFileFix })]);
    const notRendered = result('src/jobs/other.ts', [message({ ruleId: 'no-nested-retries', crossFileFix: { desc: 'x', fix: crossFileFix.fix } })]);
    const [parsed, other] = JSON.parse(formatters.json([withFix, notRendered], context));
    expect(parsed.messages[0].crossFileFix).toEqual({ desc: crossFileFix.desc, files: [{ filePath: clientFile, edits: [{ range: [19, 19], text: ', maxRetries: 0' }] }] });
    // Not an ESLint fix of this file: neither `fix` nor a suggestion, and not counted as fixable by --fix.
    expect(parsed.messages[0]).not.toHaveProperty('fix');
    expect(parsed.messages[0]).not.toHaveProperty('suggestions');
    expect(parsed).toMatchObject({ errorCount: 1, fixableErrorCount: 0 });
    expect(other.messages[0]).not.toHaveProperty('crossFileFix');
  });
});

describe('stylish formatter', () => {
  it('groups by file and ends with the summary and fixable lines', () => {
    const output = formatters.stylish(results, context);
    expect(output).toContain('src/client.py\n  3:5  error    Retries without a limit');
    expect(output).not.toContain('src/clean.ts');
    expect(output).toContain('\u2716 3 problems (2 errors, 1 warning)');
    expect(output).toContain('1 error and 0 warnings potentially fixable with the `--fix` option.');
    expect(output).not.toContain('\u001b[');
    expect(formatters.stylish(results, { ...context, color: true })).toContain('\u001b[31m');
  });

  it('prints nothing when there are no problems', () => {
    expect(formatters.stylish([result('a.py', [])], context)).toBe('');
  });
});

describe('github formatter', () => {
  it('escapes data and properties as workflow commands require', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('prints one annotation per problem with the position and the rule in the title', () => {
    const lines = formatGithub(results, context).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=src/client.py,line=3,col=5,endLine=3,endColumn=15,title=retrylint(bounded-attempts)::Retries without a limit: nothing stops the attempts (limit 5).',
    );
    expect(lines[1]).toMatch(/^::warning file=src\/client\.py,line=9,.*title=retrylint\(require-jitter\)::No jitter, "50%25" of the time$/);
    expect(lines).toHaveLength(3);
  });
});

describe('sarif formatter', () => {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatters.sarif(results, context));
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(validate(JSON.parse(formatters.sarif([], context)))).toBe(true);
  });

  it('describes every rule with help from its doc page and points results at them', () => {
    const run = JSON.parse(formatters.sarif(results, context)).runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'retrylint', version: '1.2.3' });
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(rules.map((rule) => rule.meta.id));
    const index = rules.findIndex((rule) => rule.meta.id === 'bounded-attempts');
    const described = run.tool.driver.rules[index];
    expect(described.fullDescription.text).toBe('Stops endless retrying.');
    expect(described.help.markdown).toContain('## Why is this bad?');
    expect(described.defaultConfiguration.level).toBe('error');
    expect(run.results[0]).toMatchObject({
      ruleId: 'bounded-attempts',
      ruleIndex: index,
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/client.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 15 } } }],
    });
    expect(run.results[1].level).toBe('warning');
    // The parse error is not a rule result.
    expect(run.results).toHaveLength(2);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(1);
  });

  it('fingerprints by rule, file and line text, not by line number', () => {
    const fingerprintOf = (file: FileResult) => JSON.parse(formatters.sarif([file], context)).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    const original = fingerprintOf(result('a.py', [message({ line: 3, endLine: 3 })]));
    expect(fingerprintOf(result('a.py', [message({ line: 30, endLine: 30 })]))).toBe(original);
    expect(fingerprintOf(result('b.py', [message({})]))).not.toBe(original);
    expect(fingerprintOf(result('a.py', [message({ lineText: 'while running:' })]))).not.toBe(original);
    const twice = JSON.parse(formatters.sarif([result('a.py', [message({}), message({ line: 9, endLine: 9 })])], context)).runs[0].results;
    expect(twice[0].partialFingerprints[FINGERPRINT_KEY]).not.toBe(twice[1].partialFingerprints[FINGERPRINT_KEY]);
  });
});
