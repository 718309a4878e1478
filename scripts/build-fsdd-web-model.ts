// The spoken-digit model shipped with the web app (examples/web, "Hear a digit"): a small
// sample-level CNN (models.sampleCnn, block 'basic', narrow widths) trained on FSDD read in place
// from the data directory (examples/args.ts dataDir: ../shared/data here), written as model.json + weights.bin to examples/web/public/models/fsdd/.
//
// Input as the app prepares it (examples/web/src/hear/locate.ts, the same functions): the digit
// found by short-time energy and centred in 1 s at 8 kHz, then z-normalised per clip. Training
// augments every epoch afresh, because a microphone's second never centres a digit exactly:
//   - time shift: uniform in +-SHIFT samples around the centred position;
//   - gain against a noise floor: white noise at an SNR uniform in [SNR_LO, SNR_HI] dB of the
//     digit's RMS (a plain gain alone would be undone by the z-normalisation);
//   - a first-order tilt x[t] - a x[t-1], a uniform in [-0.3, 0.6], for microphones' responses.
// The test split (recordings 0-4 of each speaker and digit) is evaluated centred, shifted, and
// through the view's own path (fake-microphone loop, onset, resampling). --evaluate loads the
// model in --out instead of training one and prints the same figures.
//
//   nice -n 5 node --import tsx scripts/build-fsdd-web-model.ts [--epochs 30] [--seed 1] [--out DIR] [--evaluate]

import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, loadModel, models, optimizers, tensor, type LayersModel, type Tensor } from '../src/index.ts';
import { activeSpan, centreOn, type Span } from '../examples/web/src/hear/locate.ts';
import { OnsetDetector } from '../examples/web/src/hear/onset.ts';
import { resample } from '../examples/web/src/hear/resample.ts';
import { arg, dataDir as examplesDataDir } from '../examples/args.ts';

const L = 8000; // 1 s at 8 kHz
const SHIFT = 1200; // 0.15 s
const SNR_LO = 10;
const SNR_HI = 45;
const WIDTHS = [16, 24, 32, 48, 64, 96];
const STEM = 16;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = arg('data-dir', examplesDataDir()); // CNN1D_DATA_DIR, ../shared/data, or ~/.cache/cnn1d (npx cnn1d data get fsdd)
const epochs = Number(arg('epochs', '30'));
const seed = Number(arg('seed', '1'));
const out = resolve(root, arg('out', 'examples/web/public/models/fsdd'));

interface Clip {
  x: Float32Array;
  span: Span | null;
  rms: number; // RMS over the span
  label: number;
}

function loadClips(): { train: Clip[]; test: Clip[] } {
  const dir = join(dataDir, 'fsdd/recordings');
  const train: Clip[] = [];
  const test: Clip[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.wav')).sort()) {
    const [digit, , index] = file.replace('.wav', '').split('_');
    const x = data.readWav(join(dir, file)).samples;
    const span = activeSpan(x);
    let sq = 0;
    const [a, b] = span ? [span.start, span.end] : [0, x.length];
    for (let i = a; i < b; i++) sq += x[i] * x[i];
    (Number(index) <= 4 ? test : train).push({ x, span, rms: Math.sqrt(sq / Math.max(1, b - a)), label: Number(digit) });
  }
  return { train, test };
}

// mulberry32: a small seeded generator, so a run is repeatable
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** clips -> x [n, L, 1] z-normalised, y [n]; augmented when `rand` is given. */
function batch(clips: Clip[], rand?: () => number, shiftOnly = false): { x: Tensor; y: Int32Array } {
  const x = new Float32Array(clips.length * L);
  clips.forEach((c, i) => {
    const shift = rand ? Math.round((2 * rand() - 1) * SHIFT) : 0;
    const w = centreOn(c.x, c.span, L, shift);
    if (rand && !shiftOnly) {
      const a = -0.3 + 0.9 * rand();
      for (let t = L - 1; t > 0; t--) w[t] -= a * w[t - 1];
      const noise = c.rms * 10 ** (-(SNR_LO + (SNR_HI - SNR_LO) * rand()) / 20);
      for (let t = 0; t < L; t++) w[t] += noise * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()); // Box-Muller
    }
    x.set(w, i * L);
  });
  return { x: data.zNormalize(tensor(x, [clips.length, L, 1])), y: Int32Array.from(clips, (c) => c.label) };
}

function accuracy(model: LayersModel, set: { x: Tensor; y: Int32Array }): number {
  return model.evaluate(set.x, set.y).accuracy;
}

const t0 = performance.now();
const { train, test } = loadClips();
console.log(`FSDD: ${train.length} training and ${test.length} test clips from ${dataDir}/fsdd, loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** The view's path on every test clip: the clip and silence to 2 s, twice (Chromium loops its
 *  fake microphone file), at 44.1 kHz; the onset detector; the second from 0.25 s before the
 *  onset back at 8 kHz, located, centred, z-normalised. Returns [correct, clips]. */
function viewPath(model: LayersModel): [number, number] {
  const R = 44100;
  let correct = 0;
  for (const c of test) {
    const loop = new Float32Array(4 * L);
    for (const at of [0, 2 * L]) loop.set(c.x.subarray(0, 2 * L), at);
    const hi = resample(loop, 8000, R);
    const detector = new OnsetDetector({ frame: R / 100 });
    let onset = -1;
    for (let i = 0; i < hi.length && onset < 0; i += 1024) onset = detector.push(hi.subarray(i, i + 1024));
    if (onset < 0) continue; // counted as wrong
    const from = Math.max(0, onset - Math.round(0.25 * R));
    const second = resample(hi.subarray(from, from + R), R, 8000);
    const probs = model.predict(data.zNormalize(tensor(centreOn(second, activeSpan(second), L), [1, L, 1]))).data;
    if (probs.indexOf(Math.max(...probs)) === c.label) correct++;
  }
  return [correct, test.length];
}

function report(model: LayersModel): void {
  const centred = accuracy(model, batch(test));
  const shifted = accuracy(model, batch(test, rng(seed + 100), true));
  const noisy = accuracy(model, batch(test, rng(seed + 200)));
  console.log(`test accuracy (${test.length} clips, recordings 0-4): ${centred.toFixed(3)} centred, ${shifted.toFixed(3)} shifted +-${SHIFT} samples, ${noisy.toFixed(3)} shifted with noise and tilt`);
  const [ok, n] = viewPath(model);
  console.log(`through the view's path (looped at 44.1 kHz, onset, resampled to 8 kHz): ${ok}/${n} = ${(ok / n).toFixed(3)}`);
}

if (process.argv.includes('--evaluate')) {
  const saved = loadModel(out);
  console.log(`${out}: ${saved.countParams()} parameters`);
  report(saved);
  process.exit(0);
}

const model = models.sampleCnn({ inputShape: [L, 1], classes: 10, seed, stemFilters: STEM, widths: WIDTHS });
const adam = optimizers.adam({ learningRate: 2e-3 });
model.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
console.log(`${model.name}: stem ${STEM}, widths [${WIDTHS}], ${model.countParams()} parameters (${((model.countParams() * 4) / 1024).toFixed(0)} KiB float32)`);

const rand = rng(seed);
const start = performance.now();
for (let e = 0; e < epochs; e++) {
  adam.learningRate = 2e-3 * 0.88 ** e;
  const set = batch(train, rand);
  const h = await model.fit(set.x, set.y, { epochs: 1, batchSize: 32, seed: seed * 1000 + e, verbose: 0 });
  const s = (performance.now() - start) / 1000;
  console.log(`epoch ${e + 1}/${epochs}: loss ${h.history.loss[0].toFixed(4)}, accuracy ${h.history.accuracy[0].toFixed(3)} (augmented), ${s.toFixed(0)} s`);
}
const seconds = (performance.now() - start) / 1000;
report(model);
console.log(`training: ${seconds.toFixed(0)} s for ${epochs} epochs (${((epochs * train.length) / seconds).toFixed(0)} samples/s)`);
const saved = model.save(out, { overwrite: true });
console.log(`wrote ${saved.modelPath} and ${saved.weightsPath} (${saved.bytes} bytes)`);
