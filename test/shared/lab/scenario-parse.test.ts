import { builtInScenario, formatConfigProblem, parseScenarioText } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';

function problems(text: string): string[] {
  return parseScenarioText(text, 'lab.json').problems.map(formatConfigProblem);
}

describe('parseScenarioText', () => {
  it('starts from the built-in it extends and changes only what the file names', () => {
    const text = `{
      // fewer, faster requests
      "extends": "thundering-herd",
      "name": "small-herd",
      "requests": 800,
      "server": { "outages": [{ "fromMs": 1000, "toMs": 1500, "status": 502 }] },
    }`;
    const { scenario, problems: found } = parseScenarioText(text, 'lab.json');
    expect(found).toEqual([]);
    const herd = builtInScenario('thundering-herd')!;
    expect(scenario).toEqual({
      ...herd,
      name: 'small-herd',
      requests: 800,
      server: { ...herd.server, outages: [{ fromMs: 1000, toMs: 1500, status: 502 }] },
    });
  });

  it('names a file without a name or extends after the file', () => {
    const { scenario } = parseScenarioText('{ "requests": 10 }', 'mine.json');
    expect(scenario?.name).toBe('mine.json');
    expect(scenario?.requests).toBe(10);
  });

  it('reports each problem with its line, column, path and what was expected', () => {
    const text = ['{', '  "requests": "many",', '  "server": { "errorRate": 2, "latncy": {} }', '}'].join('\n');
    expect(problems(text)).toEqual([
      'lab.json:2:15 requests: expected an integer >= 1, found "many"',
      'lab.json:3:28 server.errorRate: expected a number between 0 and 1, found 2',
      'lab.json:3:31 server.latncy: unknown key; did you mean "latency"?',
    ]);
  });

  it('checks a tagged union against the kind it names', () => {
    expect(problems('{ "arrival": { "kind": "poisson", "spreadMs": 5 } }')).toEqual([
      'lab.json:1:14 arrival: missing required key "ratePerSecond"',
      'lab.json:1:35 arrival.spreadMs: unknown key',
    ]);
    expect(problems('{ "arrival": { "kind": "steady" } }')).toEqual([
      'lab.json:1:24 arrival.kind: expected "kind" to be one of "uniform", "poisson", "burst"',
    ]);
    expect(problems('{ "server": { "rateLimits": [{ "kind": "window-head", "windowMs": 0, "rejectFirst": 3 }] } }')).toEqual([
      'lab.json:1:67 server.rateLimits[0].windowMs: expected a window above 0 ms',
    ]);
  });

  it('reads a token-bucket rate limit, and checks its rate and burst', () => {
    const text = '{ "server": { "rateLimits": [{ "kind": "token-bucket", "ratePerSecond": 5, "burst": 10, "sendRetryAfter": true }] } }';
    expect(parseScenarioText(text, 'lab.json').scenario?.server.rateLimits).toEqual([
      { kind: 'token-bucket', ratePerSecond: 5, burst: 10, sendRetryAfter: true },
    ]);
    expect(problems('{ "server": { "rateLimits": [{ "kind": "token-bucket", "ratePerSecond": 0, "burst": 0, "sendRetryAfter": true }] } }')).toEqual([
      expect.stringMatching(/server\.rateLimits\[0\]\.burst: /),
    ]);
    expect(problems('{ "server": { "rateLimits": [{ "kind": "token-bucket", "ratePerSecond": 0, "burst": 1, "sendRetryAfter": false }] } }')).toEqual([
      expect.stringMatching(/server\.rateLimits\[0\]\.ratePerSecond: expected a rate above 0$/),
    ]);
  });

  it('checks what a schema cannot say, and syntax, without throwing', () => {
    expect(problems('{ "server": { "outages": [{ "fromMs": 10, "toMs": 5, "status": 503 }] } }')).toEqual([
      expect.stringMatching(/server\.outages\[0\]\.toMs: expected toMs after fromMs$/),
    ]);
    expect(problems('{ "arrival": { "kind": "uniform", "ratePerSecond": 0 } }')).toEqual([
      expect.stringMatching(/arrival\.ratePerSecond: expected a rate above 0$/),
    ]);
    expect(problems('{ "requests": 5,, }')[0]).toMatch(/^lab\.json:1:17 JSON syntax error/);
    expect(problems('')).toEqual(['lab.json:1:1 expected an object, found nothing (the file is empty)']);
    expect(problems('{ "extends": "herd" }')[0]).toMatch(/extends: expected one of .*"thundering-herd"/);
  });
});
