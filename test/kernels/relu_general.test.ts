// relu_general_forward/backward vs src/reference/relu_general.ts: the option sets of Keras' ReLU,
// ThresholdedReLU and LeakyReLU layers, sizes hitting every SIMD tail, guard floats around each
// output, accumulation into non-zero dx; the reference against Keras' formula and central differences.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/relu_general.ts';

/** [threshold, lo, hi, slope]: relu, relu6, max_value 2.5, threshold 0.7 (ThresholdedReLU), negative threshold with slope and max, leaky. */
const OPTIONS: [number, number, number, number][] = [
  [0, -Infinity, Infinity, 0],
  [0, 0, 6, 0],
  [0, 0, 2.5, 0.1],
  [0.7, -Infinity, Infinity, 0],
  [-0.5, 0, 3, 0.2],
  [0, -Infinity, Infinity, 0.3],
];

/** Keras 3 keras.activations.relu, step by step (keras/src/activations/activations.py). */
function kerasRelu(x: number, slope: number, maxValue: number | null, threshold: number): number {
  const negative = threshold !== 0 ? Math.max(-x + threshold, 0) : Math.max(-x, 0);
  let y = threshold !== 0 ? x * (x > threshold ? 1 : 0) : Math.max(x, 0);
  if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
  return slope !== 0 ? y - slope * negative : y;
}

test('reference: Keras relu formula and derivative by central differences', () => {
  const rng = new Random(11);
  for (const [t, lo, hi, s] of OPTIONS) {
    const max = hi === Infinity ? null : hi;
    for (let i = 0; i < 60; i++) {
      const x = rng.uniform(-8, 8);
      assert.ok(Math.abs(ref.reluGeneral(x, t, lo, hi, s) - kerasRelu(x, s, max, t)) < 1e-12, `relu(${x}; t ${t} max ${max} s ${s})`);
      if ([t, lo, hi].some((k) => Math.abs(x - k) < 1e-3)) continue; // kinks
      const h = 1e-6;
      const fd = (ref.reluGeneral(x + h, t, lo, hi, s) - ref.reluGeneral(x - h, t, lo, hi, s)) / (2 * h);
      assert.ok(Math.abs(fd - ref.reluGeneralDerivative(x, t, lo, hi, s)) < 1e-6, `relu'(${x}; t ${t} s ${s}): fd ${fd}`);
    }
  }
  assert.ok(Math.abs(ref.reluGeneral(-2, 0, -Infinity, Infinity, 0.3) + 0.6) < 1e-15);
  assert.equal(ref.reluGeneral(7, 0, 0, 6, 0), 6);
  assert.equal(ref.reluGeneral(0.5, 0.7, -Infinity, Infinity, 0), 0);
});

test('relu_general_forward/backward match the reference for every option set and SIMD tail', () => {
  const rng = new Random(12);
  withScratch((sc) => {
    for (const [t, lo, hi, s] of OPTIONS)
      for (const N of SIMD_TAIL_SIZES) {
        const label = `t ${t} [${lo}, ${hi}] s ${s} N${N}`;
        const x = rng.uniformArray(N, -8, 8);
        const dy = rng.uniformArray(N);
        const dx0 = rng.uniformArray(N);
        const xp = sc.put(x);
        const y = guardedBuffer(sc, new Float32Array(N).fill(777));
        const dx = guardedBuffer(sc, dx0);
        const f = Math.fround;
        sc.k.relu_general_forward(xp, y.ptr, N, t, lo, hi, s);
        sc.k.relu_general_backward(xp, sc.put(dy), dx.ptr, N, t, lo, hi, s);
        const ry = new Float64Array(N);
        const rdx = Float64Array.from(dx0);
        ref.reluGeneralForward(x, ry, N, f(t), f(lo), f(hi), f(s));
        ref.reluGeneralBackward(x, dy, rdx, N, f(t), f(lo), f(hi), f(s));
        assertClose(y.read(), ry, `forward ${label}`, 1e-6, 1e-6);
        assertClose(dx.read(), rdx, `backward ${label}`, 1e-6, 1e-6);
        y.check(`forward ${label}`);
        dx.check(`backward ${label}`);
      }
  });
});
