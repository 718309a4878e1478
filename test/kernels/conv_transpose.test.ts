// conv1d_transpose kernels against the direct scatter references over length, channels, filters,
// kernel size, stride and dilation, with an uncropped output Lp at and past the scatter's reach
// ((L-1)*S + (K-1)*D + 1). Outputs carry guard regions; backward outputs start non-zero.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/conv_transpose.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';

const rng = new Random(29);
const tol = (n: number) => 1e-5 * Math.sqrt(n);

function check(B: number, L: number, C: number, F: number, K: number, S: number, D: number, extra: number, bias: boolean): void {
  const Lp = (L - 1) * S + (K - 1) * D + 1 + extra;
  const label = `transpose B=${B} L=${L} C=${C} F=${F} K=${K} S=${S} D=${D} Lp=${Lp}`;
  withScratch((s) => {
    const x = rng.uniformArray(B * L * C);
    const w = rng.uniformArray(K * F * C);
    const bv = bias ? rng.uniformArray(F) : null;
    const dyp = rng.uniformArray(B * Lp * F);
    const px = s.put(x);
    const pw = s.put(w);
    const pdyp = s.put(dyp);

    // wt from the transpose kernel, as the layer makes it
    const pwt = s.zeros(w.length);
    s.k.transpose_f32(K * F, C, pw, pwt);
    const wt = new Float32Array(w.length);
    transposeF32(K * F, C, w, wt);
    const yp = new Float32Array(B * Lp * F);
    ref.conv1dTransposeForward(x, wt, bv, yp, B, L, C, Lp, F, K, S, D);
    const pyp = putGuarded(s, rng.uniformArray(yp.length)); // garbage: the forward overwrites all of it
    s.k.conv1d_transpose_forward(px, pwt, bv ? s.put(bv) : 0, pyp, B, L, C, Lp, F, K, S, D);
    assertClose(getGuarded(s, pyp, yp.length, `${label} forward`), yp, `${label} forward`, tol(K * C), 1e-4);

    const dx0 = rng.uniformArray(x.length);
    const dx = dx0.slice();
    ref.conv1dTransposeBackwardInput(dyp, w, dx, B, L, C, Lp, F, K, S, D);
    const pdx = putGuarded(s, dx0);
    s.k.conv1d_transpose_backward_input(pdyp, pw, pdx, B, L, C, Lp, F, K, S, D);
    assertClose(getGuarded(s, pdx, dx.length, `${label} backward_input`), dx, `${label} backward_input`, tol(K * F), 1e-4);

    const dw0 = rng.uniformArray(w.length);
    const dw = dw0.slice();
    ref.conv1dTransposeBackwardKernel(x, dyp, dw, B, L, C, Lp, F, K, S, D);
    const pdw = putGuarded(s, dw0);
    s.k.conv1d_transpose_backward_kernel(px, pdyp, pdw, B, L, C, Lp, F, K, S, D);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward_kernel`), dw, `${label} backward_kernel`, tol(B * L), 1e-4);
  });
}

test('conv1d_transpose kernels match the references over the size grid', () => {
  let n = 0;
  for (const C of [1, 3, 4, 5, 8]) for (const F of [1, 3, 4, 7, 8, 9, 17]) for (const K of [1, 2, 3, 5]) for (const [S, D] of [[1, 1], [2, 1], [3, 1], [1, 2], [2, 3]]) {
    n++;
    check(1 + (n % 3), [1, 2, 3, 5, 8][n % 5], C, F, K, S, D, n % 3, n % 2 === 0);
  }
  assert.equal(n, 700);
});

test('conv1d_transpose kernels at workload sizes (small batch)', () => {
  check(2, 125, 32, 16, 4, 4, 1, 0, true); // 4x upsampling of a 500-sample decoder
  check(1, 250, 64, 32, 3, 2, 1, 1, true);
  check(2, 40, 8, 1, 7, 1, 1, 0, false);
});
