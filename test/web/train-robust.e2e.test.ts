// The Train view off the happy path, in Chromium, driven by role and accessible name:
//   - a worker killed mid-training (terminated from the page: no message, no error event, as a
//     crash or an out-of-memory kill looks) is found by the missed heartbeat, replaced, the
//     buttons show the real state, the alert says what happened and Retry trains again; a reload
//     during training asks first; an uncaught error in the worker (a message it cannot handle)
//     ends it too, the alert names the error, and the new worker trains;
//   - a trained model kept in IndexedDB survives a reload and loads back; one of another class
//     count is refused with the reason;
//   - users' own WAV clips: 150 FSDD clips (digits 0, 1, 2; speakers' recordings 0-9, 50 a digit)
//     chosen through the file input train with the app's defaults to test accuracy >= 0.9 on the
//     page's stratified 25 % test split. Skipped without FSDD outside CI ($CNN1D_DATA_DIR, default
//     ../shared/data), an error in CI.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FSDD_RECORDINGS, hasChromium, open, startApp, type App } from './harness.ts';

const TIMEOUT = 240_000;
const hasFsdd = existsSync(FSDD_RECORDINGS);
if (!hasFsdd && process.env.CI) throw new Error(`${FSDD_RECORDINGS} not found: the FSDD recordings are needed in CI`);

let app: App | undefined;
beforeAll(async () => {
  if (hasChromium) app = await startApp();
}, 120_000);
afterAll(() => app?.close());

type TrainState = NonNullable<Window['__cnn1dTrain']>;
const trainState = (page: import('playwright-core').Page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__cnn1dTrain)) as TrainState);

describe.runIf(hasChromium)('the Train view off the happy path', () => {
  test('a killed worker is detected, replaced, and trains again after Retry; reloading while training asks first', async () => {
    const { page, errors } = await open(app!);
    const trainButton = page.getByRole('button', { name: 'Train', exact: true });
    const stopButton = page.getByRole('button', { name: 'Stop', exact: true });
    await page.getByRole('combobox', { name: 'Data' }).selectOption('sines');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('60');
    await trainButton.click();
    await page.waitForFunction(() => window.__cnn1dTrain!.epochs.length >= 1, null, { timeout: 60_000 });
    expect(await trainButton.isDisabled()).toBe(true);
    expect(await stopButton.isEnabled()).toBe(true);

    await page.evaluate(() => window.__cnn1dTrainWorker!.kill());
    await page.waitForFunction(() => window.__cnn1dTrain!.state === 'error', null, { timeout: 40_000 });
    const alert = page.getByRole('alert');
    expect(await alert.innerText()).toMatch(/Training stopped: the worker stopped answering for \d+ s/);
    expect(await trainButton.isEnabled()).toBe(true);
    expect(await stopButton.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Resume' }).isDisabled()).toBe(true); // its model died with the worker
    expect((await trainState(page)).workers).toBe(2);

    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('8');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.waitForFunction(() => window.__cnn1dTrain!.epochs.length >= 1, null, { timeout: 60_000 });
    expect(await alert.innerText()).toBe('');
    // a reload now would end the run: the page asks (beforeunload), and dismissing keeps it
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.dismiss())));
    void page.reload().catch(() => undefined);
    expect(await dialog).toBe('beforeunload');
    await page.waitForFunction(() => window.__cnn1dTrain!.state !== 'training', null, { timeout: TIMEOUT - 90_000 });
    const done = await trainState(page);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('done');
    expect(done.epochs.length).toBe(8);
    expect(done.evaluation!.accuracy).toBeGreaterThan(0.9);
    expect(done.workers).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test('an uncaught error in the worker ends it: the alert names the error, and a new worker trains', async () => {
    const { page, errors } = await open(app!);
    await page.getByRole('combobox', { name: 'Data' }).selectOption('sines');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
    // a message the worker cannot handle: its onmessage throws (TypeError), an uncaught error
    await page.evaluate(() => window.__cnn1dTrainWorker!.post(null));
    await page.waitForFunction(() => window.__cnn1dTrain!.state === 'error', null, { timeout: 30_000 });
    expect(await page.getByRole('alert').innerText()).toMatch(/^the worker failed: .*TypeError.*\. A new worker is ready\.$/);
    expect((await trainState(page)).workers).toBe(2);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => ['done', 'error'].includes(window.__cnn1dTrain!.state), null, { timeout: 120_000 });
    const done = await trainState(page);
    expect(done.state).toBe('done');
    expect(done.epochs.length).toBe(3);
    expect(await page.getByRole('alert').innerText()).toBe('');
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test('a model kept in the browser is listed after a reload and loads back; a model of another class count is refused', async () => {
    const { page, errors } = await open(app!);
    await page.getByRole('combobox', { name: 'Data' }).selectOption('sines');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => ['done', 'error'].includes(window.__cnn1dTrain!.state), null, { timeout: 120_000 });
    const trained = await trainState(page);
    expect(trained.state).toBe('done');
    await page.getByRole('button', { name: 'Keep in this browser' }).click();
    const kept = page.getByRole('combobox', { name: 'Kept models' });
    await expect.poll(() => kept.locator('option').count()).toBe(1);
    expect(await kept.locator('option').innerText()).toMatch(/ on builtin sines \(2 classes\), test accuracy \d\.\d{3}/);

    await page.reload();
    await page.getByRole('combobox', { name: 'Data' }).selectOption('sines');
    await expect.poll(() => kept.locator('option').count()).toBe(1);
    await page.getByRole('button', { name: 'Load kept' }).click();
    await page.waitForFunction(() => ['loaded', 'error'].includes(window.__cnn1dTrain!.state), null, { timeout: 60_000 });
    const loaded = await trainState(page);
    expect(loaded.state).toBe('loaded');
    expect(loaded.evaluation).toEqual(trained.evaluation);

    // CBF has 3 classes, the kept model 2: refused with the reason, in the alert region
    await page.getByRole('combobox', { name: 'Data' }).selectOption('cbf');
    await page.getByRole('button', { name: 'Load kept' }).click();
    await page.waitForFunction(() => window.__cnn1dTrain!.state === 'error', null, { timeout: 60_000 });
    expect(await page.getByRole('alert').innerText()).toMatch(/gives 2 class probabilities per series, and the data set "builtin cbf" has 3 classes/);
    await page.getByRole('button', { name: 'Delete kept' }).click();
    await expect.poll(() => kept.locator('option').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test.runIf(hasFsdd)('150 FSDD clips of three digits reach test accuracy >= 0.9 with the defaults', async () => {
    const files: string[] = [];
    for (const digit of [0, 1, 2]) for (const speaker of ['george', 'jackson', 'nicolas', 'theo', 'yweweler']) for (let i = 0; i < 10; i++) files.push(join(FSDD_RECORDINGS, `${digit}_${speaker}_${i}.wav`));
    const { page, errors } = await open(app!);
    await page.getByLabel('Choose WAV or UCR files').setInputFiles(files);
    await expect.poll(() => page.locator('.dataset').innerText()).toMatch(/^150 WAV clips at 8000 Hz: 111 training and 39 test series of \d+ samples, classes 0, 1, 2\./);
    expect(await page.getByRole('combobox', { name: /^Model/ }).inputValue()).toBe('sampleCnn');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => ['done', 'error'].includes(window.__cnn1dTrain!.state), null, { timeout: TIMEOUT - 30_000 });
    const done = await trainState(page);
    expect(done.error).toBeUndefined();
    const last = done.epochs.at(-1)!;
    console.log(`FSDD 3 digits, 150 clips, app defaults: ${done.epochs.length} epochs in ${((Date.now() - t0) / 1000).toFixed(0)} s, train accuracy ${last.accuracy.toFixed(3)}, test accuracy ${done.evaluation!.accuracy.toFixed(3)} (per epoch: ${done.epochs.map((e) => e.testAccuracy.toFixed(2)).join(' ')})`);
    expect(done.evaluation!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(await page.locator('[data-stat="acc"]').innerText()).toBe(done.evaluation!.accuracy.toFixed(3));
    expect(await page.locator('[data-stat="trainAcc"]').innerText()).toBe(last.accuracy.toFixed(3));
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);
});
