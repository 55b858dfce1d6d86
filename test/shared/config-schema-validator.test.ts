import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { formatConfigProblem, formatJsonPath, parseConfigText, rules, type JsonSchema } from '@retrylint/shared';
import { INVALID, SchemaValidator, type SchemaIssue } from '../../shared/src/policy/schema-validator.js';

function check(schema: JsonSchema, text: string): { value: unknown; issues: string[] } {
  const root = parseTree(text);
  if (!root) throw new Error('not JSON');
  const issues: SchemaIssue[] = [];
  const value = new SchemaValidator(schema, text).validate(root, schema, [], issues);
  return { value, issues: issues.map((issue) => `${issue.node.offset} ${formatJsonPath(issue.path)}: ${issue.message}`) };
}

describe('SchemaValidator', () => {
  it('hands a subschema with keywords it does not walk to ajv, keeping paths and positions', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'string', pattern: '^[a-z]+$' }, mode: { enum: ['a', 'b'] } },
      additionalProperties: false,
    };
    expect(check(schema, '{"name": "ok", "mode": "a"}')).toEqual({ value: { name: 'ok', mode: 'a' }, issues: [] });
    const { value, issues } = check(schema, '{"name": "Not OK", "mode": "c", "nmae": 1}');
    expect(value).toEqual({});
    expect(issues).toEqual([
      '9 name: must match pattern "^[a-z]+$", found "Not OK"',
      '27 mode: expected one of "a", "b", found "c"',
      '32 nmae: unknown key; did you mean "name"?',
    ]);
  });

  it('reports an unknown key found by ajv at the key, with a did-you-mean', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false, minProperties: 1 };
    expect(check(schema, '{"name": "x"}').issues).toEqual([]);
    expect(check(schema, '{ "nmae": "x"}')).toEqual({ value: INVALID, issues: ['2 nmae: unknown key; did you mean "name"?'] });
  });

  it('marks a value that fails as a whole', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    expect(check(schema, '{"name": 1}').value).toBe(INVALID);
    expect(check(schema, '{}')).toEqual({ value: INVALID, issues: ['0 : missing required key "name"'] });
  });

  it('picks the alternative of the value\'s kind and reports its problems', () => {
    const schema: JsonSchema = {
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'integer' } }],
    };
    expect(check(schema, '[1, "x", 3]').issues).toEqual(['4 [1]: expected an integer, found "x"']);
    expect(check(schema, '""').issues).toEqual(['0 : expected a non-empty string, found ""']);
    expect(check(schema, 'true').issues).toEqual(['0 : expected a non-empty string or an array, found true']);
  });
});

describe('rule options from the registry', () => {
  const withOptions = rules.filter((rule) => rule.meta.optionsSchema !== undefined);

  it('every rule accepts its own default options', () => {
    for (const rule of withOptions) {
      const text = JSON.stringify({ rules: { [rule.meta.id]: ['warn', rule.defaultOptions] } });
      expect(parseConfigText(text, 'c.json').problems.map(formatConfigProblem), rule.meta.id).toEqual([]);
    }
  });

  it('a misspelt option of a rule gets a did-you-mean', () => {
    for (const rule of withOptions) {
      const option = Object.keys((rule.meta.optionsSchema?.properties ?? {}) as object)[0];
      if (option === undefined || option.length < 6) continue;
      const misspelt = option.slice(0, -1);
      const { problems } = parseConfigText(JSON.stringify({ rules: { [rule.meta.id]: ['warn', { [misspelt]: 1 }] } }), 'c.json');
      expect(problems.map((problem) => problem.message), rule.meta.id).toContain(
        `unknown rule option; did you mean ${JSON.stringify(option)}?`,
      );
    }
  });
});
