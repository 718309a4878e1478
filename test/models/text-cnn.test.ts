// End to end: a text CNN (embedding -> conv1d -> global max pool -> dense) learns which of two
// "words" (token 1 or token 2) a sequence of random tokens contains, with layer norm, spatial
// dropout, gaussian noise and an l2 penalty in the way; held-out accuracy well above chance.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, sequential, tensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

function task(n: number, seed: number) {
  const rng = new Random(seed);
  const [L, V] = [16, 12];
  const x = new Float32Array(n * L);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < L; l++) x[i * L + l] = 3 + rng.int(V - 3);
    y[i] = rng.int(2);
    x[i * L + rng.int(L)] = 1 + y[i]; // the word that names the class
  }
  return { x: tensor(x, [n, L]), y: Array.from(y) };
}

test('a seeded text CNN with the new layers learns a token-presence task', async () => {
  const m = sequential({
    seed: 1,
    layers: [
      layers.embedding({ inputDim: 12, outputDim: 8, inputShape: [16] }),
      layers.spatialDropout1d({ rate: 0.1 }),
      layers.conv1d({ filters: 16, kernelSize: 3, padding: 'same', kernelRegularizer: 'l2' }),
      layers.layerNormalization(),
      layers.rrelu(),
      layers.gaussianNoise({ stddev: 0.05 }),
      layers.globalMaxPooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  try {
    const train = task(256, 2);
    const testSet = task(128, 3);
    await m.fit(train.x, train.y, { epochs: 15, batchSize: 32, verbose: 0 });
    const { accuracy } = m.evaluate(testSet.x, testSet.y);
    assert.ok(accuracy >= 0.9, `held-out accuracy ${accuracy}`);
  } finally {
    m.dispose();
  }
});
