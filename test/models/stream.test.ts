// model.stream(): for random causal graphs (causal convs of random kernel, dilation and stride,
// valid pooling and convolutions, BN with random statistics, activations, PReLU, dropout, residual adds, channel
// concatenations, a dense head per step) and random chunkings of a random signal, the pushed
// chunks' outputs, concatenated, equal predict() on the whole signal; reset() restarts cleanly.
// Tolerance: |stream - offline| <= 1e-5 (1 + |offline|): the same kernels on the same values.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { input, layers, model, Tensor, type LayersModel, type StreamSession, type SymbolicTensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const TOL = 1e-5;

/** The outputs of pushing `signal` ([L, C] flat) in chunks of the sizes in `sizes` (cycled). */
function pushAll(s: StreamSession, signal: Float32Array, C: number, sizes: number[]): Float32Array {
  const parts: Float32Array[] = [];
  const L = signal.length / C;
  for (let t = 0, k = 0; t < L; k++) {
    const n = Math.min(sizes[k % sizes.length], L - t);
    parts.push(s.push(signal.subarray(t * C, (t + n) * C)));
    t += n;
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

function assertClose(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values streamed, ${want.length} offline`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= TOL * (1 + Math.abs(want[i])))) assert.fail(`${what}: value ${i}: streamed ${got[i]}, offline ${want[i]}`);
  }
}

/** A random causal graph on input [L, C] from the draws in `d` (each in [0, 1)). */
function causalGraph(L: number, C: number, d: () => number, seed: number): LayersModel {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(d() * xs.length)];
  const x = input({ shape: [L, C] });
  let h: SymbolicTensor = x;
  const blocks = 1 + Math.floor(d() * 5);
  for (let b = 0; b < blocks; b++) {
    const len = h.shape[0];
    const kind = pick(['conv', 'conv', 'pool', 'bn', 'act', 'residual', 'concat', 'prelu', 'dropout'] as const);
    if (kind === 'conv') {
      const strides = d() < 0.3 && len > 4 ? 1 + Math.floor(d() * 3) : 1;
      const kernelSize = 1 + Math.floor(d() * 4);
      const dilationRate = 1 + Math.floor(d() * 3);
      // "valid" (no zeros, delayed steps) when the length allows it, else "causal"
      const padding = d() < 0.25 && len >= (kernelSize - 1) * dilationRate + 3 ? 'valid' : 'causal';
      h = layers.conv1d({ filters: 1 + Math.floor(d() * 5), kernelSize, dilationRate, strides, padding, activation: pick(['linear', 'relu', 'tanh'] as const) }).apply(h);
    } else if (kind === 'pool') {
      const poolSize = 1 + Math.floor(d() * 3);
      if (len < poolSize + 2) continue;
      const args = { poolSize, strides: 1 + Math.floor(d() * 3) };
      h = (d() < 0.5 ? layers.maxPooling1d(args) : layers.averagePooling1d(args)).apply(h);
    } else if (kind === 'bn') h = layers.batchNormalization(d() < 0.3 ? { center: false, scale: false } : {}).apply(h); // without: constant ones and zeros
    else if (kind === 'act') h = layers.activation({ activation: pick(['relu', 'tanh', 'sigmoid', 'elu'] as const) }).apply(h);
    else if (kind === 'prelu') h = layers.prelu({ sharedAxes: [1] }).apply(h);
    else if (kind === 'dropout') h = layers.dropout({ rate: 0.5 }).apply(h);
    else if (kind === 'residual') {
      const F = h.shape[1];
      const r = layers.conv1d({ filters: F, kernelSize: 2 + Math.floor(d() * 2), dilationRate: 1 + Math.floor(d() * 4), padding: 'causal', activation: 'relu' }).apply(h);
      h = layers.add().apply([h, r]);
    } else {
      // two branches of one rate but different phase: a strided causal conv and a valid pool
      if (len < 6) continue;
      const a = layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'causal' }).apply(h);
      const p = layers.averagePooling1d({ poolSize: 2, strides: 2 }).apply(h);
      if (a.shape[0] !== p.shape[0]) continue; // offline lengths differ at this L: not a valid model
      h = layers.concatenate().apply([a, p]);
    }
  }
  const y = layers.dense({ units: 1 + Math.floor(d() * 3), activation: pick(['linear', 'softmax'] as const) }).apply(h);
  const m = model({ inputs: x, outputs: y, seed });
  // random weights, BN statistics included (variances positive)
  const rng = new Random(seed);
  m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -1, 1).map((v) => (w.name.endsWith('moving_variance') ? 0.2 + Math.abs(v) : v))));
  return m;
}

test('streamed outputs equal the offline outputs for random causal graphs and random chunkings; reset restarts', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 30 }),
      fc.integer({ min: 12, max: 70 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 24 }),
      (seed, L, C, sizes, maxChunk) => {
        if (!sizes.some((n) => n > 0)) sizes.push(1);
        const draws = new Random(seed ^ 0x5bd1e995);
        const m = causalGraph(L, C, () => draws.uniform(0, 1), seed);
        try {
          const signal = new Random(seed + 1).uniformArray(L * C, -2, 2);
          const want = m.predict(new Tensor(signal, [1, L, C])).data;
          const s = m.stream({ maxChunk });
          assertClose(pushAll(s, signal, C, sizes), want, `chunks [${sizes}], maxChunk ${maxChunk}`);
          s.reset();
          assert.equal(s.samples, 0);
          assertClose(pushAll(s, signal, C, [1, 2, 3]), want, 'after reset, chunks 1, 2, 3');
          s.dispose();
        } finally {
          m.dispose();
        }
      },
    ),
    // endOnFailure: shrinking rebuilds a model per try, too slow on a shared machine
    { seed: 20261123, numRuns: 60, endOnFailure: true },
  );
});

/** A causal TCN: dilated causal convs with residual adds, BN, a per-step softmax head. */
function tcn(L: number | null, C: number, seed: number): LayersModel {
  const x = input({ shape: [L, C] });
  let h = layers.conv1d({ filters: 8, kernelSize: 3, padding: 'causal', activation: 'relu' }).apply(x);
  for (const dilationRate of [1, 2, 4, 8]) {
    const r = layers.conv1d({ filters: 8, kernelSize: 3, dilationRate, padding: 'causal', activation: 'relu' }).apply(h);
    h = layers.batchNormalization().apply(layers.add().apply([h, r]));
  }
  const y = layers.conv1d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(h);
  const m = model({ inputs: x, outputs: y, seed });
  const rng = new Random(seed);
  m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5).map((v) => (w.name.endsWith('moving_variance') ? 0.5 + Math.abs(v) : v))));
  return m;
}

test('a causal TCN of any input length streams one sample at a time: one output step per sample, at once', () => {
  const m = tcn(null, 2, 3);
  const L = 100;
  const signal = new Random(4).uniformArray(L * 2, -1, 1);
  const want = m.predict(new Tensor(signal, [1, L, 2])).data;
  const s = m.stream({ maxChunk: 16 });
  const got = new Float32Array(L * 3);
  for (let t = 0; t < L; t++) {
    assert.equal(s.push(new Float32Array(0)).length, 0, 'an empty push completes no step');
    const y = s.push(signal.subarray(2 * t, 2 * t + 2));
    assert.equal(y.length, 3, `sample ${t}: one step of 3 channels`);
    got.set(y, 3 * t);
  }
  assertClose(got, want, 'one sample per push');
  // a chunk far above maxChunk runs in slices, equal to the same stream pushed at once
  s.reset();
  assertClose(s.push(signal), want, 'one push of 100 samples, maxChunk 16');
  m.dispose();
});

test('strides and valid windows: outputs come once their last input arrived', () => {
  const x = input({ shape: [null, 1] });
  const h = layers.conv1d({ filters: 1, kernelSize: 1, strides: 2, padding: 'causal', useBias: false, kernelInitializer: 'ones' }).apply(x);
  const y = layers.maxPooling1d({ poolSize: 3, strides: 1 }).apply(h); // step t: max of inputs 2t, 2t+2, 2t+4
  const m = model({ inputs: x, outputs: y });
  const s = m.stream();
  const got = [1, 2, 3, 4, 5, 6, 7].map((v) => Array.from(s.push(Float32Array.of(v))));
  // conv steps at samples 1, 3, 5, 7 (values 1, 3, 5, 7); the pool's first window closes at 5
  assert.deepEqual(got, [[], [], [], [], [5], [], [7]]);
  m.dispose();
});
