import { test } from 'vitest';
import assert from 'node:assert/strict';
import { callbacks, layers, optimizers, sequential, tensor, Tensor, type Sequential } from '../../src/index.ts';
import { twoSines } from './helpers.ts';

function smallNet(seed: number, dropout = 0): Sequential {
  const model = sequential({
    seed,
    layers: [
      layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [64, 1] }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.globalAveragePooling1d(),
      ...(dropout ? [layers.dropout({ rate: dropout })] : []),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('fit learns a two-class signal task; evaluate and predict agree with it', async () => {
  const train = twoSines(200, 64, 1);
  const testSet = twoSines(100, 64, 2);
  const model = smallNet(3);
  const history = await model.fit(train.x, train.y, { epochs: 15, batchSize: 16, verbose: 0, validationData: [testSet.x, testSet.y] });
  assert.deepEqual(history.epoch, [...Array(15).keys()]);
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) assert.equal(history.history[key].length, 15, key);
  assert.ok(history.history.loss[14] < history.history.loss[0], 'loss decreases');
  const result = model.evaluate(testSet.x, testSet.y);
  assert.ok(result.accuracy >= 0.95, `test accuracy ${result.accuracy}`);
  assert.ok(Math.abs(result.loss - history.history.val_loss[14]) < 1e-5, 'evaluate matches the last val_loss');
  const probs = model.predict(testSet.x, { batchSize: 7 });
  assert.deepEqual(probs.shape, [100, 2]);
  let hits = 0;
  for (let i = 0; i < 100; i++) if ((probs.data[2 * i + 1] > probs.data[2 * i] ? 1 : 0) === testSet.y[i]) hits++;
  assert.equal(hits / 100, result.accuracy, 'predict argmax gives the evaluated accuracy');
  const nested = probs.toArray() as number[][];
  assert.equal(nested.length, 100);
  assert.equal(nested[3][1], probs.data[7]);
  model.dispose();
});

test('a seed makes initialisation, shuffling and dropout reproducible bit for bit', async () => {
  const { x, y } = twoSines(64, 64, 5);
  const run = async (seed: number) => {
    const m = smallNet(seed, 0.3);
    await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const w = m.getWeights().map((v) => [...v.data]);
    m.dispose();
    return w;
  };
  const a = await run(11);
  const b = await run(11);
  const c = await run(12);
  assert.deepEqual(a, b, 'same seed, same weights');
  assert.notDeepEqual(a, c, 'another seed, other weights');
});

test('predict handles any number of samples, including fewer than a batch and an exact multiple', () => {
  const model = smallNet(1);
  const { x } = twoSines(70, 64, 9);
  const all = model.predict(x, { batchSize: 32 });
  const one = model.predict(x.slice(5, 6));
  assert.deepEqual([...one.data], [...all.data.slice(10, 12)]);
  const exact = model.predict(x.slice(0, 64), { batchSize: 32 });
  assert.deepEqual([...exact.data], [...all.data.slice(0, 128)]);
  model.dispose();
});

test('inputs as nested arrays, Float32Array tensors and [n, L] without a channel axis', () => {
  const model = smallNet(2);
  const { x } = twoSines(3, 64, 4);
  const a = model.predict(x);
  const nested = model.predict(x.toArray() as number[][][]);
  const flat = model.predict(tensor(x.data, [3, 64]));
  assert.deepEqual([...nested.data], [...a.data]);
  assert.deepEqual([...flat.data], [...a.data]);
  model.dispose();
});

test('one-hot targets with categoricalCrossentropy, and integer labels one-hot encoded for it', async () => {
  const { x, y } = twoSines(40, 64, 6);
  const onehot = new Tensor(new Float32Array(80), [40, 2]);
  y.forEach((c, i) => (onehot.data[2 * i + c] = 1));
  const m1 = smallNet(4);
  m1.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h1 = await m1.fit(x, onehot, { epochs: 2, batchSize: 10, verbose: 0, shuffle: false });
  const m2 = smallNet(4);
  m2.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h2 = await m2.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, shuffle: false });
  assert.deepEqual(h1.history.loss, h2.history.loss);
  m1.dispose();
  m2.dispose();
});

test('regression with MSE and a mae metric; validationSplit holds out the last samples', async () => {
  const { x } = twoSines(50, 64, 8);
  const target = new Tensor(new Float32Array(50), [50, 1]);
  for (let i = 0; i < 50; i++) target.data[i] = x.data[i * 64] * 0.5;
  const model = sequential({
    seed: 1,
    layers: [layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [64, 1] }), layers.flatten(), layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
  const h = await model.fit(x, target, { epochs: 3, validationSplit: 0.2, verbose: 0 });
  assert.ok(h.history.val_mae.length === 3 && h.history.mae.every(Number.isFinite));
  model.dispose();
});

test('callbacks: per-batch and per-epoch hooks, early stopping restores the best weights, decays set the rate', async () => {
  const { x, y } = twoSines(48, 64, 3);
  const model = smallNet(7);
  const seen: string[] = [];
  let bestAtStop: number[] = [];
  const es = callbacks.earlyStopping({ monitor: 'loss', patience: 0, restoreBestWeights: true });
  const spy = {
    onEpochEnd: (epoch: number, logs: Record<string, number>) => {
      seen.push(`e${epoch}:${logs.loss.toFixed(3)}`);
    },
    onBatchEnd: (batch: number) => {
      if (batch === 0) seen.push('b0');
    },
  };
  // a learning rate that makes the loss go up after the first epoch, so early stopping fires
  model.compile({ optimizer: optimizers.sgd({ learningRate: 5 }), loss: 'sparseCategoricalCrossentropy' });
  const h = await model.fit(x, y, {
    epochs: 20,
    batchSize: 16,
    verbose: 0,
    callbacks: [es, spy, { onEpochEnd: (e) => { if (e === es.bestEpoch) bestAtStop = model.getWeights().flatMap((w) => [...w.data]); } }],
  });
  assert.ok(seen.includes('b0') && seen[1].startsWith('e0'), seen.join(' '));
  if (es.stoppedEpoch >= 0) {
    assert.ok(h.epoch.length < 20, 'stopped early');
    assert.deepEqual(model.getWeights().flatMap((w) => [...w.data]), bestAtStop, 'best weights restored');
  }
  const lrs: number[] = [];
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [callbacks.stepDecay({ factor: 0.5, every: 2 }), { onEpochEnd: () => void lrs.push(model.optimizer!.learningRate) }] });
  assert.deepEqual(lrs, [0.1, 0.1, 0.05, 0.05]);
  lrs.length = 0;
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [callbacks.exponentialDecay({ decayRate: 0.5 }), { onEpochEnd: () => void lrs.push(model.optimizer!.learningRate) }] });
  assert.deepEqual(lrs.map((v) => +v.toFixed(6)), [0.1, 0.05, 0.025]);
  lrs.length = 0;
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  model.optimizer!.learningRate = 0.4;
  await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minDelta: 10 }), { onEpochEnd: () => void lrs.push(model.optimizer!.learningRate) }] });
  assert.deepEqual(lrs, [0.4, 0.2, 0.1, 0.05], 'no epoch improves by minDelta 10, so every epoch after the first halves the rate');
  model.dispose();
});

test('early stopping fires when the monitored value stops improving', async () => {
  const { x, y } = twoSines(32, 64, 3);
  const model = smallNet(7);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  const es = callbacks.earlyStopping({ monitor: 'loss', patience: 2 });
  const h = await model.fit(x, y, { epochs: 10, verbose: 0, shuffle: false, callbacks: [es] });
  assert.equal(h.epoch.length, 3, 'a frozen model never improves: stops after patience + 1 epochs');
  assert.equal(es.stoppedEpoch, 2);
  model.dispose();
});

test('a loss that becomes NaN/Infinity stops training with an error naming the step', async () => {
  const { x, y } = twoSines(32, 64, 3);
  const model = smallNet(7);
  model.setWeights(model.getWeights().map((w) => w.data.map(() => 3e38)));
  await assert.rejects(model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 }), /loss became (NaN|Infinity) at epoch 1, batch 1 \(step 1\)/);
  model.dispose();
});

test('summary lists layers, output shapes and parameter counts', () => {
  const model = smallNet(1);
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  const text = lines.join('\n');
  assert.match(text, /conv1d \(Conv1D\)\s+\[null, 60, 8\]\s+48/);
  assert.match(text, /dense \(Dense\)\s+\[null, 2\]\s+18/);
  assert.equal(model.countParams(), 48 + 200 + 18);
  assert.match(text, /Total params: 266/);
  model.dispose();
});
