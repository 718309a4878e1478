// Loss kernels vs src/reference/losses.ts: every kind code over batch 1..3 and class counts hitting
// every SIMD tail, guard floats on both sides of the gradient; the reference itself against hand
// values and central differences.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/losses.ts';
import { LossKind, type LossKindName } from '../../src/runtime/codes.ts';

function softmaxRows(z: Float32Array, B: number, C: number): Float32Array {
  const p = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    const row = z.subarray(b * C, (b + 1) * C);
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    for (let j = 0; j < C; j++) p[b * C + j] = Math.exp(row[j] - m) / s;
  }
  return p;
}

function oneHot(rng: Random, B: number, C: number): [Float32Array, Float32Array] {
  const idx = Float32Array.from({ length: B }, () => rng.int(C));
  const y = new Float32Array(B * C);
  idx.forEach((k, b) => (y[b * C + k] = 1));
  return [y, idx];
}

/** yPred, yTrue in the domain each kind expects; param (huber delta, exponential beta). */
function inputs(kind: LossKindName, rng: Random, B: number, C: number): [Float32Array, Float32Array, number] {
  const n = B * C;
  const signs = () => rng.uniformArray(n).map((v) => (v < 0 ? -1 : 1));
  const bits = () => rng.uniformArray(n).map((v) => (v < 0 ? 0 : 1));
  const probs = () => softmaxRows(rng.uniformArray(n, -3, 3), B, C);
  const [hot, idx] = oneHot(rng, B, C);
  switch (kind) {
    case 'huber': return [rng.uniformArray(n, -3, 3), rng.uniformArray(n, -3, 3), 1];
    case 'hinge': case 'squaredHinge': return [rng.uniformArray(n, -2, 2), signs(), 0];
    case 'exponential': return [rng.uniformArray(n, -1, 1), signs(), 0.5];
    case 'categoricalCrossentropy': return [probs(), hot, 0];
    case 'categoricalCrossentropyFromLogits': return [rng.uniformArray(n, -5, 5), probs(), 0];
    case 'sparseCategoricalCrossentropy': return [probs(), idx, 0];
    case 'sparseCategoricalCrossentropyFromLogits': return [rng.uniformArray(n, -5, 5), idx, 0];
    case 'binaryCrossentropy': return [rng.uniformArray(n, 0.01, 0.99), bits(), 0];
    case 'binaryCrossentropyFromLogits': return [rng.uniformArray(n, -8, 8), bits(), 0];
    case 'categoricalHinge': return [rng.uniformArray(n, -2, 2), hot, 0];
    case 'kullbackLeiblerDivergence': return [probs(), probs(), 0];
    case 'poisson': case 'meanSquaredLogarithmicError': return [rng.uniformArray(n, 0.05, 3), rng.uniformArray(n, 0, 3), 0];
    default: return [rng.uniformArray(n, -2, 2), rng.uniformArray(n, -2, 2), 0];
  }
}

test('reference: hand-computed loss values', () => {
  const run = (k: LossKindName, p: number[], y: number[], B: number, C: number, param = 0) => {
    const g = new Float64Array(B * C);
    return [ref.lossForwardBackward(LossKind[k], Float64Array.from(p), Float64Array.from(y), g, B, C, param), ...g];
  };
  const close = (a: number[], b: number[], label: string) =>
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12, `${label}[${i}]: ${v} != ${b[i]}`));
  close(run('meanSquaredError', [1, 2], [0, 0], 1, 2), [2.5, 1, 2], 'mse');
  close(run('huber', [3, 0.5], [0, 0], 1, 2, 1), [(2.5 + 0.125) / 2, 0.5, 0.25], 'huber');
  close(run('categoricalCrossentropy', [0.25, 0.75], [0, 1], 1, 2), [-Math.log(0.75), 0, -1 / 0.75], 'cce');
  close(run('sparseCategoricalCrossentropy', [0.25, 0.75, 0.5, 0.5], [1, 0], 2, 2), [-(Math.log(0.75) + Math.log(0.5)) / 2, 0, -1 / 1.5, -1, 0], 'scce');
  close(run('categoricalCrossentropy', [0, 1], [1, 0], 1, 2), [-Math.log(1e-7), 0, 0], 'cce is clipped at 1e-7 with zero gradient outside');
  close(run('binaryCrossentropyFromLogits', [0, 1000], [1, 1], 1, 2), [Math.LN2 / 2, -0.25, 0], 'bce from logits is stable');
  close(run('hinge', [0.5, 2], [1, -1], 1, 2), [(0.5 + 3) / 2, -0.5, 0.5], 'hinge');
  close(run('categoricalHinge', [0.2, 0.9], [1, 0], 1, 2), [1.7, -1, 1], 'categoricalHinge');
  close(run('kullbackLeiblerDivergence', [0.25, 0.75], [0.5, 0.5], 1, 2), [0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), -2, -2 / 3], 'kld sums');
  close(run('exponential', [1, -1], [1, -1], 1, 2, 1), [Math.exp(-2), -Math.exp(-2), Math.exp(-2)], 'exponential');
  close(run('meanAbsolutePercentageError', [3], [2], 1, 1), [50, 50], 'mape');
});

test('reference: gradients agree with central differences of the loss', () => {
  const rng = new Random(7);
  for (const [name, kind] of Object.entries(LossKind) as [LossKindName, number][]) {
    const [B, C] = [2, 5];
    const [p32, y, param] = inputs(name, rng, B, C);
    const p = Float64Array.from(p32);
    const g = new Float64Array(B * C);
    const scratch = new Float64Array(B * C);
    ref.lossForwardBackward(kind, p, y, g, B, C, param);
    for (let i = 0; i < B * C; i++) {
      const h = 1e-6;
      const at = (v: number) => {
        const q = Float64Array.from(p);
        q[i] = v;
        return ref.lossForwardBackward(kind, q, y, scratch, B, C, param);
      };
      const fd = (at(p[i] + h) - at(p[i] - h)) / (2 * h);
      assert.ok(Math.abs(fd - g[i]) <= 1e-6 + 1e-5 * Math.abs(g[i]), `${name} grad[${i}] = ${g[i]}, finite difference ${fd}`);
    }
  }
});

test('loss_forward_backward matches the reference for every kind code', () => {
  const rng = new Random(8);
  withScratch((s) => {
    for (const [name, kind] of Object.entries(LossKind) as [LossKindName, number][])
      for (const B of [1, 2, 3])
        for (const C of SIMD_TAIL_SIZES) {
          const label = `${name} B${B} C${C}`;
          const [p, y, param] = inputs(name, rng, B, C);
          const g = guardedBuffer(s, new Float32Array(B * C).fill(777));
          const v = s.k.loss_forward_backward(kind, s.put(p), s.put(y), g.ptr, B, C, param, 0);
          const rg = new Float64Array(B * C);
          const rv = ref.lossForwardBackward(kind, p, y, rg, B, C, param);
          assertClose([v], [rv], `value ${label}`, 1e-6, 1e-5);
          assertClose(g.read(), rg, `grad ${label}`, 1e-7, 1e-5);
          g.check(label);
        }
  });
});

test('softmax_crossentropy_backward matches the reference (dense and sparse)', () => {
  const rng = new Random(9);
  withScratch((s) => {
    for (const B of [1, 2, 3])
      for (const C of SIMD_TAIL_SIZES)
        for (const sparse of [0, 1]) {
          const label = `B${B} C${C} sparse ${sparse}`;
          const p = softmaxRows(rng.uniformArray(B * C, -3, 3), B, C);
          const [hot, idx] = oneHot(rng, B, C);
          const y = sparse ? idx : C > 1 && B > 1 ? softmaxRows(rng.uniformArray(B * C), B, C) : hot;
          const dz = guardedBuffer(s, new Float32Array(B * C).fill(777));
          s.k.softmax_crossentropy_backward(s.put(p), s.put(y), dz.ptr, B, C, sparse, 0);
          const rdz = new Float64Array(B * C);
          ref.softmaxCrossentropyBackward(p, y, rdz, B, C, sparse);
          assertClose(dz.read(), rdz, label, 1e-7, 1e-5);
          dz.check(label);
        }
  });
});

test('weighted loss_forward_backward (per-row weights, mean over B) matches the reference for every kind code', () => {
  const rng = new Random(10);
  withScratch((s) => {
    for (const [name, kind] of Object.entries(LossKind) as [LossKindName, number][])
      for (const B of [1, 3, 5])
        for (const C of [1, 3, 4, 5]) {
          const label = `${name} B${B} C${C} weighted`;
          const [p, y, param] = inputs(name, rng, B, C);
          const w = Float32Array.from({ length: B }, (_, b) => (b === 1 ? 0 : rng.uniform(0.1, 3)));
          const g = guardedBuffer(s, new Float32Array(B * C).fill(777));
          const v = s.k.loss_forward_backward(kind, s.put(p), s.put(y), g.ptr, B, C, param, s.put(w));
          const rg = new Float64Array(B * C);
          const rv = ref.weightedLossForwardBackward(kind, p, y, rg, B, C, param, w);
          assertClose([v], [rv], `value ${label}`, 1e-6, 1e-5);
          assertClose(g.read(), rg, `grad ${label}`, 1e-7, 1e-5);
          g.check(label);
        }
  });
});

test('weighted softmax_crossentropy_backward matches the reference over SIMD tails (dense and sparse)', () => {
  const rng = new Random(11);
  withScratch((s) => {
    for (const B of [1, 2, 3])
      for (const C of SIMD_TAIL_SIZES)
        for (const sparse of [0, 1]) {
          const label = `B${B} C${C} sparse ${sparse} weighted`;
          const p = softmaxRows(rng.uniformArray(B * C, -3, 3), B, C);
          const [hot, idx] = oneHot(rng, B, C);
          const y = sparse ? idx : hot;
          const w = Float32Array.from({ length: B }, () => rng.uniform(0, 2));
          const dz = guardedBuffer(s, new Float32Array(B * C).fill(777));
          s.k.softmax_crossentropy_backward(s.put(p), s.put(y), dz.ptr, B, C, sparse, s.put(w));
          const rdz = new Float64Array(B * C);
          ref.softmaxCrossentropyBackward(p, y, rdz, B, C, sparse, w);
          assertClose(dz.read(), rdz, label, 1e-7, 1e-5);
          dz.check(label);
        }
  });
});

test('loss kernels clip probabilities and stay finite at extreme inputs like the reference', () => {
  withScratch((s) => {
    const cases: [LossKindName, number[], number[]][] = [
      ['categoricalCrossentropy', [0, 1, 0.5, 0.5, 1e-9, 1 - 1e-9], [1, 0, 0, 1, 1, 0]],
      ['sparseCategoricalCrossentropy', [0, 1, 0.5, 0.5, 1e-9, 1 - 1e-9], [0, 1, 0]],
      ['binaryCrossentropy', [0, 1, 0.5, 0.5, 1e-9, 1 - 1e-9], [1, 0, 0, 1, 1, 0]],
      ['kullbackLeiblerDivergence', [0, 1, 0.5, 0.5, 1e-9, 1 - 1e-9], [1, 0, 0, 1, 1, 0]],
      ['binaryCrossentropyFromLogits', [-100, 100, 80, -80, 0, 1], [1, 0, 1, 0, 1, 0]],
      ['categoricalCrossentropyFromLogits', [-100, 100, 80, -80, 0, 1], [1, 0, 0, 1, 1, 0]],
    ];
    for (const [name, p, y] of cases) {
      const [B, C] = [3, 2];
      const g = guardedBuffer(s, new Float32Array(B * C).fill(777));
      const v = s.k.loss_forward_backward(LossKind[name], s.put(p), s.put(y), g.ptr, B, C, 0, 0);
      const rg = new Float64Array(B * C);
      const rv = ref.lossForwardBackward(LossKind[name], Float32Array.from(p), Float32Array.from(y), rg, B, C, 0);
      assert.ok(Number.isFinite(v), `${name}: value ${v}`);
      assertClose([v], [rv], `value ${name}`, 1e-5, 1e-5);
      assertClose(g.read(), rg, `grad ${name}`, 1e-5, 1e-5);
      g.check(name);
    }
  });
});
