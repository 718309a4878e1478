// Addresses are unsigned everywhere (issue 15.2): models, their plans and stream sessions placed
// just below, across and above 2 GiB and near 4 GiB (a spacer region from the arena puts them
// there; the memory's pages past the spacer's start are never touched, so this costs address
// space, not RAM) predict, train and stream bit for bit as the same model low in memory, on 1
// and 2 threads, and a sentinel model below the spacer predicts as before.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createRuntime, input, layers, model, runtime, Tensor, type LayersModel, type Runtime } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const signals = (n: number, L: number, C: number, seed: number) => new Tensor(new Random(seed).uniformArray(n * L * C, -1, 1), [n, L, C]);

/** A causal graph over many kernels (so it also streams): conv + BN + ReLU, a depthwise and a
 *  separable branch added, layer norm, PReLU, pooling, a concatenation, a per-step dense. */
function build(rt: Runtime, threads: number): LayersModel {
  const x = input({ shape: [48, 3] });
  let h = layers.conv1d({ filters: 8, kernelSize: 3, padding: 'causal' }).apply(x);
  h = layers.activation({ activation: 'relu' }).apply(layers.batchNormalization().apply(h));
  const a = layers.depthwiseConv1d({ kernelSize: 3, padding: 'causal' }).apply(h);
  const b = layers.separableConv1d({ filters: 8, kernelSize: 3, padding: 'causal', dilationRate: 2 }).apply(h);
  h = layers.add().apply([a, b]);
  h = layers.prelu({ sharedAxes: [1] }).apply(layers.layerNormalization().apply(h));
  h = layers.maxPooling1d({ poolSize: 2 }).apply(h);
  const c = layers.conv1d({ filters: 4, kernelSize: 2, padding: 'causal', activation: 'tanh' }).apply(h);
  h = layers.concatenate().apply([h, c]);
  const y = layers.dense({ units: 3, activation: 'softmax' }).apply(h);
  const m = model({ inputs: x, outputs: y, seed: 5, runtime: rt, threads });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

/** The other kernels: pooling of every kind, transposed and strided convolutions, padding,
 *  cropping, up-sampling, noise and dropout, multiply, time-distributed, permute, regularizers
 *  and constraints, mean squared error and RMSprop. Trained and predicted, not streamed. */
function buildWide(rt: Runtime, threads: number): LayersModel {
  const x = input({ shape: [48, 3] });
  let h = layers.zeroPadding1d({ padding: 2 }).apply(x);
  h = layers.conv1d({ filters: 6, kernelSize: 5, strides: 2, kernelRegularizer: 'l2', kernelConstraint: 'maxNorm' }).apply(h);
  h = layers.gaussianNoise({ stddev: 0.1 }).apply(h);
  h = layers.rrelu().apply(h);
  const a = layers.averagePooling1d({ poolSize: 2 }).apply(h);
  const b = layers.upSampling1d({ size: 2 }).apply(layers.maxPooling1d({ poolSize: 4 }).apply(h));
  h = layers.cropping1d({ cropping: [1, 2] }).apply(layers.multiply().apply([a, b])); // [12, 6] -> [9, 6]
  h = layers.conv1dTranspose({ filters: 4, kernelSize: 3, strides: 2 }).apply(h);
  h = layers.spatialDropout1d({ rate: 0.2 }).apply(layers.dropout({ rate: 0.1 }).apply(h));
  h = layers.timeDistributed({ layer: layers.dense({ units: 5, activation: 'sigmoid' }) }).apply(h);
  h = layers.permute({ dims: [2, 1] }).apply(h);
  const g = layers.concatenate().apply([layers.globalAveragePooling1d().apply(h), layers.globalMaxPooling1d().apply(h)]);
  const y = layers.dense({ units: 2 }).apply(g);
  const m = model({ inputs: x, outputs: y, seed: 6, runtime: rt, threads });
  m.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError' });
  return m;
}

const X = signals(6, 48, 3, 1);
const Y = new Tensor(Float32Array.from({ length: 6 * 24 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [6, 24, 3]);
const SIGNAL = signals(1, 40, 3, 2).data;

/** What a model computes: predictions, weights after two epochs, predictions after, stream
 *  outputs; then the same of the wide model in the same memory. */
async function results(m: LayersModel, wide: LayersModel): Promise<Uint8Array[]> {
  const out = [bytesOf(m.predict(X, { batchSize: 4 }).data)];
  await m.fit(X, Y, { epochs: 2, batchSize: 4, verbose: 0, seed: 3 });
  for (const w of m.getWeights()) out.push(bytesOf(w.data));
  out.push(bytesOf(m.predict(X).data));
  out.push(bytesOf(wide.predict(X, { batchSize: 4 }).data));
  await wide.fit(X, signals(6, 1, 2, 4).reshape([6, 2]), { epochs: 2, batchSize: 4, verbose: 0, seed: 3 });
  for (const w of wide.getWeights()) out.push(bytesOf(w.data));
  out.push(bytesOf(wide.predict(X).data));
  const s = m.stream({ maxChunk: 7 });
  for (let t = 0; t < 40; t += 9) out.push(bytesOf(s.push(SIGNAL.subarray(t * 3, Math.min(40, t + 9) * 3))));
  s.dispose();
  return out;
}

let rt: Runtime;
let sentinel: LayersModel;
let sentinelOut: Uint8Array;
const expected: Record<number, Uint8Array[]> = {};

beforeAll(async () => {
  for (const threads of [1, 2]) {
    const low = [build(runtime(), threads), buildWide(runtime(), threads)];
    expected[threads] = await results(low[0], low[1]);
    for (const l of low) l.dispose();
  }
  rt = createRuntime();
  rt.parallelThreshold = 0; // two-thread models split every call that has a split
  sentinel = build(rt, 1);
  sentinelOut = bytesOf(sentinel.predict(X).data);
});

afterAll(() => {
  sentinel?.dispose();
  rt?.terminateThreads();
});

// where the spacer ends, i.e. where the models' regions start: across 2 GiB (their weights below,
// their plans above; or one plan region over the line), wholly above it, and near 4 GiB
const placements: [string, number][] = [
  ['weights below 2 GiB, plans across it', 2 * GiB - 8 * 1024],
  ['a plan across 2 GiB', 2 * GiB - 96 * 1024],
  ['wholly above 2 GiB', 2 * GiB + 64 * MiB],
  ['near 4 GiB', 4 * GiB - 48 * MiB],
];

for (const [where, at] of placements) {
  // two threads (every call split, slow on a loaded machine) where a split part may start past
  // the line: across 2 GiB and near 4 GiB
  for (const threads of where.startsWith('a plan across') || where === 'near 4 GiB' ? [1, 2] : [1]) {
    test(`a model, its plans and a stream session ${where} compute bit for bit what they do low in memory (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const inUse = rt.arena.bytesInUse;
      const spacer = rt.arena.alloc(at - rt.arena.highWater);
      try {
        assert.equal(rt.arena.highWater, at);
        const m = build(rt, threads);
        const wide = buildWide(rt, threads);
        try {
          const got = await results(m, wide);
          assert.ok(rt.arena.highWater > at, 'the model lives past the spacer');
          assert.equal(got.length, expected[threads].length);
          got.forEach((g, i) => assert.deepEqual(g, expected[threads][i], `result ${i} differs from the model low in memory`));
        } finally {
          m.dispose();
          wide.dispose();
        }
      } finally {
        rt.arena.release(spacer);
      }
      assert.equal(rt.arena.bytesInUse, inUse);
      assert.deepEqual(bytesOf(sentinel.predict(X).data), sentinelOut, 'the sentinel below the spacer predicts as before');
    }, 240_000);
  }
}
