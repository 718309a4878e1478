// Pinned checksums: FNV-1a over the float bits of the predictions and of the weights after a few
// training steps of the zoo models and of two small graphs that reach the other layers (a
// variable-length one, streamed too). The values were taken on main before the plan refactor
// (issue 16: shapes in the plan); any change to planning, shape reading or threads that moved a
// single bit of a result fails here. Each model runs on 1 and on 2 threads (every call split):
// the kernels' split sums are fixed trees, so both give the same bits.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { getThreads, input, layers, runtime, setThreads, model, models, tensor, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

/** FNV-1a (32-bit) of the bytes of some float arrays. */
function fnv(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function signals(n: number, L: number, C: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n * L * C }, (_, i) => Math.sin(i * 0.13 + (i % C)) + 0.3 * rng.normal());
}

type Build = () => LayersModel;

const builders: Record<string, { build: Build; L: number; C: number; lengths?: number[]; stream?: boolean }> = {
  kerasSeed: { build: () => models.kerasSeed({ inputShape: [32, 2], classes: 3, seed: 3 }), L: 32, C: 2 },
  fcn: { build: () => models.fcn({ inputShape: [40, 3], classes: 3, seed: 4 }, [8, 16, 8]), L: 40, C: 3 },
  resnet: { build: () => models.resnet({ inputShape: [32, 2], classes: 3, seed: 5, filters: 8 }), L: 32, C: 2 },
  inceptionTime: { build: () => models.inceptionTime({ inputShape: [32, 2], classes: 3, seed: 6, depth: 3, filters: 4, bottleneck: 4 }), L: 32, C: 2 },
  sampleCnnRese: { build: () => models.sampleCnn({ inputShape: [243, 1], classes: 3, seed: 7, block: 'rese', widths: [8, 8, 16], stemFilters: 8, ratio: 4 }), L: 243, C: 1 },
  misc: {
    build: () => {
      const x = input({ shape: [20, 3] });
      let h = layers.dense({ units: 6 }).apply(x);
      h = layers.layerNormalization().apply(h);
      h = layers.prelu().apply(h);
      h = layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'tanh' }) }).apply(h);
      h = layers.upSampling1d({ size: 2 }).apply(h);
      h = layers.cropping1d({ cropping: [1, 3] }).apply(h);
      h = layers.conv1dTranspose({ filters: 5, kernelSize: 3, strides: 2 }).apply(h);
      h = layers.depthwiseConv1d({ kernelSize: 3 }).apply(h);
      h = layers.dropout({ rate: 0.2 }).apply(h);
      h = layers.flatten().apply(h);
      const y = layers.dense({ units: 3, activation: 'softmax' }).apply(h);
      return model({ inputs: x, outputs: y, seed: 8 });
    },
    L: 20,
    C: 3,
  },
  variable: {
    build: () => {
      const x = input({ shape: [null, 2] });
      let h = layers.conv1d({ filters: 6, kernelSize: 3, padding: 'causal', activation: 'relu' }).apply(x);
      h = layers.batchNormalization().apply(h);
      h = layers.separableConv1d({ filters: 5, kernelSize: 3, padding: 'causal', dilationRate: 2 }).apply(h);
      h = layers.layerNormalization().apply(h);
      h = layers.spatialDropout1d({ rate: 0.2 }).apply(h);
      h = layers.conv1d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(h);
      return model({ inputs: x, outputs: h, seed: 9 });
    },
    L: 24,
    C: 2,
    lengths: [24, 31, 7],
    stream: true,
  },
};

/** Predictions before and after training, weights after, stream outputs: one checksum each. */
async function run(name: string, threads: number): Promise<Record<string, string>> {
  const { build, L, C, lengths, stream } = builders[name];
  setThreads(threads);
  const m = build();
  const n = 8;
  const out = m.outputShapesAt(L)[0];
  const perSample = out.length === 1 ? 1 : out[0];
  const classes = out[out.length - 1];
  const x = tensor(signals(n, L, C, 1), [n, L, C]);
  const labels = Array.from({ length: n * perSample }, (_, i) => (i * 7) % classes);
  const oneHot = Float32Array.from({ length: n * perSample * classes }, (_, i) => (labels[Math.floor(i / classes)] === i % classes ? 1 : 0));
  const y = perSample === 1 ? labels : tensor(oneHot, [n, perSample, classes]);
  m.compile({ optimizer: 'adam', loss: perSample === 1 ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy' });
  const sums: Record<string, string> = {};
  sums.predictBefore = fnv([m.predict(x).data]);
  await m.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, seed: 11 });
  sums.weights = fnv(m.getWeights().map((w) => w.data));
  for (const len of lengths ?? [L]) sums[`predict${len}`] = fnv([m.predict(tensor(signals(3, len, C, len), [3, len, C]), { batchSize: 2 }).data]);
  if (stream) {
    const s = m.stream({ maxChunk: 5 });
    const sig = signals(1, 31, C, 2);
    const parts: Float32Array[] = [];
    for (let t = 0; t < 31; t += 4) parts.push(s.push(sig.subarray(t * C, Math.min(31, t + 4) * C)));
    sums.stream = fnv(parts);
    s.dispose();
  }
  m.dispose();
  return sums;
}

// taken on main at b69f989 (PRINT_CHECKSUMS=file appends the values of a run to file)
const PINNED: Record<string, Record<string, string>> = {
  kerasSeed: { predictBefore: '4ca4ed48', weights: '04c7ef34', predict32: '78d8dd94' },
  fcn: { predictBefore: 'ea758ff8', weights: '055978c1', predict40: 'c990c2ae' },
  resnet: { predictBefore: '180d9b71', weights: '87f1fe21', predict32: 'e72609d1' },
  inceptionTime: { predictBefore: '5878f197', weights: 'bc3d80cc', predict32: '6d83f93d' },
  sampleCnnRese: { predictBefore: '80fbd3e2', weights: 'f00a28f2', predict243: '5a558119' },
  misc: { predictBefore: '139e55bd', weights: '6874ddfc', predict20: 'efee620a' },
  variable: { predictBefore: '80848f8d', weights: '1a74af1e', predict24: '728c1df0', predict31: 'c25aefd1', predict7: '8bd24d80', stream: '5e69b9e1' },
};

for (const name of Object.keys(builders)) {
  test(`checksums of ${name}: predictions and weights after training are bit for bit those pinned, on 1 and 2 threads`, async () => {
    const saved = getThreads();
    const threshold = runtime().parallelThreshold;
    let one: Record<string, string>, two: Record<string, string>;
    try {
      one = await run(name, 1);
      runtime().parallelThreshold = 0; // split every call that has a split, however small
      two = await run(name, 2);
    } finally {
      setThreads(saved);
      runtime().parallelThreshold = threshold;
    }
    if (process.env.PRINT_CHECKSUMS) (await import("node:fs")).appendFileSync(process.env.PRINT_CHECKSUMS, `  ${name}: ${JSON.stringify(one)},\n`);
    assert.deepEqual(two, one, 'two threads give the bits of one');
    assert.deepEqual(one, PINNED[name]);
  });
}
