/**
 * Mutation runs only (vitest.mutation-responsibility.config.ts): a property that fails under a mutant has done its job,
 * so fast-check stops at the first counterexample instead of shrinking it, which took longer than Stryker's timeout.
 * Runs after fast-check-seed.ts, whose seed it keeps.
 */
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
