// fit's `augment`: training batches only, seeded from fit's seed, crops picked while the batch is
// copied (centre crop for validation), mixup's soft targets through categorical cross-entropy.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { augment, data, input, layers, model, optimizers, sequential, tensor, ConfigError, type Augmenter, type Sequential, type Tensor } from '../../src/index.ts';
import { twoSines } from '../models/helpers.ts';

function net(seed: number, L: number | null = 64, loss = 'sparseCategoricalCrossentropy'): Sequential {
  const m = sequential({
    seed,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 5, activation: 'relu', inputShape: [L as number, 1] }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: loss as 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const weights = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));
const rowsOf = (x: Tensor, per: number) => Array.from({ length: x.shape[0] }, (_, i) => Array.from(x.data.subarray(i * per, (i + 1) * per)).join());

test('augmenters run on every training batch only (not validation, evaluate or predict), on the loaded rows', async () => {
  const train = twoSines(40, 64, 1);
  const val = twoSines(12, 64, 2);
  const seen: number[] = [];
  const known = new Set(rowsOf(train.x, 64));
  const spy: Augmenter = {
    name: 'spy',
    check: () => {},
    getConfig: () => ({}),
    apply(b) {
      seen.push(b.n);
      assert.equal(b.length, 64);
      assert.equal(b.channels, 1);
      for (let i = 0; i < b.n; i++) assert.ok(known.has(Array.from(b.x.subarray(i * 64, (i + 1) * 64)).join()), 'a training row');
    },
  };
  const m = net(1);
  await m.fit(train.x, train.y, { epochs: 2, batchSize: 16, verbose: 0, augment: [spy], validationData: [val.x, val.y] });
  assert.deepEqual(seen, [16, 16, 8, 16, 16, 8]);
  m.evaluate(val.x, val.y);
  m.predict(val.x);
  assert.equal(seen.length, 6);
  m.dispose();
});

test('what an augmenter writes is what the model trains on: zeroing every batch equals training on zeros', async () => {
  const train = twoSines(32, 64, 3);
  const zero: Augmenter = { name: 'zero', check: () => {}, getConfig: () => ({}), apply: (b) => b.x.fill(0) };
  const a = net(2);
  const b = net(2);
  await a.fit(train.x, train.y, { epochs: 2, batchSize: 8, verbose: 0, seed: 5, augment: [zero] });
  await b.fit(tensor(new Float32Array(32 * 64), [32, 64, 1]), train.y, { epochs: 2, batchSize: 8, verbose: 0, seed: 5 });
  assert.deepEqual(weights(a), weights(b));
});

test('seeded: the same fit seed gives the same weights; a zero-strength augmenter does not change the shuffling', async () => {
  const train = twoSines(48, 64, 4);
  const augs = () => [augment.jitter({ sigma: 0.1 }), augment.timeShift({ maxShift: 8 }), augment.addNoise()];
  const run = async (list: Augmenter[], seed: number) => {
    const m = net(3);
    await m.fit(train.x, train.y, { epochs: 2, batchSize: 16, verbose: 0, seed, augment: list });
    const w = weights(m);
    m.dispose();
    return w;
  };
  const w1 = await run(augs(), 11);
  assert.deepEqual(await run(augs(), 11), w1);
  assert.notDeepEqual(await run(augs(), 12), w1);
  assert.deepEqual(await run([augment.jitter({ sigma: 0 })], 11), await run([], 11));
});

test('randomCrop: trains on random windows of longer series; validation is centre cropped', async () => {
  const train = twoSines(30, 48, 5);
  const val = twoSines(10, 48, 6);
  const seen: string[] = [];
  const spy: Augmenter = {
    name: 'spy',
    check: () => {},
    getConfig: () => ({}),
    apply: (b) => {
      for (let i = 0; i < b.n; i++) seen.push(Array.from(b.x.subarray(i * 32, (i + 1) * 32)).join());
    },
  };
  const m = net(4, 32);
  const h = await m.fit(train.x, train.y, { epochs: 2, batchSize: 10, verbose: 0, augment: [augment.randomCrop({ length: 32 }), spy], validationData: [val.x, val.y] });
  assert.equal(seen.length, 60);
  // every row seen is a 32-step window of some training series, at more than one offset
  const offsets = new Set<number>();
  for (const r of seen) {
    const v = r.split(',').map(Number);
    const hit = [...Array(30).keys()].flatMap((i) => [...Array(17).keys()].filter((o) => v.every((e, t) => e === train.x.data[i * 48 + o + t])));
    assert.ok(hit.length > 0, 'a window of a training series');
    offsets.add(hit[0]);
  }
  assert.ok(offsets.size > 3, `offsets ${[...offsets]}`);
  const centre = tensor(Float32Array.from(Array.from({ length: 10 }, (_, i) => [...data.padOrCrop(val.x.data.subarray(i * 48, (i + 1) * 48), 32, { align: 'center' })]).flat()), [10, 32, 1]);
  assert.ok(Math.abs(m.evaluate(centre, val.y).loss - h.history.val_loss[1]) < 1e-6, 'val_loss is the loss on the centre crops');
  m.dispose();
});

test('randomCrop with validationSplit: the held-out samples are centre cropped', async () => {
  const train = twoSines(20, 40, 11);
  const m = net(10, 32);
  const h = await m.fit(train.x, train.y, { epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.25, augment: [augment.randomCrop({ length: 32 })] });
  const centre = tensor(Float32Array.from(Array.from({ length: 5 }, (_, i) => [...train.x.data.subarray((15 + i) * 40 + 4, (15 + i) * 40 + 36)]).flat()), [5, 32, 1]);
  assert.ok(Math.abs(m.evaluate(centre, train.y.slice(15)).loss - h.history.val_loss[0]) < 1e-6);
  m.dispose();
});

test('randomCrop on a variable-length model: trains on crops, validates on whole series', async () => {
  const train = twoSines(20, 48, 7);
  const x = input({ shape: [null, 1] });
  const y = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(layers.conv1d({ filters: 4, kernelSize: 5, activation: 'relu' }).apply(x)));
  const m = model({ inputs: x, outputs: y, seed: 5 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const h = await m.fit(train.x, train.y, { epochs: 1, batchSize: 10, verbose: 0, augment: [augment.randomCrop({ length: 24 })], validationData: [train.x, train.y] });
  assert.ok(Math.abs(m.evaluate(train.x, train.y).loss - h.history.val_loss[0]) < 1e-6);
  m.dispose();
});

test('mixup: soft targets through categorical cross-entropy (fused softmax): loss and logits gradient match -sum y log p', () => {
  const m = net(6, 64, 'categoricalCrossentropy');
  const x = twoSines(4, 64, 8).x;
  const y = Float32Array.from([0.3, 0.7, 1, 0, 0.55, 0.45, 0.1, 0.9]);
  const loss = m.computeLossAndGrads(x.data, y, 4);
  const p = m.predict(x).data;
  let want = 0;
  for (let i = 0; i < 8; i++) want -= y[i] * Math.log(p[i]);
  assert.ok(Math.abs(loss - want / 4) < 1e-5, `${loss} vs ${want / 4}`);
  // d loss / d bias of the softmax dense = mean over the batch of (p - y)
  const g = m.weightGradients().find((w) => w.name.endsWith('dense/bias'))!.data;
  for (let c = 0; c < 2; c++) {
    let s = 0;
    for (let i = 0; i < 4; i++) s += (p[i * 2 + c] - y[i * 2 + c]) / 4;
    assert.ok(Math.abs(g[c] - s) < 1e-5);
  }
  m.dispose();
});

test('mixup trains with categorical cross-entropy and class-index targets (one-hot encoded)', async () => {
  const train = twoSines(40, 64, 9);
  const m = net(7, 64, 'categoricalCrossentropy');
  const h = await m.fit(train.x, train.y, { epochs: 3, batchSize: 8, verbose: 0, augment: [augment.mixup({ alpha: 0.4 })] });
  assert.ok(h.history.loss.every(Number.isFinite));
  m.dispose();
});

test('bad augment lists and lengths: clear errors', async () => {
  const train = twoSines(8, 64, 10);
  const m = net(8);
  const fit = (augmentList: unknown, x: Tensor = train.x, extra = {}) => m.fit(x, train.y, { verbose: 0, augment: augmentList as Augmenter[], ...extra });
  await assert.rejects(fit([augment.mixup()]), /augment\.mixup mixes the targets, but output "dense(_\d+)?" has loss sparseCategoricalCrossentropy.*compile with categoricalCrossentropy/);
  await assert.rejects(fit([{ sigma: 1 }]), /fit: augment\[0\] is not an augmenter/);
  await assert.rejects(fit(augment.jitter()), /fit: augment must be a list/);
  await assert.rejects(fit([augment.randomCrop({ length: 32 })]), /augment\.randomCrop: length 32, but the model's input length is 64; declare the model with inputShape \[32, C\]/);
  await assert.rejects(fit([augment.jitter(), augment.randomCrop({ length: 64 })]), /augment\.randomCrop must come first in augment/);
  await assert.rejects(fit([augment.timeShift({ maxShift: 64 })]), /augment\.timeShift: maxShift 64 must be < the series length 64/);
  const short = net(9, 32);
  await assert.rejects(short.fit(twoSines(8, 24, 1).x, train.y, { verbose: 0, augment: [augment.randomCrop({ length: 32 })] }), /augment\.randomCrop: length 32 is longer than the series \(length 24\)/);
  const a = input({ shape: [16, 1] });
  const b = input({ shape: [16, 1] });
  const two = model({ inputs: [a, b], outputs: layers.dense({ units: 2, activation: 'softmax' }).apply(layers.concatenate().apply([layers.globalAveragePooling1d().apply(a), layers.globalAveragePooling1d().apply(b)])) });
  two.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x2 = tensor(new Float32Array(8 * 16), [8, 16, 1]);
  await assert.rejects(two.fit([x2, x2], train.y, { verbose: 0, augment: [augment.jitter()] }), (e: unknown) => e instanceof ConfigError && /fit: augment works on models with one input; the model has 2/.test(e.message));
  for (const x of [m, short, two]) x.dispose();
});
