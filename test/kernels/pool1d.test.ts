// pool1d kernels vs src/reference/pool1d.ts over lengths, channels, windows and paddings that hit
// every SIMD tail; outputs carry guard floats that must stay untouched; backward accumulates.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES, CHANNELS } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/pool1d.ts';

// [P, S]: P > S (overlapping), P == S, S > P.
const WINDOWS = [[2, 2], [3, 2], [3, 1], [2, 3], [4, 2], [3, 3], [5, 2], [1, 1]];

/** Random values; quantized ones make ties frequent so "first max wins" is exercised. */
function input(rng: Random, n: number, quantized: boolean): Float32Array {
  const a = rng.uniformArray(n, -3, 3);
  return quantized ? a.map(Math.round) : a;
}

/** (T, padLeft) for Keras 'valid' and 'same' padding, or null when L < P under 'valid'. */
function geometry(L: number, P: number, S: number, same: boolean): [number, number] | null {
  if (!same) return L < P ? null : [Math.floor((L - P) / S) + 1, 0];
  const T = Math.ceil(L / S);
  return [T, Math.floor(Math.max((T - 1) * S + P - L, 0) / 2)];
}

test('reference: hand-computed pooling values', () => {
  // x = [1, 5, 2] (L 3, C 1), P 2, S 2, 'same': T 2, padLeft 0, windows [0, 2) and [2, 3).
  const x = Float64Array.of(1, 5, 2);
  const y = new Float64Array(2);
  const idx = new Int32Array(2);
  ref.avgpool1dForward(x, y, 1, 3, 1, 2, 2, 2, 0);
  assert.deepEqual([...y], [3, 2], 'the clipped window [2, 3) averages over its one real element');
  ref.maxpool1dForward(x, y, idx, 1, 3, 1, 2, 2, 2, 0);
  assert.deepEqual([...y], [5, 2]);
  assert.deepEqual([...idx], [1, 2]);
  ref.maxpool1dForward(Float64Array.of(4, 4, 1), y, idx, 1, 3, 1, 1, 3, 1, 0);
  assert.equal(idx[0], 0, 'first max wins on ties');
  // P 3, S 2, padLeft 1: window 0 is [-1, 2) -> {0, 1}, window 1 is [1, 4) -> {1, 2}; counts 2.
  ref.avgpool1dForward(x, y, 1, 3, 1, 2, 3, 2, 1);
  assert.deepEqual([...y], [3, 3.5]);
  const dx = Float64Array.of(1, 1, 1);
  ref.avgpool1dBackward(Float64Array.of(2, 4), dx, 1, 3, 1, 2, 3, 2, 1);
  assert.deepEqual([...dx], [1 + 1, 1 + 1 + 2, 1 + 2], 'dx += dy / count over overlapping windows');
});

test('maxpool1d and avgpool1d forward/backward match the reference', () => {
  const rng = new Random(1);
  let clipped = 0;
  let cases = 0;
  withScratch((s) => {
    for (const L of SIMD_TAIL_SIZES)
      for (const C of CHANNELS)
        for (const [P, S] of WINDOWS)
          for (const same of [false, true]) {
            const g = geometry(L, P, S, same);
            if (!g) continue;
            const [T, padLeft] = g;
            if (padLeft > 0) clipped++;
            cases++;
            const B = 1 + (cases % 3);
            const label = `B${B} L${L} C${C} P${P} S${S} pad${padLeft}`;
            const x = input(rng, B * L * C, cases % 2 === 0);
            const dy = rng.uniformArray(B * T * C);
            const dx0 = rng.uniformArray(B * L * C);
            const xp = s.put(x);
            const dyp = s.put(dy);

            const y = guardedBuffer(s, new Float32Array(B * T * C).fill(777));
            const idx = guardedBuffer(s, new Float32Array(B * T * C));
            const dx = guardedBuffer(s, dx0);
            s.k.maxpool1d_forward(xp, y.ptr, idx.ptr, B, L, C, T, P, S, padLeft);
            s.k.maxpool1d_backward(dyp, idx.ptr, dx.ptr, B, L, C, T);
            const ry = new Float64Array(B * T * C);
            const ridx = new Int32Array(B * T * C);
            const rdx = Float64Array.from(dx0);
            ref.maxpool1dForward(x, ry, ridx, B, L, C, T, P, S, padLeft);
            ref.maxpool1dBackward(dy, ridx, rdx, B, L, C, T);
            assertClose(y.read(), ry, `max y ${label}`, 0, 0);
            assert.deepEqual([...idx.readI32()], [...ridx], `max idx ${label}`);
            assertClose(dx.read(), rdx, `max dx ${label}`, 1e-6, 1e-6);
            for (const b of [y, idx, dx]) b.check(`max ${label}`);

            const ya = guardedBuffer(s, new Float32Array(B * T * C).fill(777));
            const dxa = guardedBuffer(s, dx0);
            s.k.avgpool1d_forward(xp, ya.ptr, B, L, C, T, P, S, padLeft);
            s.k.avgpool1d_backward(dyp, dxa.ptr, B, L, C, T, P, S, padLeft);
            const rya = new Float64Array(B * T * C);
            const rdxa = Float64Array.from(dx0);
            ref.avgpool1dForward(x, rya, B, L, C, T, P, S, padLeft);
            ref.avgpool1dBackward(dy, rdxa, B, L, C, T, P, S, padLeft);
            assertClose(ya.read(), rya, `avg y ${label}`, 1e-6, 1e-6);
            assertClose(dxa.read(), rdxa, `avg dx ${label}`, 1e-6, 1e-6);
            ya.check(`avg y ${label}`);
            dxa.check(`avg dx ${label}`);
          }
  });
  assert.ok(clipped > 20, 'the grid includes windows clipped by left padding');
});

test('global max/avg pooling forward/backward match the reference', () => {
  const rng = new Random(2);
  withScratch((s) => {
    for (const L of SIMD_TAIL_SIZES)
      for (const C of CHANNELS)
        for (const B of [1, 2, 3]) {
          const label = `B${B} L${L} C${C}`;
          const x = input(rng, B * L * C, (L + C) % 2 === 0);
          const dy = rng.uniformArray(B * C);
          const dx0 = rng.uniformArray(B * L * C);
          const xp = s.put(x);
          const dyp = s.put(dy);

          const y = guardedBuffer(s, new Float32Array(B * C).fill(777));
          const idx = guardedBuffer(s, new Float32Array(B * C));
          const dx = guardedBuffer(s, dx0);
          s.k.global_maxpool1d_forward(xp, y.ptr, idx.ptr, B, L, C);
          s.k.global_maxpool1d_backward(dyp, idx.ptr, dx.ptr, B, L, C);
          const ry = new Float64Array(B * C);
          const ridx = new Int32Array(B * C);
          const rdx = Float64Array.from(dx0);
          ref.globalMaxpool1dForward(x, ry, ridx, B, L, C);
          ref.globalMaxpool1dBackward(dy, ridx, rdx, B, L, C);
          assertClose(y.read(), ry, `gmax y ${label}`, 0, 0);
          assert.deepEqual([...idx.readI32()], [...ridx], `gmax idx ${label}`);
          assertClose(dx.read(), rdx, `gmax dx ${label}`, 1e-6, 1e-6);
          for (const b of [y, idx, dx]) b.check(`gmax ${label}`);

          const ya = guardedBuffer(s, new Float32Array(B * C).fill(777));
          const dxa = guardedBuffer(s, dx0);
          s.k.global_avgpool1d_forward(xp, ya.ptr, B, L, C);
          s.k.global_avgpool1d_backward(dyp, dxa.ptr, B, L, C);
          const rya = new Float64Array(B * C);
          const rdxa = Float64Array.from(dx0);
          ref.globalAvgpool1dForward(x, rya, B, L, C);
          ref.globalAvgpool1dBackward(dy, rdxa, B, L, C);
          assertClose(ya.read(), rya, `gavg y ${label}`, 1e-6, 1e-5);
          assertClose(dxa.read(), rdxa, `gavg dx ${label}`, 1e-6, 1e-6);
          ya.check(`gavg y ${label}`);
          dxa.check(`gavg dx ${label}`);
        }
  });
});
