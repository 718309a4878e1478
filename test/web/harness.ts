// The web app for an end-to-end test file: built with vite into a temporary folder (from this
// package's dist, which `npm test` builds first), served by scripts/serve-web.mjs on a free port,
// and Debian's headless Chromium (playwright-core, never a downloaded browser) to drive it.
// Outside CI a machine without /usr/bin/chromium skips, visibly; in CI that is an error.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} not found; .ci/run must apt-get install chromium`);

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** FSDD recordings: $CNN1D_DATA_DIR/fsdd/recordings, default ../shared/data beside the repo. */
export const FSDD_RECORDINGS = join(process.env.CNN1D_DATA_DIR ?? join(root, '../shared/data'), 'fsdd/recordings');

export interface App {
  url: string;
  browser: Browser;
  /** The built app's folder. */
  dir: string;
  /** Ends the server: the app's URL then answers nothing (as offline). */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the app, serves it, launches Chromium. */
export async function startApp(): Promise<App> {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` (npm test does) before this test');
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-web-'));
  const { build } = await import('vite');
  await build({ configFile: join(root, 'examples', 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir: dir, emptyOutDir: true } });
  const { server, url } = await serve(dir);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    url,
    browser,
    dir,
    stopServer: () => new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), server.kill()))),
    async close() {
      await browser.close();
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** scripts/serve-web.mjs on a free port, serving `dir`; resolves with its URL. */
export async function serve(dir: string, extra: string[] = []): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [join(root, 'scripts', 'serve-web.mjs'), '--port', '0', '--dir', dir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/\S+/.exec(text);
      if (m) resolve(m[0]);
    });
    server.stderr!.on('data', (d: Buffer) => reject(new Error(`serve-web: ${d.toString()}`)));
    server.on('exit', (code) => reject(new Error(`serve-web exited with ${code}`)));
  });
  return { server, url };
}

/** A fresh page of the app at `query`, recording everything it reports as an error. */
export async function open(app: App, query = '', options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(app.url + query);
  return { page, errors };
}
