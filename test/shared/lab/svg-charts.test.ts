import { ARTICLE_STRATEGIES, builtInScenario, simulate, simulationChartsSvg } from '@retrylint/shared';
import { describe, expect, it } from 'vitest';

describe('simulationChartsSvg', () => {
  const result = simulate(builtInScenario('thundering-herd')!, ARTICLE_STRATEGIES, { requests: 1000 });
  const svg = simulationChartsSvg(result);

  it('draws a latency CDF and a load line per policy, with a legend entry each', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2 * ARTICLE_STRATEGIES.length);
    for (const strategy of ARTICLE_STRATEGIES) expect(svg.match(new RegExp(`>${strategy.name}</text>`, 'g'))).toHaveLength(2);
    expect(svg).toContain('Latency CDF: thundering-herd');
    expect(svg).toContain('Attempts at the server over time');
  });

  it('puts every point inside the drawing, with no NaN or Infinity', () => {
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const [, points] of svg.matchAll(/points="([^"]*)"/g)) {
      for (const pair of points.split(' ')) {
        const [x, y] = pair.split(',').map(Number);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(760);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(600);
      }
    }
  });

  it('escapes policy names', () => {
    const named = simulate(builtInScenario('streaming')!, [{ ...ARTICLE_STRATEGIES[0], name: 'a<b & "c"' }], { requests: 50 });
    expect(simulationChartsSvg(named)).toContain('a&lt;b &amp; &quot;c&quot;');
  });
});
