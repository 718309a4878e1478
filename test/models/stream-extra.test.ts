// model.stream() with the per-step layers of issue 10 (layer norm; the noise layers, RReLU and
// TimeDistributed(Dense) at inference): the pushed chunks' outputs equal predict() on the whole
// signal; Embedding and channels-first Flatten are refused, naming the layer.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, Tensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

test('a causal net with layer norm, noise layers, rrelu and timeDistributed streams like predict', () => {
  const [L, C] = [40, 2];
  const x = input({ shape: [null, C] });
  let h = layers.conv1d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'causal' }).apply(x);
  h = layers.layerNormalization().apply(h);
  h = layers.gaussianNoise({ stddev: 0.5 }).apply(h);
  h = layers.spatialDropout1d({ rate: 0.5 }).apply(h);
  h = layers.rrelu().apply(h);
  h = layers.gaussianDropout({ rate: 0.5 }).apply(h);
  h = layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'tanh' }) }).apply(h);
  const m = model({ inputs: x, outputs: h, seed: 9 });
  try {
    m.setWeights(m.weights.map((w) => new Random(w.size).uniformArray(w.size, -0.8, 0.8)));
    const signal = new Random(5).uniformArray(L * C, -2, 2);
    const want = m.predict(new Tensor(signal, [1, L, C])).data;
    const s = m.stream({ maxChunk: 8 });
    const parts: number[] = [];
    for (let t = 0; t < L; t += 7) parts.push(...s.push(signal.subarray(t * C, Math.min(L, t + 7) * C)));
    assert.equal(parts.length, want.length);
    parts.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `value ${i}: streamed ${v}, offline ${want[i]}`));
    s.dispose();
  } finally {
    m.dispose();
  }
});

test('stream() refuses embedding and channels-first flatten, naming the layer', () => {
  // ids [L] are not a stream input at all; ids [L, 1] reach the layer's own refusal
  const ids = input({ shape: [8] });
  const e = model({ inputs: ids, outputs: layers.embedding({ inputDim: 5, outputDim: 2 }).apply(ids) });
  assert.throws(() => e.stream(), /stream\(\): the input must be a sequence \[length, channels\], got \[8\]/);
  e.dispose();
  const ids1 = input({ shape: [8, 1] });
  const e1 = model({ inputs: ids1, outputs: layers.embedding({ inputDim: 5, outputDim: 2, name: 'tok' }).apply(ids1) });
  assert.throws(() => e1.stream(), (err: unknown) => err instanceof ConfigError && /Embedding layer "tok": cannot stream \(model\.stream\(\)\): a stream carries \[length, channels\] signals, not token ids/.test(err.message));
  e1.dispose();
  const x = input({ shape: [8, 2] });
  const f = model({ inputs: x, outputs: layers.flatten({ dataFormat: 'channelsFirst', name: 'cf' }).apply(layers.conv1d({ filters: 2, kernelSize: 1 }).apply(x)) });
  assert.throws(() => f.stream(), (err: unknown) => err instanceof ConfigError && /Flatten layer "cf": cannot stream/.test(err.message));
  f.dispose();
});
