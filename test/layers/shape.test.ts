// Shape layers: forward values against index-mapping references, finite-difference gradients
// through each (its input also read by another branch, so its gradient must accumulate), a
// save/load round trip of a model using all of them, and bad configs.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, fromArtifacts, input, layers, model, toArtifacts, type Layer, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkGradient, project } from '../gradcheck/fd.ts';

const rng = new Random(91);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };

/** Reference: y[b][...] = x[b][src(i)] for output index i of one sample (-1: zero). */
type Case = { name: string; layer: () => Layer; inShape: number[]; outShape: number[]; src: (i: number) => number };
function cases(L: number, C: number): Case[] {
  const row = (i: number) => Math.floor(i / C);
  const col = (i: number) => i % C;
  return [
    { name: 'zeroPadding1d', layer: () => layers.zeroPadding1d({ padding: [2, 1] }), inShape: [L, C], outShape: [L + 3, C], src: (i) => (row(i) < 2 || row(i) >= L + 2 ? -1 : i - 2 * C) },
    { name: 'zeroPadding1d default', layer: () => layers.zeroPadding1d(), inShape: [L, C], outShape: [L + 2, C], src: (i) => (row(i) < 1 || row(i) >= L + 1 ? -1 : i - C) },
    { name: 'cropping1d', layer: () => layers.cropping1d({ cropping: [1, 2] }), inShape: [L, C], outShape: [L - 3, C], src: (i) => i + C },
    { name: 'cropping1d scalar', layer: () => layers.cropping1d({ cropping: 2 }), inShape: [L, C], outShape: [L - 4, C], src: (i) => i + 2 * C },
    { name: 'upSampling1d', layer: () => layers.upSampling1d({ size: 3 }), inShape: [L, C], outShape: [3 * L, C], src: (i) => Math.floor(row(i) / 3) * C + col(i) },
    { name: 'repeatVector', layer: () => layers.repeatVector({ n: 4 }), inShape: [C], outShape: [4, C], src: (i) => col(i) },
    { name: 'permute', layer: () => layers.permute({ dims: [2, 1] }), inShape: [L, C], outShape: [C, L], src: (i) => (i % L) * C + Math.floor(i / L) },
    { name: 'permute identity', layer: () => layers.permute({ dims: [1, 2] }), inShape: [L, C], outShape: [L, C], src: (i) => i },
    { name: 'reshape', layer: () => layers.reshape({ targetShape: [-1, 2] }), inShape: [L, C], outShape: [(L * C) / 2, 2], src: (i) => i },
  ];
}

test('forward values match the index reference over channel counts that hit SIMD tails', () => {
  for (const C of [2, 3, 4, 5, 8, 9]) {
    const L = 6;
    for (const c of cases(L, C)) {
      const x = input({ shape: c.inShape });
      const y = c.layer().apply(x);
      assert.deepEqual(y.shape, c.outShape, `${c.name} C=${C} shape`);
      const m = model({ inputs: x, outputs: y });
      try {
        const B = 3;
        const xs = rng.uniformArray(B * size(c.inShape), -1, 1);
        // twice: the second pass runs on buffers the first one wrote (padding rows must be re-zeroed)
        for (let pass = 0; pass < 2; pass++) {
          const got = m.forwardBatch(xs, B, false);
          const n = size(c.outShape);
          const want = Float32Array.from({ length: B * n }, (_, k) => {
            const s = c.src(k % n);
            return s < 0 ? 0 : xs[Math.floor(k / n) * size(c.inShape) + s];
          });
          assert.deepEqual(Array.from(got), Array.from(want), `${c.name} C=${C} pass ${pass}`);
        }
      } finally {
        m.dispose();
      }
    }
  }
});

function checkModel(label: string, m: LayersModel, batch: number): void {
  try {
    m.build();
    m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
    const xs = [rng.uniformArray(batch * size(m.inputs[0].shape), -1, 1)];
    const out = m.forwardBatch(xs, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    m.backwardFromOutputGrad(r, batch);
    const dx = m.inputGradient(batch, 0);
    const f = () => project(m.forwardBatch(xs, batch, true, true), r);
    checkGradient(`${label} dx`, xs[0], dx, f, LOOSE);
    const ws = m.getWeights();
    for (const g of m.weightGradients()) {
      const v = ws.find((w) => w.name === g.name)!.data;
      checkGradient(`${label} d${g.name}`, v, g.data, () => {
        m.setWeights(ws.map((w) => w.data));
        return f();
      }, LOOSE);
    }
  } finally {
    m.dispose();
  }
}

test('finite-difference gradients through every shape layer, whose input is read by a second branch', () => {
  for (const c of cases(8, 5)) {
    const x = input({ shape: c.inShape });
    // h feeds the shape layer and, flattened, the output: its gradient is the sum of both
    const h = c.inShape.length === 2 ? layers.conv1d({ filters: 5, kernelSize: 2, padding: 'same' }).apply(x) : layers.dense({ units: c.inShape[0] }).apply(x);
    const a = layers.flatten().apply(c.layer().apply(h));
    const b = layers.flatten().apply(h);
    const y = layers.dense({ units: 3 }).apply(layers.concatenate().apply([a, b]));
    checkModel(c.name, model({ inputs: x, outputs: y }), 2);
  }
});

test('a model with every shape layer saves and loads with the same predictions', () => {
  const x = input({ shape: [8, 3] });
  let h = layers.zeroPadding1d({ padding: [1, 2], name: 'pad' }).apply(x);
  h = layers.cropping1d({ cropping: [2, 1] }).apply(h);
  h = layers.upSampling1d({ size: 2 }).apply(h);
  h = layers.permute({ dims: [2, 1] }).apply(h);
  h = layers.reshape({ targetShape: [-1] }).apply(h);
  h = layers.dense({ units: 4 }).apply(h);
  h = layers.repeatVector({ n: 3 }).apply(h);
  const m = model({ inputs: x, outputs: layers.flatten().apply(h), seed: 4 });
  const back = fromArtifacts(toArtifacts(m));
  try {
    const xs = rng.uniformArray(2 * 24, -1, 1);
    assert.deepEqual(back.layers.map((l) => l.className), m.layers.map((l) => l.className));
    assert.deepEqual(Array.from(back.forwardBatch(xs, 2, false)), Array.from(m.forwardBatch(xs, 2, false)));
  } finally {
    m.dispose();
    back.dispose();
  }
});

test('bad configs and shapes are ConfigErrors naming the layer, the field and the value', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => layers.zeroPadding1d({ padding: -1 }), /ZeroPadding1D: padding must be a non-negative integer or a pair \[start, end\] of them, got -1/],
    [() => layers.zeroPadding1d({ padding: [1, 2, 3] as unknown as [number, number] }), /ZeroPadding1D: padding .* got \[1, 2, 3\]/],
    [() => layers.cropping1d({ cropping: 1.5 }), /Cropping1D: cropping .* got 1\.5/],
    [() => layers.upSampling1d({ size: 0 }), /UpSampling1D: size must be a positive integer, got 0/],
    [() => layers.repeatVector({ n: 'x' as unknown as number }), /RepeatVector: n must be a positive integer, got "x"/],
    [() => layers.repeatVector(undefined as unknown as { n: number }), /RepeatVector: n must be a positive integer, got undefined/],
    [() => layers.permute({ dims: [1, 1] }), /Permute: dims must be \[2, 1\] .* got \[1, 1\]/],
    [() => layers.reshape({ targetShape: [-1, -1] }), /Reshape: targetShape must be .* at most one -1, got \[-1, -1\]/],
    [() => layers.reshape({ targetShape: [0] }), /Reshape: targetShape .* got \[0\]/],
    [() => layers.cropping1d({ cropping: [3, 3] }).apply(input({ shape: [6, 2] })), /Cropping1D layer.*: cropping \[3, 3\] removes all 6 steps of input shape \[6, 2\]/],
    [() => layers.zeroPadding1d().apply(input({ shape: [6] })), /ZeroPadding1D layer.*: expects sequences \[length, channels\], got input shape \[6\]/],
    [() => layers.repeatVector({ n: 2 }).apply(input({ shape: [6, 2] })), /RepeatVector layer.*: expects vectors \[channels\], got input shape \[6, 2\]/],
    [() => layers.reshape({ targetShape: [5, -1] }).apply(input({ shape: [6, 2] })), /Reshape layer.*: targetShape \[5, -1\] does not hold the 12 values of input shape \[6, 2\]/],
    [() => layers.upSampling1d({ sizes: 2 } as never), /UpSampling1D: unknown option "sizes" \(did you mean "size"\?\)/],
  ];
  for (const [f, re] of bad) assert.throws(f, (e: Error) => e instanceof ConfigError && re.test(e.message), String(re));
});
