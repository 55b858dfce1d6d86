import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['source'],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    reporters: ['default', './test/summary-reporter.ts'],
    // The end-to-end tests run the built CLI: bundle it once per run.
    globalSetup: ['./test/e2e/build-cli.ts'],
  },
});
