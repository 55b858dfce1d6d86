/**
 * A small test harness for the extension host: code-server calls `run()` and exits 0 whatever
 * happens, so each test's outcome goes to a results file that the driver turns into the exit code.
 */
import { writeFileSync } from 'node:fs';

export interface TestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly error?: string;
  readonly ms: number;
}

interface TestCase {
  readonly name: string;
  readonly body: () => Promise<void>;
}

const TEST_TIMEOUT_MS = 60_000;
const cases: TestCase[] = [];

export function test(name: string, body: () => Promise<void>): void {
  cases.push({ name, body });
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every registered test in order and writes `{ results }` as JSON to `resultsFile`. */
export async function runAll(resultsFile: string): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const { name, body } of cases) {
    const started = Date.now();
    try {
      await withTimeout(body(), TEST_TIMEOUT_MS);
      results.push({ name, passed: true, ms: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name, passed: false, error: message, ms: Date.now() - started });
    }
    writeFileSync(resultsFile, JSON.stringify({ done: false, results }, null, 2));
  }
  writeFileSync(resultsFile, JSON.stringify({ done: true, results }, null, 2));
  return results;
}

/** Polls `probe` until it returns a value other than undefined. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
