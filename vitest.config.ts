// vitest: the whole suite in one run (`npm test` builds first, since the package and browser tests
// run dist/). Three projects: `node` (everything under test/ but the browser folder and the web e2e files),
// `chromium` (test/browser/*.browser.test.ts in vitest's browser mode, the playwright provider launching
// Debian's /usr/bin/chromium, never a downloaded browser) and `web` (test/web: the web app driven
// in that Chromium by playwright-core, after the other two, one file at a time). Coverage of src/ by V8 is printed on
// every run and fails the run below the thresholds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Outside CI a machine without Chromium runs the node project alone, and says so; in CI (.ci/run
// sets CI=true and installs chromium) the browser project always runs.
const withBrowser = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!withBrowser) console.warn(`cnn1d tests: ${CHROMIUM} not found, the chromium project is skipped (apt-get install chromium)`);

export default defineConfig({
  // Cross-origin isolation for the chromium project: SharedArrayBuffer, hence a shared
  // WebAssembly.Memory and worker threads, exist only on pages served with these two headers
  // (README "Threads"); every response of the test server carries them.
  server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  // tests that import 'cnn1d' get the built package, as a user would (tsconfig maps the name to
  // src/index.ts for the types only)
  resolve: { alias: { cnn1d: fileURLToPath(new URL('./dist/index.js', import.meta.url)) } },
  test: {
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
      thresholds: { statements: 90, branches: 82, functions: 93, lines: 92 }, // what the suite reaches; raise, never lower
    },
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.{ts,mjs}'], exclude: ['test/browser/**', 'test/web/**/*.e2e.test.ts'] },
      },
      {
        // the web app in Chromium measures its frame gaps: it runs after the other projects,
        // alone, so the suite's own CPU-bound files are not the load it measures
        extends: true,
        test: { name: 'web', include: ['test/web/**/*.e2e.test.ts'], sequence: { groupOrder: 1 }, fileParallelism: false },
      },
      ...(withBrowser ? [{
        extends: true,
        test: {
          name: 'chromium',
          include: ['test/browser/**/*.browser.test.ts'],
          globalSetup: ['test/browser/node-reference.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM,
                args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
              },
            }),
            instances: [{ browser: 'chromium' as const }],
          },
        },
      }] : []),
    ],
  },
});
