// The "Hear a digit" view end to end in Debian's Chromium (playwright-core, never a downloaded
// browser): the built app is served by scripts/serve-web.mjs, Chromium's fake microphone plays a
// spoken digit from the FSDD test split (recordings 0-4, never trained on), the page records one
// second, resamples it to 8 kHz and classifies it with the shipped model, and the digit it shows
// must be the one spoken.
//
// Chromium loops the fake capture file. Each file written here (in a temp dir) is the FSDD
// recording followed by silence up to 2 s, so the looped stream is one utterance every 2 s with
// quiet between: the view's onset detector waits for quiet, then takes the second that starts
// 0.25 s before the next utterance. One browser per digit, since the file is a launch flag. The
// app is bundled into a temp dir (vite, a few seconds) so this file never races another test over
// examples/web/dist. The same recording is then opened as a file through the page's file input.
// A screenshot of the last microphone result is saved as test-results/web/hear.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data } from 'cnn1d';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} not found; .ci/run must apt-get install chromium`);
if (!hasChromium) console.warn(`hear.e2e: ${CHROMIUM} not found, the test is skipped`);

const root = fileURLToPath(new URL('../../', import.meta.url));
const FSDD = join(root, 'test/fixtures/fsdd/recordings'); // the committed FSDD clips (test/fixtures/README.md)
// one test-split recording per speaker, speaker i's recording index i, five different digits
const FILES = ['0_george_0', '3_jackson_1', '5_yweweler_2', '7_nicolas_3', '9_theo_4'];
const LOOP_SECONDS = 2;

let dir: string;
let server: ChildProcess | undefined;
let url: string;

/** 16-bit PCM mono WAV bytes of x at `rate`. */
function wavBytes(x: Float32Array, rate: number): Uint8Array {
  const out = new Uint8Array(44 + 2 * x.length);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + 2 * x.length, true);
  str(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, 2 * rate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  str(36, 'data');
  v.setUint32(40, 2 * x.length, true);
  x.forEach((s, i) => v.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(s * 32768))), true));
  return out;
}

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run build` (npm test does) before this test');
  dir = mkdtempSync(join(tmpdir(), 'cnn1d-hear-'));
  const { build } = await import('vite');
  await build({ configFile: join(root, 'examples/web/vite.config.ts'), build: { outDir: join(dir, 'app'), emptyOutDir: true }, logLevel: 'warn' });
  server = spawn(process.execPath, [join(root, 'scripts/serve-web.mjs'), '--dir', join(dir, 'app'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    server!.once('exit', (code) => reject(new Error(`serve-web.mjs exited with ${code}`)));
    server!.stdout!.on('data', (b: Buffer) => {
      const m = /http:\/\/\S+\//.exec(b.toString());
      if (m) resolve(m[0]);
    });
  });
}, 120_000);

afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('Hear a digit in Chromium with a fake microphone', () => {
  test.each(FILES)('%s.wav is heard as its digit', async (name) => {
    const wav = data.decodeWav(readFileSync(join(FSDD, `${name}.wav`)), name);
    const padded = new Float32Array(LOOP_SECONDS * wav.sampleRate);
    padded.set(wav.samples.subarray(0, padded.length));
    const file = join(dir, `${name}-looped.wav`);
    writeFileSync(file, wavBytes(padded, wav.sampleRate));

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${file}`,
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}?view=hear`);
      await page.waitForFunction(() => window.__cnn1dHear?.ready || window.__cnn1dHear?.error, null, { timeout: 30_000 });
      await page.click('#hear-record');
      await page.waitForFunction(() => (window.__cnn1dHear?.count ?? 0) >= 1 || window.__cnn1dHear?.error, null, { timeout: 30_000 });
      const heard = await page.evaluate(() => window.__cnn1dHear!);
      if (name === FILES[FILES.length - 1]) {
        mkdirSync(join(root, 'test-results/web'), { recursive: true });
        await page.screenshot({ path: join(root, 'test-results/web/hear.png') });
      }
      expect(heard.error).toBeUndefined();
      expect(heard.onset).toBe(true); // the second was started by the utterance, not by the timeout
      expect(heard.span).not.toBeNull();
      expect(heard.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(heard.label).toBe(Number(name[0]));
      expect(await page.textContent('#hear-label')).toBe(name[0]);
      // the same recording opened as a file (decodeWav in the page, 8 kHz: no resampling)
      await page.setInputFiles('#hear-file', join(FSDD, `${name}.wav`));
      await page.waitForFunction(() => (window.__cnn1dHear?.count ?? 0) >= 2, null, { timeout: 30_000 });
      expect(await page.evaluate(() => [window.__cnn1dHear!.label, window.__cnn1dHear!.sampleRate])).toEqual([Number(name[0]), 8000]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
