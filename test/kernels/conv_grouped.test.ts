// Grouped and depthwise conv1d kernels against the direct-loop references over groups, channels
// per group, filters per group, depth multipliers, kernel size, stride and dilation, on "valid"
// windows of a padded input (padding itself is conv1d_pad, tested in conv1d.test.ts). Outputs
// carry guard regions that must survive; backward outputs start non-zero (the kernels accumulate).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/conv_grouped.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';

const rng = new Random(23);
const tol = (n: number) => 1e-5 * Math.sqrt(n);

interface Case { B: number; Lp: number; C: number; F: number; K: number; S: number; D: number; G: number; bias: boolean }

/** T of a "valid" window over Lp (the layer pads first). */
const outLength = (Lp: number, K: number, S: number, D: number) => Math.floor((Lp - (K - 1) * D - 1) / S) + 1;

function checkGrouped({ B, Lp, C, F, K, S, D, G, bias }: Case): void {
  const T = outLength(Lp, K, S, D);
  const Cg = C / G;
  const label = `grouped B=${B} Lp=${Lp} C=${C} F=${F} K=${K} S=${S} D=${D} G=${G}`;
  withScratch((s) => {
    const xp = rng.uniformArray(B * Lp * C);
    const w = rng.uniformArray(K * Cg * F);
    const bv = bias ? rng.uniformArray(F) : null;
    const dy = rng.uniformArray(B * T * F);
    const pxp = s.put(xp);
    const pw = s.put(w);
    const pdy = s.put(dy);

    const y = new Float32Array(B * T * F);
    ref.conv1dGroupedForward(xp, w, bv, y, B, Lp, C, T, F, K, S, D, G);
    const py = putGuarded(s, rng.uniformArray(y.length));
    s.k.conv1d_grouped_forward(pxp, pw, bv ? s.put(bv) : 0, py, B, Lp, C, T, F, K, S, D, G);
    assertClose(getGuarded(s, py, y.length, `${label} forward`), y, `${label} forward`, tol(K * Cg), 1e-4);

    const wt = new Float32Array(w.length);
    transposeF32(K * Cg, F, w, wt);
    const dxp0 = rng.uniformArray(B * Lp * C);
    const dxp = dxp0.slice();
    ref.conv1dGroupedBackwardInput(dy, wt, dxp, B, Lp, C, T, F, K, S, D, G);
    const pdxp = putGuarded(s, dxp0);
    s.k.conv1d_grouped_backward_input(pdy, s.put(wt), pdxp, B, Lp, C, T, F, K, S, D, G);
    assertClose(getGuarded(s, pdxp, dxp.length, `${label} backward_input`), dxp, `${label} backward_input`, tol(F * K), 1e-4);

    const dw0 = rng.uniformArray(w.length);
    const dw = dw0.slice();
    ref.conv1dGroupedBackwardKernel(xp, dy, dw, B, Lp, C, T, F, K, S, D, G);
    const pdw = putGuarded(s, dw0);
    s.k.conv1d_grouped_backward_kernel(pxp, pdy, pdw, B, Lp, C, T, F, K, S, D, G);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward_kernel`), dw, `${label} backward_kernel`, tol(B * T), 1e-4);
  });
}

function checkDepthwise({ B, Lp, C, F: M, K, S, D, bias }: Case): void {
  const T = outLength(Lp, K, S, D);
  const F = C * M;
  const label = `depthwise B=${B} Lp=${Lp} C=${C} M=${M} K=${K} S=${S} D=${D}`;
  withScratch((s) => {
    const xp = rng.uniformArray(B * Lp * C);
    const w = rng.uniformArray(K * F);
    const bv = bias ? rng.uniformArray(F) : null;
    const dy = rng.uniformArray(B * T * F);
    const pxp = s.put(xp);
    const pw = s.put(w);
    const pdy = s.put(dy);

    const y = new Float32Array(B * T * F);
    ref.depthwiseConv1dForward(xp, w, bv, y, B, Lp, C, T, M, K, S, D);
    const py = putGuarded(s, rng.uniformArray(y.length));
    s.k.depthwise_conv1d_forward(pxp, pw, bv ? s.put(bv) : 0, py, B, Lp, C, T, M, K, S, D);
    assertClose(getGuarded(s, py, y.length, `${label} forward`), y, `${label} forward`, tol(K), 1e-4);

    const dxp0 = rng.uniformArray(B * Lp * C);
    const dxp = dxp0.slice();
    ref.depthwiseConv1dBackwardInput(dy, w, dxp, B, Lp, C, T, M, K, S, D);
    const pdxp = putGuarded(s, dxp0);
    s.k.depthwise_conv1d_backward_input(pdy, pw, pdxp, B, Lp, C, T, M, K, S, D);
    assertClose(getGuarded(s, pdxp, dxp.length, `${label} backward_input`), dxp, `${label} backward_input`, tol(M * K), 1e-4);

    const dw0 = rng.uniformArray(w.length);
    const dw = dw0.slice();
    ref.depthwiseConv1dBackwardKernel(xp, dy, dw, B, Lp, C, T, M, K, S, D);
    const pdw = putGuarded(s, dw0);
    s.k.depthwise_conv1d_backward_kernel(pxp, pdy, pdw, B, Lp, C, T, M, K, S, D);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward_kernel`), dw, `${label} backward_kernel`, tol(B * T), 1e-4);
  });
}

test('grouped conv1d kernels match the references over groups, channels and filters per group', () => {
  let n = 0;
  for (const G of [2, 3, 4]) for (const Cg of [1, 2, 3, 5]) for (const Fg of [1, 3, 4, 8, 9]) for (const K of [1, 3]) for (const [S, D] of [[1, 1], [2, 1], [1, 2], [3, 2]]) {
    n++;
    const span = (K - 1) * D + 1;
    checkGrouped({ B: 1 + (n % 2), Lp: span + (n % 7), C: G * Cg, F: G * Fg, K, S, D, G, bias: n % 3 !== 0 });
  }
  assert.equal(n, 480);
});

test('depthwise conv1d kernels match the references over channels and depth multipliers (SIMD tails of both)', () => {
  let n = 0;
  for (const C of [1, 3, 4, 5, 8, 9, 17]) for (const M of [1, 2, 3, 4, 5, 8, 9]) for (const K of [1, 2, 3, 5]) for (const [S, D] of [[1, 1], [2, 1], [1, 3], [3, 2]]) {
    n++;
    const span = (K - 1) * D + 1;
    checkDepthwise({ B: 1 + (n % 3), Lp: span + (n % 9), C, F: M, K, S, D, G: C, bias: n % 2 === 0 });
  }
  assert.equal(n, 784);
});

test('grouped and depthwise kernels agree where they overlap (groups = channels)', () => {
  // the depthwise kernel [K, C, M] is the grouped kernel [K, 1, C*M]: the same numbers must come out
  for (const [C, M] of [[3, 1], [4, 2], [5, 3], [8, 4]]) {
    const B = 2, Lp = 11, K = 3, S = 2, D = 1;
    const T = outLength(Lp, K, S, D);
    withScratch((s) => {
      const px = s.put(rng.uniformArray(B * Lp * C));
      const pw = s.put(rng.uniformArray(K * C * M));
      const pb = s.put(rng.uniformArray(C * M));
      const y1 = s.zeros(B * T * C * M);
      const y2 = s.zeros(B * T * C * M);
      s.k.conv1d_grouped_forward(px, pw, pb, y1, B, Lp, C, T, C * M, K, S, D, C);
      s.k.depthwise_conv1d_forward(px, pw, pb, y2, B, Lp, C, T, M, K, S, D);
      assertClose(s.get(y2, B * T * C * M), s.get(y1, B * T * C * M), `C=${C} M=${M}`, 1e-6, 1e-6);
    });
  }
});

test('depthwise kernels over output lengths at and past the 32-step blocks of the kernel gradient', () => {
  for (const T of [31, 32, 33, 64, 65, 97]) for (const [C, M] of [[5, 1], [3, 4], [2, 7]]) {
    checkDepthwise({ B: 2, Lp: T + 2, C, F: M, K: 3, S: 1, D: 1, G: C, bias: true });
    checkDepthwise({ B: 1, Lp: 2 * (T - 1) + 5, C, F: M, K: 3, S: 2, D: 2, G: C, bias: false });
  }
});

test('grouped and depthwise kernels at workload sizes (small batch)', () => {
  checkGrouped({ B: 1, Lp: 502, C: 64, F: 64, K: 3, S: 1, D: 1, G: 4, bias: true });
  checkGrouped({ B: 2, Lp: 130, C: 32, F: 48, K: 5, S: 2, D: 1, G: 8, bias: false });
  checkDepthwise({ B: 1, Lp: 502, C: 64, F: 1, K: 3, S: 1, D: 1, G: 64, bias: true });
  checkDepthwise({ B: 2, Lp: 259, C: 16, F: 4, K: 9, S: 1, D: 2, G: 16, bias: true });
});
