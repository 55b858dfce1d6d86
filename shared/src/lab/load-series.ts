/**
 * Attempts counted in time bins for the "attempts over time" chart. The number of bins is
 * fixed: when time runs past the last bin, neighbours merge and every bin doubles in width,
 * so memory does not grow with the length of the run.
 */
export interface LoadBin {
  readonly startMs: number;
  readonly attempts: number;
  readonly retries: number;
}

const BIN_COUNT = 240;

export class LoadSeries {
  private widthMs: number;
  private readonly attempts = new Float64Array(BIN_COUNT);
  private readonly retries = new Float64Array(BIN_COUNT);
  private lastBin = -1;

  constructor(expectedDurationMs: number) {
    this.widthMs = Math.max(1, expectedDurationMs / BIN_COUNT);
  }

  record(timeMs: number, isRetry: boolean): void {
    let bin = Math.floor(timeMs / this.widthMs);
    while (bin >= BIN_COUNT) {
      this.halve();
      bin = Math.floor(timeMs / this.widthMs);
    }
    this.attempts[bin]++;
    if (isRetry) this.retries[bin]++;
    if (bin > this.lastBin) this.lastBin = bin;
  }

  get binWidthMs(): number {
    return this.widthMs;
  }

  bins(): LoadBin[] {
    const result: LoadBin[] = [];
    for (let bin = 0; bin <= this.lastBin; bin++) {
      result.push({ startMs: bin * this.widthMs, attempts: this.attempts[bin], retries: this.retries[bin] });
    }
    return result;
  }

  private halve(): void {
    for (const counts of [this.attempts, this.retries]) {
      for (let bin = 0; bin < BIN_COUNT / 2; bin++) counts[bin] = counts[2 * bin] + counts[2 * bin + 1];
      counts.fill(0, BIN_COUNT / 2);
    }
    this.lastBin = Math.floor(this.lastBin / 2);
    this.widthMs *= 2;
  }
}

/** The most events in any window of `windowMs` (windows aligned at 0); times must not decrease. */
export class PeakCounter {
  private window = -1;
  private inWindow = 0;
  private highest = 0;

  constructor(private readonly windowMs: number) {}

  record(timeMs: number): void {
    const window = Math.floor(timeMs / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.inWindow = 0;
    }
    this.inWindow++;
    if (this.inWindow > this.highest) this.highest = this.inWindow;
  }

  get peak(): number {
    return this.highest;
  }
}
