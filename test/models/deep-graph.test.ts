// A very deep graph builds and runs: the graph walk is iterative (a recursive one overflowed the
// call stack near 5,000 nodes) and naming/adding layers is linear (it was quadratic).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { input, layers, model, sequential, Tensor, type SymbolicTensor } from '../../src/index.ts';

const DEPTH = 12_000;

test(`a functional chain of ${DEPTH} layers builds, names its layers and predicts`, () => {
  const x = input({ shape: [2] });
  let y: SymbolicTensor = x;
  for (let i = 0; i < DEPTH; i++) y = layers.activation({ activation: i % 2 ? 'relu' : 'linear' }).apply(y) as SymbolicTensor;
  const m = model({ inputs: x, outputs: y });
  assert.equal(m.layers.length, DEPTH + 1);
  assert.equal(new Set(m.layers.map((l) => l.name)).size, DEPTH + 1, 'names are unique');
  assert.equal(m.layers[DEPTH].name, `activation_${DEPTH - 1}`);
  assert.deepEqual(Array.from(m.predict(new Tensor(new Float32Array([1.5, -2]), [1, 2])).data), [1.5, 0]);
  m.dispose();
});

test(`a sequential stack of ${DEPTH} layers builds and predicts`, () => {
  const s = sequential({ seed: 1, layers: [layers.dense({ units: 2, inputShape: [2], useBias: false, kernelInitializer: 'ones' }), ...Array.from({ length: DEPTH }, () => layers.activation({ activation: 'linear' }))] });
  assert.deepEqual(Array.from(s.predict(new Tensor(new Float32Array([1, 2]), [1, 2])).data), [3, 3]);
  s.dispose();
});
