// vitest: the whole suite in one run (`npm test` builds first, since the package and browser tests
// run dist/). Coverage of src/ by V8 is printed on every run and fails the run below the thresholds.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,mjs}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // two cores: one worker per core; the kernel and golden files are CPU-bound
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    coverage: {
      enabled: true,
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/generated/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { statements: 0, branches: 0, functions: 0, lines: 0 },
    },
  },
});
