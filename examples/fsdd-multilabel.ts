// Multi-label tagging (the setting of music auto-tagging): which digits are spoken in a mixture of
// two Free Spoken Digit Dataset recordings. Each mixture adds two recordings of different digits,
// each z-normalised, padded/cropped to 1 s (centred) and scaled by a random gain in [0.25, 1], then
// z-normalises the sum. Training mixtures pair recordings of the FSDD training split (index 5-49),
// test mixtures pair recordings of its test split (index 0-4), so no recording is in both.
// Sample-level CNN (the samplecnn-8k chain: Conv k3/s3 stem, 6 x [Conv k3 -> BN -> ReLU -> MaxPool 3],
// global average pooling) with a 10-unit sigmoid head and binary cross-entropy. Prints the per-
// digit precision / recall / F1 / ROC AUC at threshold 0.5, their macro averages, the binary
// accuracy and the exact-match ratio (both digits right, no extra one) on the test mixtures.
// Training draws fresh mixtures for every epoch (`--train` per epoch) and feeds them to
// model.fitDataset as a generator of batches; `--fresh 0` trains with fit on one fixed set of
// `--train` mixtures instead (it overfits: see docs/guides/results.md).
//
//   node --import tsx examples/fsdd-multilabel.ts [--train 3000] [--test 1000] [--epochs 20] [--seed 1] [--threshold 0.5] [--fresh 1]

import { data, layers, metrics, optimizers, callbacks, sequential, tensor, type Tensor } from '../src/index.ts';
import { arg, dataDir } from './args.ts';

const nTrain = Number(arg('train', '3000'));
const nTest = Number(arg('test', '1000'));
const epochs = Number(arg('epochs', '20'));
const seed = Number(arg('seed', '1'));
const threshold = Number(arg('threshold', '0.5'));
const fresh = arg('fresh', '1') !== '0';
const L = 8000;

/** mulberry32: a small seeded generator for the mixing. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n mixtures of two recordings of different digits: x [n, L, 1], y [n, 10] (two ones per row). */
function mixtures(clips: { x: Tensor; y: Int32Array }, n: number, rand: () => number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * L);
  const y = new Float32Array(n * 10);
  const count = clips.y.length;
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rand() * count);
    let b = Math.floor(rand() * count);
    while (clips.y[b] === clips.y[a]) b = Math.floor(rand() * count);
    for (const [clip, gain] of [[a, 0.25 + 0.75 * rand()], [b, 0.25 + 0.75 * rand()]]) {
      const src = clips.x.data.subarray(clip * L, (clip + 1) * L);
      for (let t = 0; t < L; t++) x[i * L + t] += gain * src[t];
      y[i * 10 + clips.y[clip]] = 1;
    }
  }
  return { x: data.zNormalize(tensor(x, [n, L, 1])), y: tensor(y, [n, 10]) };
}

const t0 = performance.now();
const fsdd = data.loadFSDD(`${dataDir()}/fsdd`, { length: L, align: 'center' });
const rand = rng(seed);
const trainClips = { x: data.zNormalize(fsdd.train.x), y: fsdd.train.y };
const test = mixtures({ x: data.zNormalize(fsdd.test.x), y: fsdd.test.y }, nTest, rng(seed + 1000));
console.log(`FSDD two-digit mixtures: ${nTrain} ${fresh ? 'new ones every epoch' : 'fixed'} for training from ${fsdd.train.y.length} clips, test ${test.x.shape} from ${fsdd.test.y.length} clips (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
/** One epoch of fresh training mixtures, made batch by batch as fitDataset asks for them. */
const freshBatches = {
  *[Symbol.iterator]() {
    for (let done = 0; done < nTrain; done += 32) {
      const m = mixtures(trainClips, Math.min(32, nTrain - done), rand);
      yield { xs: m.x, ys: m.y };
    }
  },
};

const block = (c: number) => [layers.conv1d({ filters: c, kernelSize: 3, padding: 'same' }), layers.batchNormalization(), layers.activation({ activation: 'relu' }), layers.maxPooling1d({ poolSize: 3 })];
const model = sequential({
  seed,
  name: 'samplecnn_tagger',
  layers: [
    layers.conv1d({ filters: 32, kernelSize: 3, strides: 3, inputShape: [L, 1] }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
    ...[32, 32, 64, 64, 128, 128].flatMap(block),
    layers.globalAveragePooling1d(),
    layers.dense({ units: 10, activation: 'sigmoid' }),
  ],
});
model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'binaryCrossentropy', metrics: ['binaryAccuracy', 'f1', 'auc'] });
console.log(`${model.name}: ${model.countParams()} parameters`);
const start = performance.now();
const decay = callbacks.exponentialDecay({ decayRate: 0.9 });
if (fresh) await model.fitDataset(freshBatches, { epochs, verbose: 2, callbacks: [decay] });
else {
  const train = mixtures(trainClips, nTrain, rand);
  await model.fit(train.x, train.y, { epochs, batchSize: 32, verbose: 2, seed, callbacks: [decay] });
}
const seconds = (performance.now() - start) / 1000;
console.log(`training ${seconds.toFixed(0)} s for ${epochs} epochs (${((epochs * nTrain) / seconds).toFixed(0)} samples/s)`);

const logs = model.evaluate(test.x, test.y);
console.log(`evaluate on the test mixtures: ${Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
const report = metrics.multiLabelReport(test.y, model.predict<Tensor>(test.x), { threshold });
console.log(`per digit at threshold ${threshold} (test mixtures):`);
console.log('  digit  precision  recall     F1    AUC  support');
report.labels.forEach((l, d) => console.log(`  ${String(d).padStart(5)}  ${l.precision.toFixed(3).padStart(9)}  ${l.recall.toFixed(3).padStart(6)}  ${l.f1.toFixed(3).padStart(5)}  ${l.auc.toFixed(3)}  ${String(l.support).padStart(7)}`));
const m = report.macro;
console.log(`  macro  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1.toFixed(3).padStart(5)}  ${m.auc.toFixed(3)}`);
console.log(`binary accuracy ${report.binaryAccuracy.toFixed(4)}, exact match (both digits, nothing else) ${report.exactMatch.toFixed(3)}`);
model.dispose();
