import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    // `npm test` runs with --coverage; these floors are what the whole suite measured (docs/benchmarks.md, "Coverage"),
    // so a change that leaves code untested fails the run. A single file run with `npx vitest run FILE` is not gated.
    coverage: {
      provider: 'v8',
      include: ['domain/**/*.ts', 'functions/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'domain/**/*.ts': { lines: 95, branches: 82, statements: 93, functions: 94 },
        'functions/**/*.ts': { lines: 94, branches: 73, statements: 90, functions: 95 },
      },
    },
  },
});
