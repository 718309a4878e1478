// A user's bundler on the built package: an app in its own folder, with cnn1d in its node_modules
// (a symlink to this package, as `npm link` makes), imports `cnn1d` by name and is bundled by
// rollup (+ @rollup/plugin-node-resolve), esbuild and vite, without network and without warnings.
// Each bundle is then run in Debian's headless Chromium (playwright-core), its files served
// through request interception (no server, no network): it must train, predict and reload a
// model, agree bit for bit with the same app in Node, and leave no console error on the page.
// Needs /usr/bin/chromium, as the chromium project of vitest.config.ts; skipped, visibly, only
// outside CI when it is missing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { APP_SOURCE, appScenario } from './app-scenario.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} not found; .ci/run must apt-get install chromium`);
if (!hasChromium) console.warn(`bundlers.test: ${CHROMIUM} not found, the bundles are built but not run`);

const root = fileURLToPath(new URL('../../', import.meta.url));
const ORIGIN = 'http://cnn1d-app.test';
// the icon link stops the page's own favicon request (a 404 is a console error)
const page = (script) => `<!doctype html><meta charset="utf-8"><title>cnn1d app</title><link rel="icon" href="data:,">
<script type="module" src="${script}"></script>`;

let app; // the app's folder: main.js, index.html, node_modules/cnn1d -> this package
let browser;
let inNode;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'cnn1d-app-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules', 'cnn1d'), 'dir');
  writeFileSync(join(app, 'main.js'), APP_SOURCE);
  writeFileSync(join(app, 'index.html'), page('/main.js'));
  // Chromium validates relaxed SIMD, so the pages run cnn1d's relaxed-SIMD build; Node 20 runs the
  // same build only with this flag, set before cnn1d chooses its build at import
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  inNode = await appScenario(await import('cnn1d'));
  if (hasChromium) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
});

afterAll(async () => {
  await browser?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Every file under dir, by its URL path. */
function files(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set('/' + relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };

/** Opens outDir/index.html in Chromium, with outDir served at ORIGIN by request interception;
 *  returns the app's result and everything the page reported as an error. */
async function runInChromium(outDir) {
  const served = files(outDir);
  const context = await browser.newContext();
  const errors = [];
  let failed; // resolves on the first error, so a broken bundle fails at once, not at the timeout
  const firstError = new Promise((resolve) => (failed = resolve));
  const error = (message) => {
    errors.push(message);
    failed();
  };
  try {
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      const path = url.pathname === '/' ? '/index.html' : url.pathname;
      const body = url.origin === ORIGIN ? served.get(path) : undefined;
      if (!body) {
        error(`unexpected request ${url.href}`);
        return route.fulfill({ status: 404, body: '' });
      }
      return route.fulfill({ status: 200, contentType: TYPES[extname(path)] ?? 'application/octet-stream', body });
    });
    const tab = await context.newPage();
    tab.on('console', (m) => {
      if (m.type() === 'error') error(`console.error: ${m.text()}`);
    });
    tab.on('pageerror', (e) => error(`page error: ${e.message}`));
    tab.on('requestfailed', (r) => error(`request failed: ${r.url()}`));
    await tab.goto(`${ORIGIN}/`);
    await Promise.race([tab.waitForFunction(() => globalThis.cnn1dResult !== undefined, null, { timeout: 50_000 }), firstError]);
    const result = await tab.evaluate(() => globalThis.cnn1dResult ?? {});
    return { result, errors };
  } finally {
    await context.close();
  }
}

/** The bundle's run in Chromium: trained, reloaded exactly, bit-identical to Node, no errors. */
async function expectRunsInChromium(outDir) {
  if (!browser) return;
  const { result, errors } = await runInChromium(outDir);
  expect(errors).toEqual([]);
  expect(result.error, result.error).toBeUndefined();
  expect(result.shape).toEqual([32, 2]);
  expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(result.loss.at(-1)).toBeLessThan(result.loss[0] / 2);
  expect(result.reloadedProbs).toEqual(result.probs);
  expect(result.loss).toEqual(inNode.loss);
  expect(result.probs).toEqual(inNode.probs);
}

/** The bundled JavaScript of outDir: one or more files, none with a Node built-in left in. */
function expectBrowserOnly(outDir) {
  const js = [...files(outDir)].filter(([p]) => p.endsWith('.js'));
  expect(js.length).toBeGreaterThan(0);
  const nodeImport = /\bfrom\s*['"](node:|fs['"]|path['"])[^'"]*['"]|\brequire\(\s*['"][^'"]*['"]\)|\bimport\(\s*['"]node:[^'"]*['"]\)/;
  for (const [p, body] of js) expect(nodeImport.exec(body.toString())?.[0], `${p} keeps a Node import`).toBeUndefined();
}

describe('an app importing cnn1d by name, bundled', () => {
  test('the app in Node gives the reference run', () => {
    expect(inNode.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(inNode.reloadedProbs).toEqual(inNode.probs);
  });

  test('by rollup with @rollup/plugin-node-resolve (browser conditions), runs in Chromium', async () => {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const warnings = [];
    const bundle = await rollup({ input: join(app, 'main.js'), plugins: [nodeResolve({ browser: true })], onwarn: (w) => warnings.push(w.message) });
    const out = join(app, 'out-rollup');
    await bundle.write({ dir: out, format: 'es', entryFileNames: 'app.js' });
    await bundle.close();
    writeFileSync(join(out, 'index.html'), page('/app.js'));
    expect(warnings).toEqual([]);
    expectBrowserOnly(out);
    await expectRunsInChromium(out);
  });

  test('by esbuild (platform browser), runs in Chromium', async () => {
    const { build } = await import('esbuild');
    const out = join(app, 'out-esbuild');
    const r = await build({ entryPoints: [join(app, 'main.js')], bundle: true, format: 'esm', platform: 'browser', outfile: join(out, 'app.js'), logLevel: 'silent', absWorkingDir: app });
    writeFileSync(join(out, 'index.html'), page('/app.js'));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expectBrowserOnly(out);
    await expectRunsInChromium(out);
  });

  test('by vite build (index.html entry), runs in Chromium', async () => {
    const { build, createLogger } = await import('vite');
    const logger = createLogger('warn');
    const warnings = [];
    logger.warn = (msg) => warnings.push(msg);
    logger.warnOnce = (msg) => warnings.push(msg);
    logger.error = (msg) => warnings.push(msg);
    const out = join(app, 'out-vite');
    await build({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: out, emptyOutDir: true } });
    expect(warnings).toEqual([]);
    expectBrowserOnly(out);
    await expectRunsInChromium(out);
  });
});
