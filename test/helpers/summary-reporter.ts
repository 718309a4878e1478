// Prints one plain closing line, "tests: N passed, N failed, N skipped", after vitest's own report,
// so a log reader that knows no vitest still sees the counts; before it, each skipped test by name
// (e.g. the tests of a dataset absent from the data directory, whose name says how to get it).
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skipped: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          skipped.push(`skipped: ${m.moduleId.replace(process.cwd() + '/', '')} > ${t.fullName}`);
        }
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) counts.failed++; // a file that failed to load
    }
    if (skipped.length) console.log(`\n${skipped.join('\n')}`);
    console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
