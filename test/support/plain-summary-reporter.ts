import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain `N passed, N failed` line that CI reads, as the very last line of the run.
 * vitest's own summary is for people; this one is for the machine.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed += 1;
    }
    failed += unhandledErrors.length;
    // Printed after vitest's own summary so that it is the last line of output. A run that fails with every test
    // green (a coverage threshold missed, a failing global setup) counts as one failure, so the line never says
    // "0 failed" for a run that exits non-zero.
    process.on('exit', (code) => {
      const outside = code !== 0 && failed === 0 ? 1 : 0;
      if (outside === 1) process.stdout.write('\nThe run failed outside the tests (see above: coverage thresholds?); counted as 1 failed.');
      process.stdout.write(`\n${passed} passed, ${failed + outside} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    });
  }
}
