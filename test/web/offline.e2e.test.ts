// The app offline after its first visit, in Chromium: the first visit registers the service worker
// (src/offline/sw.js), which caches the app, the Hear model and the worker scripts; then the
// server is stopped (nothing answers at the app's address: offline for real, not emulated), and
// a reload still loads the page cross-origin isolated, Hear loads its model, and Train trains in
// its worker.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, open, startApp, type App } from './harness.ts';

let app: App | undefined;
beforeAll(async () => {
  if (hasChromium) app = await startApp();
}, 120_000);
afterAll(() => app?.close());

describe.runIf(hasChromium)('offline', () => {
  test('after the first visit the app reloads, hears and trains with the server gone', async () => {
    const { page } = await open(app!);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)))).flat());
    expect(cached).toEqual(expect.arrayContaining(['/', '/index.html', '/train-worker.js', '/monitor-worker.js', '/models/fsdd/model.json', '/models/fsdd/weights.bin']));

    await app!.stopServer();
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByRole('tab', { name: 'Hear a digit' }).click();
    await page.waitForFunction(() => window.__cnn1dHear?.ready === true || window.__cnn1dHear?.error !== undefined, null, { timeout: 60_000 });
    expect(await page.evaluate(() => window.__cnn1dHear!.error)).toBeUndefined();

    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('combobox', { name: 'Data' }).selectOption('sines');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => ['done', 'error'].includes(window.__cnn1dTrain!.state), null, { timeout: 120_000 });
    const done = await page.evaluate(() => ({ state: window.__cnn1dTrain!.state, error: window.__cnn1dTrain!.error, epochs: window.__cnn1dTrain!.epochs.length }));
    expect(done).toEqual({ state: 'done', error: undefined, epochs: 3 });
    await page.context().close();
  }, 240_000);
});
