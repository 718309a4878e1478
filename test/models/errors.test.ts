// Bad input gets a clear error naming the layer or argument, the value and what was expected.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, optimizers, sequential, tensor, Tensor, losses } from '../../src/index.ts';

function model() {
  const m = sequential({
    seed: 1,
    layers: [layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [20, 2] }), layers.globalAveragePooling1d(), layers.dense({ units: 3, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const x = (n: number, L = 20, C = 2) => new Tensor(new Float32Array(n * L * C).fill(0.1), [n, L, C]);

test('misspelled or unknown config keys name the layer, the key and a suggestion', () => {
  assert.throws(() => layers.conv1d({ filters: 4, kernelSzie: 3 } as never), /Conv1D: unknown option "kernelSzie" \(did you mean "kernelSize"\?\)/);
  assert.throws(() => layers.dense({ units: 2, activaton: 'relu' } as never), /Dense: unknown option "activaton" \(did you mean "activation"\?\)/);
  assert.throws(() => optimizers.adam({ lr: 0.1 } as never), /optimizers.adam: unknown option "lr"/);
});

test('bad values name the field, the value and what is allowed', () => {
  assert.throws(() => layers.conv1d({ filters: 0, kernelSize: 3 }), /Conv1D: filters must be a positive integer, got 0/);
  assert.throws(() => layers.conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never }), /padding must be one of "valid", "same", "causal", got "full"/);
  assert.throws(() => layers.dense({ units: 2, activation: 'rleu' as never }), /activation must be one of .* got "rleu" \(did you mean "relu"\?\)/);
  assert.throws(() => layers.dropout({ rate: 1.5 }), /rate must be a finite number in \[0, 1\], got 1.5/);
  assert.throws(() => layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [20, -1] }), /inputShape must be an array of positive integers/);
});

test('unknown loss, optimizer and metric names are rejected with the known ones', () => {
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
  assert.throws(() => m.compile({ optimizer: 'adamq' as never, loss: 'mse' }), /unknown optimizer "adamq" \(did you mean "adam"\?\)/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'categoricalCrossEntropy' as never }), /unknown loss "categoricalCrossEntropy" \(did you mean "categoricalCrossentropy"\?\)/);
  assert.throws(() => losses.huber({ delta: -1 }), /delta must be a finite number in \[0, Infinity\], got -1/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] }), /unknown metric "acuracy" \(did you mean "accuracy"\?\)/);
  m.dispose();
});

test('layers that do not fit their input shape say so when the model is built', () => {
  const m = sequential({ layers: [layers.conv1d({ filters: 2, kernelSize: 9, inputShape: [5, 1] })] });
  assert.throws(() => m.build(), /Conv1D layer "conv1d": input length 5 is shorter than the kernel span 9/);
  const p = sequential({ layers: [layers.dense({ units: 2, inputShape: [4] }), layers.maxPooling1d()] });
  assert.throws(() => p.build(), /MaxPooling1D layer "max_pooling1d": expects input of shape \[length, channels\], got \[2\]/);
  assert.throws(() => sequential({ layers: [layers.flatten()] }), /the first layer \(Flatten\) needs inputShape/);
});

test('fit before compile, wrong input shapes, NaN inputs and labels out of range', async () => {
  const raw = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
  await assert.rejects(raw.fit(tensor([[1, 2, 3]]), [0]), /fit: call model.compile/);
  raw.dispose();
  const m = model();
  await assert.rejects(m.fit(x(4, 21), [0, 1, 2, 0], { verbose: 0 }), /fit x: expected shape \[n, 20, 2\] .* got \[4, 21, 2\]/);
  await assert.rejects(m.fit(x(4, 20, 3), [0, 1, 2, 0], { verbose: 0 }), /got \[4, 20, 3\]/);
  const bad = x(4);
  bad.data[2 * 40 + 7] = NaN;
  await assert.rejects(m.fit(bad, [0, 1, 2, 0], { verbose: 0 }), /fit x: value NaN at sample 2, position 7/);
  bad.data[2 * 40 + 7] = Infinity;
  assert.throws(() => m.predict(bad), /predict x: value Infinity at sample 2, position 7/);
  await assert.rejects(m.fit(x(4), [0, 1, 3, 0], { verbose: 0 }), /label 3 of sample 2 is out of range: the model has 3 output classes, so labels must be integers 0..2/);
  await assert.rejects(m.fit(x(4), [0, 1, 2], { verbose: 0 }), /3 targets for 4 input samples/);
  await assert.rejects(m.fit(x(4), [0, 1, 2, 0], { verbose: 0, epocs: 3 } as never), /fit: unknown option "epocs" \(did you mean "epochs"\?\)/);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await assert.rejects(m.fit(x(2), tensor([[1, 0], [0, 1]]), { verbose: 0 }), /expected targets of shape \[n, 3\] for loss categoricalCrossentropy, got \[2, 2\]/);
  m.dispose();
});

test('options that are null, arrays or numbers are refused by name, not read as fields', async () => {
  const m = model();
  const y = new Int32Array(4);
  assert.throws(() => m.predict(x(4), null as never), /predict: expected an options object, got null/);
  assert.throws(() => m.evaluate(x(4), y, null as never), /evaluate: expected an options object, got null/);
  await assert.rejects(m.fit(x(4), y, null as never), /fit: expected an options object, got null/);
  assert.throws(() => m.predict(x(4), [] as never), /predict: expected an options object/);
  assert.throws(() => layers.dense(null as never), /Dense: expected an options object, got null/);
  m.dispose();
});
