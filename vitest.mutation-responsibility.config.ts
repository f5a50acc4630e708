import { defineConfig } from 'vitest/config';

// The mutation run of the responsibility engine alone (stryker.responsibility.config.json): only the tests that call
// the engine to test it. Tests of exports, funding and disputes also run the engine, but as a fixture: they kill few of
// its mutants and cost minutes each on a shared machine.
export default defineConfig({
  test: {
    include: [
      'test/domain/responsibility/**/*.test.ts',
      'test/domain/eligibility.test.ts',
      'test/domain/discharge.test.ts',
      'test/domain/icb.test.ts',
      'test/domain/local-authority.test.ts',
      'test/domain/public-cases.test.ts',
      'test/domain/properties.test.ts',
      'test/domain/boundaries/rule-set-dates.test.ts',
    ],
    testTimeout: 30_000,
    // The same fixed fast-check seed as `npm test`, so a mutant's result is repeatable; 40 draws a property instead of
    // 300 (a surviving mutant runs every test that covers it, and the property tests were most of that time); no
    // shrinking of a counterexample (fast-check-mutation.ts).
    setupFiles: ['./test/support/fast-check-seed.ts', './test/support/fast-check-mutation.ts'],
    env: { PROPERTY_RUNS: '40' },
    pool: 'forks',
  },
});
