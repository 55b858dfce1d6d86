import { describe, expect, it } from 'vitest';
import { onlySite, valueOf } from './extract-helpers.js';

function loop(setup: string, failurePath: string): string {
  return `
import random, time, requests
def get(url):
    ${setup}
    for attempt in range(5):
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
${failurePath
  .split('\n')
  .map((line) => `            ${line}`)
  .join('\n')}
`;
}

describe('delays carried across passes', () => {
  it('reads `delay *= 2` after the sleep as exponential from the initial value', async () => {
    const site = await onlySite(loop('delay = 0.5', 'time.sleep(delay)\ndelay *= 2'));
    expect(valueOf(site.delay.strategy)).toBe('exponential');
    expect(valueOf(site.delay.baseMs)).toBe(500);
    expect(valueOf(site.delay.factor)).toBe(2);
    expect(valueOf(site.delay.capMs)).toBe('none');
    expect(valueOf(site.delay.jitter)).toBe('none');
    expect(site.delay.expression).toBeDefined();
  });

  it('takes the cap from min() in the update, and counts an update made before the sleep', async () => {
    const site = await onlySite(loop('delay = 1', 'delay = min(delay * 3, 20)\ntime.sleep(delay)'));
    expect(valueOf(site.delay.strategy)).toBe('exponential');
    expect(valueOf(site.delay.baseMs)).toBe(3000);
    expect(valueOf(site.delay.factor)).toBe(3);
    expect(valueOf(site.delay.capMs)).toBe(20000);
  });

  it('reads `delay += step` as linear and jitter applied at the sleep', async () => {
    const site = await onlySite(loop('delay = 2', 'time.sleep(random.uniform(0, delay))\ndelay = delay + 1.5'));
    expect(valueOf(site.delay.strategy)).toBe('linear');
    expect(valueOf(site.delay.baseMs)).toBe(2000);
    expect(valueOf(site.delay.stepMs)).toBe(1500);
    expect(valueOf(site.delay.jitter)).toBe('full');
  });

  it('stays unknown when the update is conditional or the variable is written elsewhere', async () => {
    const conditional = await onlySite(loop('delay = 1', 'time.sleep(delay)\nif delay < 10:\n    delay *= 2'));
    expect(conditional.delay.strategy.kind).toBe('unknown');
    const reset = await onlySite(
      loop('delay = 1', 'time.sleep(delay)\ndelay *= 2').replace('return requests.get(url, timeout=5)', 'delay = 1\n            return requests.get(url, timeout=5)'),
    );
    expect(reset.delay.strategy.kind).toBe('unknown');
  });
});
