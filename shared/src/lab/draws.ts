/** Draws from the scenario's distributions with an injected uniform source. */
import type { RandomSource } from '../schedule.js';
import type { LatencyDistribution } from './scenario.js';

/** The standard normal quantile at 0.99: a log-normal's p99 is median x e^(2.326 sigma). */
const Z_99 = 2.326347874;

function standardNormal(random: RandomSource): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function drawLatencyMs(distribution: LatencyDistribution, random: RandomSource): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + random() * (distribution.maxMs - distribution.minMs);
    case 'lognormal': {
      const sigma = Math.log(distribution.p99Ms / distribution.medianMs) / Z_99;
      return distribution.medianMs * Math.exp(sigma * standardNormal(random));
    }
  }
}

/** The gap before the next arrival of a Poisson process. */
export function drawExponentialGapMs(ratePerSecond: number, random: RandomSource): number {
  return (-Math.log(1 - random()) / ratePerSecond) * 1000;
}
