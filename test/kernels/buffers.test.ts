// The whole-buffer kernels (assembly/kernels/buffers.ts) against src/reference/buffers.ts over
// sizes hitting every SIMD tail, with guard floats on both sides of every output; and the kernel
// gradient by sample groups (conv1d_backward_kernel_groups, then accumulate_partials_f32) against
// the reference convolution gradient for batches that do and do not divide into the 8 groups.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';
import { accumulatePartials } from '../../src/reference/buffers.ts';
import { conv1dBackwardKernel } from '../../src/reference/conv1d.ts';
import { KERNEL_GROUPS } from '../../src/layers/conv1d.ts';

test('zero_f32 zeroes exactly N floats', () => {
  const rng = new Random(31);
  withScratch((s) => {
    for (const N of [0, ...SIMD_TAIL_SIZES]) {
      const p = putGuarded(s, rng.uniformArray(N));
      s.k.zero_f32(p, N);
      assert.deepEqual(Array.from(getGuarded(s, p, N, `zero N${N}`)), new Array(N).fill(0));
    }
  });
});

test('accumulate_partials_f32 matches the reference (G partials of ld floats, N <= ld)', () => {
  const rng = new Random(32);
  withScratch((s) => {
    for (const N of SIMD_TAIL_SIZES) for (const G of [1, 2, 3, 8]) for (const extra of [0, 5]) {
      const ld = N + extra;
      const partials = rng.uniformArray(G * ld);
      const dst0 = rng.uniformArray(N);
      const want = dst0.slice();
      accumulatePartials(partials, G, N, ld, want);
      const p = putGuarded(s, dst0);
      s.k.accumulate_partials_f32(s.put(partials), G, N, ld, p);
      assertClose(getGuarded(s, p, N, `N${N} G${G} ld${ld}`), want, `N${N} G${G} ld${ld}`, 1e-6, 1e-6);
    }
  });
});

test('the kernel gradient by sample groups equals the reference gradient', () => {
  const rng = new Random(33);
  withScratch((s) => {
    for (const B of [1, 2, 3, 8, 9, 13, 16]) for (const [C, F, K, S, D] of [[1, 32, 3, 3, 1], [3, 5, 3, 1, 1], [4, 9, 5, 2, 2], [8, 17, 2, 1, 3]]) {
      const T = 37;
      const Lp = (T - 1) * S + (K - 1) * D + 1;
      const xp = rng.uniformArray(B * Lp * C);
      const dy = rng.uniformArray(B * T * F);
      const dw0 = rng.uniformArray(K * C * F);
      const want = dw0.slice();
      conv1dBackwardKernel(xp, dy, want, B, Lp, C, T, F, K, S, D);
      const G = s.k.conv1d_kernel_groups(B);
      assert.equal(G, Math.min(B, KERNEL_GROUPS), 'the layer plans for the kernel\'s group count');
      const partials = s.zeros(G * K * C * F);
      // two calls over group ranges, as two threads would make them
      const half = Math.floor(G / 2);
      s.k.conv1d_backward_kernel_groups(s.put(xp), s.put(dy), partials, B, Lp, C, T, F, K, S, D, 0, half);
      s.k.conv1d_backward_kernel_groups(s.put(xp), s.put(dy), partials, B, Lp, C, T, F, K, S, D, half, G);
      const pdw = putGuarded(s, dw0);
      s.k.accumulate_partials_f32(partials, G, K * C * F, K * C * F, pdw);
      const label = `B${B} C${C} F${F} K${K} S${S} D${D}`;
      assertClose(getGuarded(s, pdw, dw0.length, label), want, label, 1e-4 * B * T, 1e-4);
    }
  });
});
