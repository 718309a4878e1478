// Multi-input / multi-output models through compile/fit/evaluate/predict with the TF.js forms:
// losses, lossWeights and metrics per output (list or {outputName}), inputs and targets as lists
// or name-keyed objects, Keras log names, and the errors for a missing or unknown output.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, Tensor, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const L = 16;

/** Two signals a, b [L, 1]; task "which": is a's mean above b's (2 classes); task "sum": 0.5 (mean a + mean b). */
function toyData(n: number, seed: number) {
  const rng = new Random(seed);
  const a = new Float32Array(n * L);
  const b = new Float32Array(n * L);
  const which = new Int32Array(n);
  const sum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ma = rng.uniform(-1, 1);
    const mb = rng.uniform(-1, 1);
    for (let t = 0; t < L; t++) {
      a[i * L + t] = ma + 0.2 * rng.normal();
      b[i * L + t] = mb + 0.2 * rng.normal();
    }
    which[i] = ma > mb ? 1 : 0;
    sum[i] = 0.5 * (ma + mb);
  }
  return { a: new Tensor(a, [n, L, 1]), b: new Tensor(b, [n, L, 1]), which, sum: new Tensor(sum, [n, 1]) };
}

function twoByTwo(seed: number): LayersModel {
  const a = input({ shape: [L, 1], name: 'a' });
  const b = input({ shape: [L, 1], name: 'b' });
  const shared = layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' });
  const fa = layers.globalAveragePooling1d().apply(shared.apply(a));
  const fb = layers.globalAveragePooling1d().apply(shared.apply(b));
  const h = layers.dense({ units: 8, activation: 'tanh' }).apply(layers.concatenate().apply([fa, fb]));
  const which = layers.dense({ units: 2, activation: 'softmax', name: 'which' }).apply(h);
  const sum = layers.dense({ units: 1, name: 'sum' }).apply(h);
  return model({ inputs: [a, b], outputs: [which, sum], seed });
}

test('a two-input/two-output model learns a toy task; logs are named as in Keras', async () => {
  const m = twoByTwo(3);
  try {
    m.compile({ optimizer: 'adam', loss: { which: 'sparseCategoricalCrossentropy', sum: 'mse' }, lossWeights: { sum: 0.5 }, metrics: { which: ['accuracy'], sum: 'mae' } });
    const train = toyData(256, 1);
    const test = toyData(128, 2);
    const before = m.evaluate([test.a, test.b], [test.which, test.sum]);
    const h = await m.fit({ a: train.a, b: train.b }, { which: train.which, sum: train.sum }, { epochs: 40, batchSize: 32, verbose: 0, validationData: [{ b: test.b, a: test.a }, [test.which, test.sum]] });
    assert.deepEqual(Object.keys(h.history).sort(), ['loss', 'sum_loss', 'sum_mae', 'val_loss', 'val_sum_loss', 'val_sum_mae', 'val_which_accuracy', 'val_which_loss', 'which_accuracy', 'which_loss']);
    const after = m.evaluate({ a: test.a, b: test.b }, { sum: test.sum, which: test.which });
    assert.deepEqual(Object.keys(after).sort(), ['loss', 'sum_loss', 'sum_mae', 'which_accuracy', 'which_loss']);
    // the total is the weighted sum of the outputs' losses (which: weight 1 by default)
    assert.ok(Math.abs(after.loss - (after.which_loss + 0.5 * after.sum_loss)) < 1e-5, `loss ${after.loss} vs ${after.which_loss} + 0.5 * ${after.sum_loss}`);
    assert.ok(after.which_accuracy >= 0.9, `which accuracy ${after.which_accuracy} (before training ${before.which_accuracy})`);
    assert.ok(after.sum_mae < 0.5 * before.sum_mae, `sum mae ${after.sum_mae}, before training ${before.sum_mae}`);
    assert.ok(after.loss < 0.5 * before.loss, `loss ${after.loss}, before training ${before.loss}`);
    // predict: a list of one tensor per output, the same for a list or a name-keyed object
    const [p, s] = m.predict<Tensor[]>([test.a, test.b]);
    assert.deepEqual([p.shape, s.shape], [[128, 2], [128, 1]]);
    const [p2, s2] = m.predict<Tensor[]>({ b: test.b, a: test.a });
    assert.deepEqual([Array.from(p2.data), Array.from(s2.data)], [Array.from(p.data), Array.from(s.data)]);
    let hits = 0;
    for (let i = 0; i < 128; i++) if ((p.data[2 * i + 1] > p.data[2 * i] ? 1 : 0) === test.which[i]) hits++;
    assert.equal(hits / 128, after.which_accuracy, 'accuracy from predict agrees with evaluate');
  } finally {
    m.dispose();
  }
});

test('one loss for every output, losses as a list, metrics as a list for every output', () => {
  const x = input({ shape: [4], name: 'x' });
  const u = layers.dense({ units: 2, name: 'u' }).apply(x);
  const v = layers.dense({ units: 3, name: 'v' }).apply(x);
  const m = model({ inputs: x, outputs: [u, v], seed: 1 });
  try {
    const xs = new Tensor(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)), [5, 4]);
    const yu = new Tensor(new Float32Array(10).fill(0.5), [5, 2]);
    const yv = new Tensor(new Float32Array(15).fill(-0.5), [5, 3]);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const one = m.evaluate(xs, [yu, yv]);
    assert.deepEqual(Object.keys(one).sort(), ['loss', 'u_loss', 'u_mae', 'v_loss', 'v_mae']);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'mae' }); // one name, as Keras also takes
    assert.deepEqual(m.evaluate(xs, [yu, yv]), one);
    m.compile({ optimizer: 'sgd', loss: ['mse', 'mae'], lossWeights: [2, 3] });
    const two = m.evaluate(xs, { u: yu, v: yv });
    assert.equal(two.u_loss, one.u_loss);
    assert.ok(Math.abs(two.v_loss - one.v_mae) < 1e-6, `mae as a loss ${two.v_loss} equals mae as a metric ${one.v_mae}`);
    assert.ok(Math.abs(two.loss - (2 * one.u_loss + 3 * one.v_mae)) < 1e-5);
  } finally {
    m.dispose();
  }
});

test('a missing loss, an unknown output, wrong list lengths and missing data are ConfigErrors naming the output', () => {
  const m = twoByTwo(5);
  const d = toyData(4, 9);
  try {
    const err = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof ConfigError && re.test(e.message));
    err(() => m.compile({ optimizer: 'sgd', loss: { which: 'sparseCategoricalCrossentropy' } }), /compile: loss gives no loss for output "sum"; every output needs one \(outputs: "which", "sum"\)/);
    err(() => m.compile({ optimizer: 'sgd', loss: { which: 'mse', summ: 'mse' } }), /loss names output "summ", which the model does not have.*did you mean "sum"/);
    err(() => m.compile({ optimizer: 'sgd', loss: ['mse'] }), /loss lists 1 entries, the model has 2 outputs \("which", "sum"\)/);
    err(() => m.compile({ optimizer: 'sgd', loss: ['mse', 'nope'] }), /loss\[1\] \(output "sum"\): loss: unknown loss "nope"/);
    err(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: { sum: -1 } }), /lossWeights\["sum"\] must be a finite number >= 0, got -1/);
    err(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: { sum: ['accuracy'] } }), /metric "accuracy" needs a classification loss/);
    assert.equal(m.optimizer, null, 'a refused compile leaves the model uncompiled');
    m.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'] });
    err(() => m.evaluate(d.a, [d.which, d.sum]), /evaluate x: the model has 2 inputs \("a", "b"\); pass a list with one entry each, or \{name: data\}; got one tensor \[4,16,1\]/);
    err(() => m.evaluate({ a: d.a }, [d.which, d.sum]), /evaluate x: no data for input "b"/);
    err(() => m.evaluate({ a: d.a, b: d.b, c: d.b }, [d.which, d.sum]), /evaluate x: the model has no input named "c"/);
    err(() => m.evaluate([d.a, d.b], { which: d.which }), /evaluate y: no data for output "sum"/);
    err(() => m.evaluate([d.a, d.b.slice(0, 3)], [d.which, d.sum]), /input "b" has 3 samples, input "a" has 4/);
    err(() => m.evaluate([d.a, d.b], [Int32Array.from([0, 1, 0, 7]), d.sum]), /evaluate y\["which"\]: label 7 of sample 3 is out of range/);
    err(() => m.trainOnBatch([d.a.data, d.b.data], d.which as unknown as Float32Array, 4), /trainOnBatch: the model has 2 outputs, got 1 target arrays/);
  } finally {
    m.dispose();
  }
});

test('trainOnBatch takes one target array per output and returns the weighted total', () => {
  const m = twoByTwo(8);
  const d = toyData(6, 4);
  try {
    m.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'mse'], lossWeights: [1, 0] });
    const xs = [d.a.data, d.b.data];
    const total = m.computeLossAndGrads(xs, [Float32Array.from(d.which), d.sum.data], 6);
    const { values } = m.runLosses(6, false);
    assert.ok(values[1] > 0, 'the second output has a loss');
    assert.equal(total, values[0], 'a weight of 0 leaves the second output out of the total');
    const dSum = m.weightGradients().find((g) => g.name.startsWith('sum/'))!;
    assert.ok(dSum.data.every((v) => v === 0), 'and out of the gradients of its head');
  } finally {
    m.dispose();
  }
});
