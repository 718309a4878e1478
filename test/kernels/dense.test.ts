// dense and bias kernels against the direct-loop references, over sizes that hit every tile edge
// and at the workload sizes with a small batch. Outputs carry guard regions that must survive;
// backward outputs start non-zero.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded, TILE_SIZES, TILE_DEPTHS } from '../helpers/wasm.ts';
import { denseForward, denseBackwardInput, denseBackwardKernel } from '../../src/reference/dense.ts';
import { biasFill, biasBackward } from '../../src/reference/bias.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';

const rng = new Random(13);

function checkDense(B: number, I: number, U: number, bias: boolean): void {
  const label = `B=${B} I=${I} U=${U}`;
  withScratch((s) => {
    const x = rng.uniformArray(B * I);
    const w = rng.uniformArray(I * U);
    const bv = bias ? rng.uniformArray(U) : null;
    const dy = rng.uniformArray(B * U);
    const px = s.put(x);
    const pw = s.put(w);
    const pdy = s.put(dy);

    const y = new Float32Array(B * U);
    denseForward(x, w, bv, y, B, I, U);
    const py = putGuarded(s, rng.uniformArray(B * U)); // garbage: forward overwrites
    s.k.dense_forward(px, pw, bv ? s.put(bv) : 0, py, B, I, U);
    assertClose(getGuarded(s, py, y.length, `${label} forward`), y, `${label} forward`, 1e-5 * Math.sqrt(I), 1e-4);

    const wt = new Float32Array(U * I);
    transposeF32(I, U, w, wt);
    const dx0 = rng.uniformArray(B * I);
    const dx = dx0.slice();
    denseBackwardInput(dy, wt, dx, B, I, U);
    const pdx = putGuarded(s, dx0);
    s.k.dense_backward_input(pdy, s.put(wt), pdx, B, I, U);
    assertClose(getGuarded(s, pdx, dx.length, `${label} backward_input`), dx, `${label} backward_input`, 1e-5 * Math.sqrt(U), 1e-4);

    const dw0 = rng.uniformArray(I * U);
    const dw = dw0.slice();
    denseBackwardKernel(x, dy, dw, B, I, U);
    const pdw = putGuarded(s, dw0);
    s.k.dense_backward_kernel(px, pdy, pdw, B, I, U);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward_kernel`), dw, `${label} backward_kernel`, 1e-5 * Math.sqrt(B), 1e-4);
  });
}

test('dense kernels match the references over the size grid', () => {
  let n = 0;
  for (const B of TILE_SIZES) for (const I of TILE_DEPTHS) for (const U of TILE_SIZES) checkDense(B, I, U, n++ % 2 === 0);
});

test('dense kernels at the workload sizes (small batch)', () => {
  checkDense(4, 1568, 128, true); // keras-seed Dense(128)
  checkDense(4, 128, 10, true); // keras-seed Dense(10)
  checkDense(3, 64, 2, true); // fcn-500 Dense(2)
  checkDense(3, 128, 10, false); // samplecnn-8k Dense(10)
});

test('bias_fill and bias_backward match the references', () => {
  for (const R of [1, 2, 3, 5, 8]) for (const F of TILE_SIZES) {
    withScratch((s) => {
      const label = `R=${R} F=${F}`;
      const bias = rng.uniformArray(F);
      const y = new Float32Array(R * F);
      biasFill(y, bias, R, F);
      const py = putGuarded(s, rng.uniformArray(R * F));
      s.k.bias_fill(py, s.put(bias), R, F);
      assert.deepEqual(getGuarded(s, py, y.length, `${label} bias_fill`), y);
      biasFill(y, null, R, F);
      const pz = putGuarded(s, rng.uniformArray(R * F));
      s.k.bias_fill(pz, 0, R, F);
      assert.deepEqual(getGuarded(s, pz, y.length, `${label} bias_fill(0)`), y);

      const dy = rng.uniformArray(R * F);
      const db0 = rng.uniformArray(F);
      const db = db0.slice();
      biasBackward(dy, db, R, F);
      const pdb = putGuarded(s, db0);
      s.k.bias_backward(s.put(dy), pdb, R, F);
      assertClose(getGuarded(s, pdb, F, `${label} bias_backward`), db, `${label} bias_backward`);
    });
  }
});
