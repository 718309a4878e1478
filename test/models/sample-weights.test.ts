// fit's classWeight / sampleWeight against Keras's semantics: loss = sum_i w_i l_i / B (not
// renormalised), the reported loss is the weighted one, and a weight of 2 is the same gradient
// step as the sample twice (scaled by the batch sizes).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { input, layers, model, optimizers, sequential, tensor, ConfigError, type LossIdentifier, type Sequential, type Tensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const L = 16;
function net(loss: LossIdentifier, lr: number, units = 3): Sequential {
  const m = sequential({
    seed: 4,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh', inputShape: [L, 1] }),
      layers.globalAveragePooling1d(),
      layers.dense({ units, activation: loss === 'meanSquaredError' ? 'linear' : 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.sgd({ learningRate: lr }), loss });
  return m;
}
function data(n: number, seed: number): { x: Tensor; y: Int32Array } {
  const r = new Random(seed);
  return { x: tensor(Float32Array.from({ length: n * L }, () => r.normal()), [n, L, 1]), y: Int32Array.from({ length: n }, (_, i) => i % 3) };
}
const rowsOf = (x: Tensor, idx: number[]) => tensor(Float32Array.from(idx.flatMap((i) => [...x.data.subarray(i * L, (i + 1) * L)])), [idx.length, L, 1]);
const close = (a: number[], b: number[], tol: number, what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`));
const flat = (m: Sequential) => m.getWeights().flatMap((w) => Array.from(w.data));

test('classWeight {1: 2} is the same step as duplicating the class-1 samples (sparse and one-hot targets)', async () => {
  const n = 9;
  const { x, y } = data(n, 1);
  const dup = [...Array(n).keys()].flatMap((i) => (y[i] === 1 ? [i, i] : [i]));
  const n2 = dup.length;
  for (const loss of ['sparseCategoricalCrossentropy', 'categoricalCrossentropy'] as const) {
    // SGD: dtheta = -lr * (1/B) sum_i w_i grad l_i, so lr * n2 / n on the duplicated batch gives the same step
    const a = net(loss, 0.1);
    const ha = await a.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0, classWeight: { 1: 2 } });
    const b = net(loss, (0.1 * n2) / n);
    const hb = await b.fit(rowsOf(x, dup), Int32Array.from(dup, (i) => y[i]), { epochs: 1, batchSize: n2, shuffle: false, verbose: 0 });
    close([ha.history.loss[0] * n], [hb.history.loss[0] * n2], 1e-6, `${loss} summed loss`);
    close(flat(a), flat(b), 1e-6, `${loss} weights after the step`);
    a.dispose();
    b.dispose();
  }
});

test('sampleWeight: the reported loss is sum_i w_i l_i / B with l_i each sample alone (MSE, unfused path), and weight 0 removes a sample', async () => {
  const n = 6;
  const { x } = data(n, 2);
  const r = new Random(3);
  const y = tensor(Float32Array.from({ length: n * 2 }, () => r.normal()), [n, 2]);
  const w = [0.5, 2, 0, 1, 3, 1.5];
  const a = net('meanSquaredError', 0, 2);
  const per = [...Array(n).keys()].map((i) => a.evaluate(rowsOf(x, [i]), tensor(y.data.slice(2 * i, 2 * i + 2), [1, 2])).loss);
  const h = await a.fit(x, y, { epochs: 1, batchSize: n, verbose: 0, sampleWeight: w });
  close([h.history.loss[0]], [per.reduce((s, l, i) => s + w[i] * l, 0) / n], 1e-6, 'weighted loss');
  a.dispose();
  // the gradient ignores a zero-weight sample: same step as training without it, lr scaled by 6/5
  const keep = [0, 1, 3, 4, 5];
  const b = net('meanSquaredError', 0.05, 2);
  await b.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0, sampleWeight: [1, 1, 0, 1, 1, 1] });
  const c = net('meanSquaredError', (0.05 * 5) / 6, 2);
  await c.fit(rowsOf(x, keep), tensor(Float32Array.from(keep.flatMap((i) => [y.data[2 * i], y.data[2 * i + 1]])), [5, 2]), { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
  close(flat(b), flat(c), 1e-6, 'weights');
  b.dispose();
  c.dispose();
});

test('classWeight and sampleWeight multiply; validationSplit keeps the weights of its samples, validationData is unweighted', async () => {
  const n = 10;
  const { x, y } = data(n, 4);
  const a = net('sparseCategoricalCrossentropy', 0);
  const per = [...Array(n).keys()].map((i) => a.evaluate(rowsOf(x, [i]), Int32Array.of(y[i])).loss);
  const sw = Array.from({ length: n }, (_, i) => 1 + i / 10);
  const w = sw.map((v, i) => v * (y[i] === 2 ? 3 : 1));
  const h = await a.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, sampleWeight: sw, classWeight: { 2: 3 }, validationSplit: 0.3 });
  // training on samples 0..6 in batches of 4 and 3: the epoch loss is the sample-weighted mean of the batch losses
  const batchLoss = (from: number, to: number) => per.slice(from, to).reduce((s, l, i) => s + w[from + i] * l, 0) / (to - from);
  close([h.history.loss[0]], [(4 * batchLoss(0, 4) + 3 * batchLoss(4, 7)) / 7], 1e-6, 'loss');
  close([h.history.val_loss[0]], [batchLoss(7, 10)], 1e-6, 'val_loss over samples 7..9, weighted');
  const h2 = await a.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, classWeight: { 0: 5 }, validationData: [x, y] });
  close([h2.history.val_loss[0]], [per.reduce((s, l) => s + l, 0) / n], 1e-6, 'unweighted val_loss');
  a.dispose();
});

test('bad weights: unknown classes, negative weights, wrong lengths, several outputs', async () => {
  const { x, y } = data(6, 5);
  const m = net('sparseCategoricalCrossentropy', 0.1);
  const fit = (extra: object) => m.fit(x, y, { verbose: 0, ...extra });
  const bad = (e: unknown, re: RegExp) => e instanceof ConfigError && re.test(e.message);
  await assert.rejects(fit({ classWeight: { 3: 2 } }), (e) => bad(e, /fit: classWeight has a weight for class "3", but the model's output has 3 classes \(0\.\.2\)/));
  await assert.rejects(fit({ classWeight: { cat: 2 } }), (e) => bad(e, /fit: classWeight has a weight for class "cat"/));
  await assert.rejects(fit({ classWeight: { 1: -1 } }), (e) => bad(e, /fit: classWeight\[1\] must be a finite number >= 0, got -1/));
  await assert.rejects(fit({ classWeight: [1, 2, 3] }), (e) => bad(e, /fit: classWeight must be an object \{classIndex: weight\}/));
  await assert.rejects(fit({ sampleWeight: [1, 2] }), (e) => bad(e, /fit: sampleWeight has 2 values for 6 samples; give one weight per sample/));
  await assert.rejects(fit({ sampleWeight: [1, 1, 1, -0.5, 1, 1] }), (e) => bad(e, /fit: sampleWeight\[3\] must be a finite number >= 0, got -0\.5/));
  await assert.rejects(fit({ sampleWeight: [1, 1, 1, NaN, 1, 1] }), (e) => bad(e, /fit: sampleWeight\[3\] must be a finite number >= 0, got NaN/));
  await assert.rejects(fit({ sampleWeight: 'all' }), (e) => bad(e, /fit: sampleWeight must be one weight per sample/));
  const i = input({ shape: [L, 1] });
  const h = layers.globalAveragePooling1d().apply(i);
  const two = model({ inputs: i, outputs: [layers.dense({ units: 3, activation: 'softmax' }).apply(h), layers.dense({ units: 3, activation: 'softmax' }).apply(h)] });
  two.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await assert.rejects(two.fit(x, [y, y], { verbose: 0, classWeight: { 0: 2 } }), (e) => bad(e, /fit: classWeight needs a model with one output; the model has 2/));
  m.dispose();
  two.dispose();
});
