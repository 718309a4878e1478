// The web app (examples/web) end to end in Debian's headless Chromium (playwright-core): built
// with vite into a temporary folder (from this package's dist, which `npm test` builds first),
// served by scripts/serve-web.mjs (COOP/COEP headers) on a free port, then driven as a user would:
//   - the page loads, every tab mounts, and nothing reaches the console as an error;
//   - Train: kerasSeed on the built-in CBF trains in the worker to test accuracy >= 0.95 while
//     the main thread's longest frame gap (requestAnimationFrame deltas, read from the page)
//     stays under 100 ms; the model downloaded as model.json + weights.bin and loaded back gives
//     the same confusion matrix; Stop ends a run early and Resume finishes it; a UCR pair and
//     labelled WAV clips chosen on the page are parsed there (parseUCR, decodeWav) and trained on;
//   - Monitor: the samples pushed at the recording's rate through model.stream() give the
//     outputs that predict() gives on the whole pushed signal (here in Node, from the page's
//     model artifacts), and the classifier finds the recording's beats, normal and ectopic.
// Screenshots of the views go to test-results/web/. Needs /usr/bin/chromium (as the chromium
// project of vitest.config.ts); skipped, visibly, only outside CI when it is missing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { builtin, fromArtifacts, ready, Tensor } from 'cnn1d';
import { BEAT_CLASSES, DETECT_WINDOW, ECG_RATE, syntheticEcg } from '../../examples/web/src/monitor/ecg.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} not found; .ci/run must apt-get install chromium`);
if (!hasChromium) console.warn(`app.e2e.test: ${CHROMIUM} not found, the web app is not tested`);

const root = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(root, 'test-results', 'web');
const TIMEOUT = 240_000;

let out = ''; // the built app
let server: ChildProcess | undefined;
let url = '';
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` (npm test does) before this test');
  out = mkdtempSync(join(tmpdir(), 'cnn1d-web-'));
  const { build } = await import('vite');
  await build({ configFile: join(root, 'examples', 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  server = spawn(process.execPath, [join(root, 'scripts', 'serve-web.mjs'), '--port', '0', '--dir', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let text = '';
    server!.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/\S+/.exec(text);
      if (m) resolve(m[0]);
    });
    server!.stderr!.on('data', (d: Buffer) => reject(new Error(`serve-web: ${d.toString()}`)));
    server!.on('exit', (code) => reject(new Error(`serve-web exited with ${code}`)));
  });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** A fresh page of the app at `query`, recording everything it reports as an error. */
async function open(query = ''): Promise<{ page: Page; errors: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
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
  await page.goto(url + query);
  return { page, errors };
}

type TrainState = NonNullable<Window['__cnn1dTrain']>;
const trainState = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__cnn1dTrain)) as TrainState);

/** Waits until the Train view's state is one of `states` (an error state fails at once). */
async function trainUntil(page: Page, states: TrainState['state'][]): Promise<TrainState> {
  await page.waitForFunction((s) => s.includes(window.__cnn1dTrain!.state) || window.__cnn1dTrain!.state === 'error', states, { timeout: TIMEOUT - 30_000 });
  const state = await trainState(page);
  expect(state.error).toBeUndefined();
  return state;
}

/** A mono 16-bit PCM WAV file of samples in [-1, 1] at 8 kHz. */
function pcm16(samples: Float32Array): Buffer {
  const b = Buffer.alloc(44 + 2 * samples.length);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * samples.length, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * samples.length, 40);
  samples.forEach((v, i) => b.writeInt16LE(Math.round(v * 32767), 44 + 2 * i));
  return b;
}

/** The longest gap between animation frames of the page over `ms`, doing nothing. */
function idleGap(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (ms) =>
      new Promise<number>((resolve) => {
        let last = 0;
        let longest = 0;
        const end = performance.now() + ms;
        const tick = (t: number) => {
          if (last) longest = Math.max(longest, t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(longest);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

describe.runIf(hasChromium)('the web app in Chromium', () => {
  test('loads cross-origin isolated, mounts each tab, and logs no error', async () => {
    const { page, errors } = await open();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    for (const [tab, panel] of [['Hear a digit', '#view-hear'], ['Monitor', '#view-monitor'], ['Train', '#view-train']]) {
      await page.getByRole('tab', { name: tab }).click();
      await expect.poll(() => page.locator(panel).isVisible()).toBe(true);
      expect((await page.locator(panel).innerText()).length).toBeGreaterThan(10);
    }
    await page.waitForTimeout(1000);
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test('Train: CBF in the worker reaches test accuracy >= 0.95 with frame gaps < 100 ms; the model downloads and loads back', async () => {
    const { page, errors } = await open();
    // The frame gaps of a busy machine (other processes on 2 cores) are not the app's: an idle
    // window of the same page before and after each run tells them apart. A run whose gap
    // exceeds 100 ms is repeated (up to 3 runs) only when an idle window, with nothing to draw,
    // also lost frames (a gap of 50 ms or more: two vsyncs missed); the threshold never changes.
    const attempts: { gap: number; idleGap: number; frames: number; load: string }[] = [];
    let done: TrainState | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await idleGap(page, 3000);
      await page.locator('[name="train"]').click();
      done = await trainUntil(page, ['done']);
      const after = await idleGap(page, 3000);
      attempts.push({ gap: done.longestFrameGap, idleGap: Math.max(before, after), frames: done.frames, load: loadavg()[0].toFixed(1) });
      if (done.longestFrameGap < 100 || Math.max(before, after) < 50) break;
    }
    const report = attempts.map((a) => `training ${a.gap.toFixed(0)} ms over ${a.frames} frames (idle page: ${a.idleGap.toFixed(0)} ms; load average ${a.load})`).join('; ');
    console.log(`web app longest frame gap: ${report}`);
    done = done!;
    expect(done.dataset).toBe('builtin cbf');
    expect(done.epochs.map((e) => e.epoch)).toEqual([...Array(20).keys()]);
    expect(done.epochs.at(-1)!.loss).toBeLessThan(done.epochs[0].loss / 2);
    expect(done.evaluation!.accuracy).toBeGreaterThanOrEqual(0.95);
    // the matrix counts the 300 test series, and its diagonal is the accuracy
    const m = done.evaluation!.confusion;
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(m.reduce((a, row, i) => a + row[i], 0) / 300).toBeCloseTo(done.evaluation!.accuracy, 12);
    expect(done.frames).toBeGreaterThan(20); // the meter ran through the training
    expect(done.longestFrameGap).toBeGreaterThan(0);
    expect(done.longestFrameGap, report).toBeLessThan(100);
    await page.screenshot({ path: join(SHOTS, 'train.png'), fullPage: true });

    // download model.json + weights.bin, then load them back through the file input
    const dir = mkdtempSync(join(tmpdir(), 'cnn1d-web-model-'));
    try {
      const downloads: Promise<string>[] = [];
      page.on('download', (d) => downloads.push(d.saveAs(join(dir, d.suggestedFilename())).then(() => d.suggestedFilename())));
      await page.locator('[name="download"]').click();
      await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(2);
      expect((await Promise.all(downloads)).sort()).toEqual(['model.json', 'weights.bin']);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe('layers-model');
      // in a fresh page, whose worker never saw the trained model
      const fresh = await open();
      await fresh.page.locator('[name="load"]').setInputFiles([join(dir, 'model.json'), join(dir, 'weights.bin')]);
      const loaded = await trainUntil(fresh.page, ['loaded']);
      expect(loaded.evaluation).toEqual(done.evaluation);
      expect(fresh.errors).toEqual([]);
      await fresh.page.context().close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test('Train: Stop ends a run after the current batch and Resume continues it to the last epoch', async () => {
    const { page, errors } = await open();
    await page.locator('[name="data"]').selectOption('sines');
    // enough epochs that the run cannot finish inside Stop's latency (fit yields about every 200 ms)
    const EPOCHS = 60;
    await page.locator('[name="epochs"]').fill(String(EPOCHS));
    await page.locator('[name="train"]').click();
    await page.waitForFunction(() => window.__cnn1dTrain!.epochs.length >= 2, null, { timeout: 60_000 });
    await page.locator('[name="stop"]').click();
    const stopped = await trainUntil(page, ['stopped', 'done']);
    expect(stopped.state).toBe('stopped');
    expect(stopped.epochs.length).toBeLessThan(EPOCHS);
    await page.locator('[name="resume"]').click();
    const done = await trainUntil(page, ['done']);
    expect(done.epochs.map((e) => e.epoch)).toEqual([...Array(EPOCHS).keys()]);
    expect(done.evaluation!.accuracy).toBeGreaterThan(0.9);
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);

  test('Train: UCR files and labelled WAV clips chosen on the page are parsed there and trained on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnn1d-web-files-'));
    try {
      // a UCR pair (labels 1 and 2, tab-separated) from the sines generator
      const ucr = (n: number, seed: number) => {
        const d = builtin.sines({ n, length: 64, seed });
        return Array.from(d.y, (c, i) => [c + 1, ...Array.from(d.x.data.subarray(i * 64, (i + 1) * 64), (v) => v.toFixed(5))].join('\t')).join('\n') + '\n';
      };
      writeFileSync(join(dir, 'SINES_TRAIN.tsv'), ucr(60, 1));
      writeFileSync(join(dir, 'SINES_TEST.tsv'), ucr(40, 2));
      // 16-bit PCM clips of a low and a high tone, 0.25 s at 8 kHz, named LABEL_index.wav
      const wavs: string[] = [];
      for (let i = 0; i < 12; i++) {
        for (const [label, hz] of [['lo', 200], ['hi', 800]] as const) {
          const file = join(dir, `${label}_${i}.wav`);
          writeFileSync(file, pcm16(Float32Array.from({ length: 2000 }, (_, t) => 0.5 * Math.sin((2 * Math.PI * hz * t) / 8000 + i))));
          wavs.push(file);
        }
      }
      const { page, errors } = await open();
      const described = () => page.locator('.dataset').innerText();
      await page.locator('[name="files"]').setInputFiles([join(dir, 'SINES_TRAIN.tsv'), join(dir, 'SINES_TEST.tsv')]);
      await expect.poll(described).toMatch(/^SINES: 60 training and 40 test series of 64 samples, classes 1, 2\. Batch 4: 15 steps per epoch/);
      await page.locator('[name="epochs"]').fill('10');
      await page.locator('[name="train"]').click();
      const ucrRun = await trainUntil(page, ['done']);
      expect(ucrRun.dataset).toBe('SINES');
      expect(ucrRun.evaluation!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(40);
      expect(ucrRun.evaluation!.accuracy).toBeGreaterThanOrEqual(0.9);

      await page.locator('[name="files"]').setInputFiles(wavs);
      await expect.poll(described).toMatch(/^24 WAV clips at 8000 Hz: 18 training and 6 test series of 2000 samples, classes hi, lo\. Batch 4: 5 steps per epoch/);
      expect(await page.locator('[name="model"]').inputValue()).toBe('sampleCnn'); // chosen for audio-length series
      await page.locator('[name="epochs"]').fill('3');
      await page.locator('[name="train"]').click();
      const wavRun = await trainUntil(page, ['done']);
      expect(wavRun.epochs.length).toBe(3);
      expect(wavRun.evaluation!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6);
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, TIMEOUT);

  test('Monitor: the outputs streamed at the recording rate equal predict() on the whole pushed signal, and find its beats', async () => {
    const { page, errors } = await open('?view=monitor');
    await page.waitForFunction(() => window.__cnn1dMonitor!.state !== 'training', null, { timeout: 120_000 });
    expect(await page.evaluate(() => window.__cnn1dMonitor!.error)).toBeUndefined();
    const clock = () => page.evaluate(() => ({ pushed: window.__cnn1dMonitor!.pushed(), t: performance.now() }));
    const a = await clock();
    await page.waitForTimeout(9500); // 6 s on screen, three ectopic beats (4.7, 7.5, 8.5 s) for the screenshot
    const b = await clock();
    const perSecond = ((b.pushed - a.pushed) * 1000) / (b.t - a.t);
    expect(Math.abs(perSecond - ECG_RATE) / ECG_RATE, `${perSecond.toFixed(0)} samples/s`).toBeLessThan(0.1);
    await page.screenshot({ path: join(SHOTS, 'monitor.png'), fullPage: true });

    const { signal, outputs, beats } = await page.evaluate(() => ({ ...window.__cnn1dMonitor!.snapshot(), beats: window.__cnn1dMonitor!.beats() }));
    const artifacts = await page.evaluate(() => window.__cnn1dMonitor!.artifacts());
    const K = BEAT_CLASSES.length;
    expect(signal.length).toBeGreaterThan(6 * ECG_RATE);
    expect(outputs.length).toBe(signal.length * K);
    // the page plays the recording of ecg.ts, seed 22
    const rec = syntheticEcg(60, 22);
    expect(signal).toEqual(Array.from(rec.signal.subarray(0, signal.length)));

    await ready();
    const model = fromArtifacts({ modelJson: artifacts!.modelJson, weightData: Uint8Array.from(artifacts!.weightData) });
    const offline = model.predict(new Tensor(Float32Array.from(signal), [1, signal.length, 1]));
    model.dispose();
    expect(offline.shape).toEqual([1, signal.length, K]);
    let worst = 0;
    for (let i = 0; i < outputs.length; i++) worst = Math.max(worst, Math.abs(outputs[i] - offline.data[i]));
    expect(worst).toBeLessThan(1e-5);

    // meaningful outputs: every R peak found once, no beat where there is none, each with its class
    // (a detection starts up to 8 samples before the peak: the wide QRS of an ectopic beat)
    const limit = signal.length - 3 * DETECT_WINDOW;
    const near = (at: number, peak: number) => at >= peak - 8 && at < peak + DETECT_WINDOW;
    const peaks = rec.peaks.map((p, i) => ({ p, cls: rec.ectopic[i] ? 2 : 1 })).filter(({ p }) => p < limit);
    expect(peaks.length).toBeGreaterThan(8);
    expect(peaks.filter((p) => p.cls === 2).length).toBeGreaterThanOrEqual(2);
    for (const { p, cls } of peaks) expect(beats.filter((b) => near(b.at, p)).map((b) => b.cls), `peak at ${p}`).toEqual([cls]);
    for (const beat of beats.filter((b) => b.at < limit - 8)) expect(rec.peaks.some((p) => near(beat.at, p)), `beat at ${beat.at}`).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  }, TIMEOUT);
});
