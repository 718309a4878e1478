// Free Spoken Digit Dataset from the raw 8 kHz waveform with a sample-level CNN after Kim, Lee &
// Nam 2018 (`--block basic` is WORKLOADS.md samplecnn-8k; `--block rese` has residual
// squeeze-and-excitation blocks): recordings padded/cropped to 1 s (centred), z-normalised; the
// dataset's own split (recordings 0-4 of every speaker and digit are the test set). Prints the test accuracy of each
// seed, the mean, a confusion matrix and the training time.
//
// The ReSE figure: `--block rese --block-dropout 0`, the same recipe as basic otherwise. The block
// dropout was set on validation (--validation 0.1, 6 epochs, seed 1): 0.735 validation and 0.751
// training-set accuracy in inference mode with the paper's 0.2, 0.930 and 0.979 with 0.
//
// With --validation F, a stratified fraction F of the training clips is held out and the
// accuracies printed are on it (and on the rest of the training set, in inference mode): the way
// to compare recipes without looking at the test set.
//
//   node --import tsx examples/fsdd-samplecnn.ts [--block basic|res|se|rese] [--epochs 30] [--seeds 1,2,3]
//        [--block-dropout 0.2] [--ratio 16] [--validation 0.1]

import { data, models, optimizers, callbacks, tensor, type SampleCnnBlock, type Tensor } from '../src/index.ts';
import { arg, dataDir } from './args.ts';

const block = arg('block', 'basic') as SampleCnnBlock;
const epochs = Number(arg('epochs', '30'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const blockOptions = block === 'basic' ? {} : { blockDropout: Number(arg('block-dropout', '0.2')), ratio: Number(arg('ratio', '16')) };
const validation = Number(arg('validation', '0'));
const t0 = performance.now();
const loaded = data.loadFSDD(`${dataDir()}/fsdd`, { length: 8000, align: 'center' });
let train = { x: data.zNormalize(loaded.train.x), y: loaded.train.y };
let test = { x: data.zNormalize(loaded.test.x), y: loaded.test.y };
if (validation > 0) {
  const rows = (x: Tensor, idx: Int32Array) => {
    const n = x.shape[1] * x.shape[2];
    const out = new Float32Array(idx.length * n);
    idx.forEach((r, i) => out.set(x.data.subarray(r * n, (r + 1) * n), i * n));
    return tensor(out, [idx.length, x.shape[1], x.shape[2]]);
  };
  const split = data.stratifiedSplit(train.y, { validationFraction: validation, seed: 0 });
  test = { x: rows(train.x, split.validation), y: Int32Array.from(split.validation, (i) => train.y[i]) };
  train = { x: rows(train.x, split.train), y: Int32Array.from(split.train, (i) => train.y[i]) };
}
const xTrain = train.x;
const xTest = test.x;
const testName = validation > 0 ? 'validation' : 'test';
console.log(`FSDD, sampleCnn block "${block}" ${JSON.stringify(blockOptions)}: train ${xTrain.shape}, ${testName} ${xTest.shape}, loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const accuracies: number[] = [];
for (const seed of seeds) {
  const model = models.sampleCnn({ inputShape: [8000, 1], classes: 10, seed, block, ...blockOptions });
  model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  if (seed === seeds[0]) console.log(`${model.name}: ${model.countParams()} parameters`);
  const start = performance.now();
  await model.fit(xTrain, train.y, { epochs, batchSize: 32, verbose: seed === seeds[0] ? 1 : 0, callbacks: [callbacks.exponentialDecay({ decayRate: 0.9 })] });
  const seconds = (performance.now() - start) / 1000;
  if (validation > 0) console.log(`seed ${seed}: training-set accuracy in inference mode ${model.evaluate(xTrain, train.y).accuracy.toFixed(3)}`);
  const { accuracy } = model.evaluate(xTest, test.y);
  accuracies.push(accuracy);
  console.log(`seed ${seed}: ${testName} accuracy ${accuracy.toFixed(3)}; training ${seconds.toFixed(0)} s for ${epochs} epochs (${((epochs * xTrain.shape[0]) / seconds).toFixed(0)} samples/s)`);
  if (seed === seeds[seeds.length - 1]) {
    const probs = model.predict(xTest);
    const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < test.y.length; i++) {
      const row = probs.data.subarray(10 * i, 10 * i + 10);
      confusion[test.y[i]][row.indexOf(Math.max(...row))]++;
    }
    console.log(`confusion matrix (rows: true digit, columns: predicted), seed ${seed}:`);
    console.log(`     ${[...Array(10).keys()].map((d) => String(d).padStart(3)).join('')}`);
    confusion.forEach((r, d) => console.log(`  ${d}: ${r.map((v) => String(v).padStart(3)).join('')}`));
  }
  model.dispose();
}
const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
console.log(`mean ${testName} accuracy over seeds ${seeds.join(', ')}: ${mean.toFixed(3)}`);
