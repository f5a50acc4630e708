import { defineConfig } from 'vitest/config';

// The mutation run (stryker.config.json, `npm run mutation`) uses only the domain tests: they exercise every file under
// domain/ and run in seconds, which keeps a run with hundreds of mutants inside the time budget. No coverage here.
export default defineConfig({
  test: {
    include: ['test/domain/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
