/** Lab server scenario files: what they compose, and where each problem is reported. */
import { describe, expect, it } from 'vitest';
import { formatConfigProblem } from '@retrylint/shared';
import { parseLabScenarioText } from '../../../linter/src/lab/scenario-file.js';

const problems = (text: string) => parseLabScenarioText(text, 'outage.json').problems.map(formatConfigProblem);

describe('lab scenario files', () => {
  it('read steps, options, comments and repeat; the name defaults to the file name', () => {
    const parsed = parseLabScenarioText(
      `{
        // five 503s, then a rate limit, then calm
        "steps": [
          { "scenario": "server-errors", "status": 503, "errors": 1, "period": 1, "requests": 5 },
          { "scenario": "rate-limit", "windowMs": 1000, "limit": 10, "retryAfter": "date", "requests": 20 },
          { "scenario": "mixed", "mix": [{ "scenario": "ok", "weight": 3 }, { "scenario": "hang", "weight": 1 }] },
        ],
      }`,
      'outage.json',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.scenario).toEqual({
      name: 'outage',
      steps: [
        { scenario: 'server-errors', status: 503, errors: 1, period: 1, requests: 5 },
        { scenario: 'rate-limit', windowMs: 1000, limit: 10, retryAfter: 'date', requests: 20 },
        { scenario: 'mixed', mix: [{ scenario: 'ok', weight: 3 }, { scenario: 'hang', weight: 1 }] },
      ],
    });
  });

  it('an unknown scenario: its place and the closest name', () => {
    expect(problems('{\n  "steps": [\n    { "scenario": "rate-limt" }\n  ]\n}')).toEqual([
      'outage.json:3:19 steps[0].scenario: expected "scenario" to be one of ok, rate-limit, window-head, server-errors, slow-first-byte, hang, stream-cut, wrong-key, context-length, insufficient-quota, mixed, found "rate-limt"; did you mean "rate-limit"?',
    ]);
  });

  it("an option the step's scenario does not have, and a value of the wrong type", () => {
    const found = problems('{ "steps": [{ "scenario": "hang", "delayMs": 5 }, { "scenario": "rate-limit", "limit": "ten" }] }');
    expect(found).toHaveLength(2);
    expect(found[0]).toBe('outage.json:1:35 steps[0].delayMs: unknown key');
    expect(found[1]).toBe('outage.json:1:88 steps[1].limit: expected an integer >= 0, found "ten"');
  });

  it('a step without "scenario", and a mix entry without a weight or with "mixed" in it', () => {
    const found = problems('{ "steps": [{ "requests": 2 }, { "scenario": "mixed", "mix": [{ "scenario": "ok" }, { "scenario": "mixed", "weight": 1 }] }] }');
    expect(found).toEqual([
      expect.stringMatching(/^outage\.json:1:13 steps\[0\]\.scenario: expected "scenario" to be one of .* \(missing\)$/),
      expect.stringMatching(/^outage\.json:1:63 steps\[1\]\.mix\[0\]: expected a "weight"/),
      expect.stringMatching(/^outage\.json:1:99 steps\[1\]\.mix\[1\]\.scenario: expected "scenario" to be one of ok, .*insufficient-quota, found "mixed"$/),
    ]);
  });

  it('a step before the last without "requests", and every step of a repeating file', () => {
    expect(problems('{ "steps": [{ "scenario": "hang" }, { "scenario": "ok" }] }')).toEqual([
      'outage.json:1:13 steps[0]: expected "requests": only the last step may answer all remaining requests',
    ]);
    expect(problems('{ "repeat": true, "steps": [{ "scenario": "hang", "requests": 1 }, { "scenario": "ok" }] }')).toEqual([
      'outage.json:1:68 steps[1]: expected "requests": every step of a repeating scenario needs one',
    ]);
  });

  it('weights that are all 0', () => {
    expect(problems('{ "steps": [{ "scenario": "mixed", "mix": [{ "scenario": "ok", "weight": 0 }] }] }')).toEqual([
      'outage.json:1:43 steps[0].mix: expected at least one weight above 0',
    ]);
  });

  it('syntax errors, an empty file, no steps, unknown top-level keys', () => {
    expect(problems('{ "steps": [ }')[0]).toBe('outage.json:1:14 JSON syntax error: expected a value, found "}"');
    expect(problems('')).toEqual(['outage.json:1:1 expected an object, found nothing (the file is empty)']);
    expect(problems('{}')).toEqual(['outage.json:1:1 missing required key "steps"']);
    expect(problems('{ "steps": [{ "scenario": "ok" }], "stesp": 1 }')).toEqual(['outage.json:1:36 stesp: unknown key; did you mean "steps"?']);
  });
});
