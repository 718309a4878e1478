// Winograd F(m, r) Conv1D: the float64 reference against the direct-loop conv references (the
// algebra), then each kernel against its reference and the three passes against the direct
// references, over output lengths 1..17 (every tile tail of m = 2, 4, 6), channel and filter
// counts hitting the f32x4 tails, and chunks of 1, 3 and all tiles. Outputs carry guard regions.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded, CHANNELS } from '../helpers/wasm.ts';
import { conv1dForward, conv1dBackwardInput, conv1dBackwardKernel } from '../../src/reference/conv1d.ts';
import {
  winogradMatrices, winogradBlock, winogradBlockOffsets, winogradMix, winogradTilesIn, winogradTilesOut,
  winogradForward, winogradBackwardInput, winogradBackwardKernel, transposed,
} from '../../src/reference/winograd.ts';

const rng = new Random(21);
const TILES: [number, number][] = [[2, 3], [4, 3], [6, 3], [2, 5], [4, 5], [2, 7]];
const LENGTHS = Array.from({ length: 17 }, (_, i) => i + 1);

function transposeKernel(w: Float32Array | Float64Array, KC: number, F: number): Float64Array {
  return transposed(Float64Array.from(w), KC, F);
}

test('float64 reference: F(m, r) forward, backward-input and backward-kernel equal the direct convolution', () => {
  for (const [m, r] of TILES) {
    const mx = winogradMatrices(m, r);
    for (const T of LENGTHS) {
      const B = 2, C = 3, F = 5, K = r, Lp = T + K - 1;
      const label = `F(${m}, ${r}) T=${T}`;
      const xp = Float64Array.from(rng.uniformArray(B * Lp * C));
      const w = Float64Array.from(rng.uniformArray(K * C * F));
      const bias = Float64Array.from(rng.uniformArray(F));
      const dy = Float64Array.from(rng.uniformArray(B * T * F));
      const y0 = new Float64Array(B * T * F), y1 = new Float64Array(B * T * F);
      conv1dForward(xp, w, bias, y0, B, Lp, C, T, F, K, 1, 1);
      winogradForward(mx, xp, w, bias, y1, B, Lp, C, T, F);
      assertClose(y1, y0, `${label} forward`, 1e-12, 1e-12);
      const d0 = new Float64Array(B * Lp * C).fill(0.5), d1 = new Float64Array(B * Lp * C).fill(0.5);
      conv1dBackwardInput(dy, transposeKernel(w, K * C, F), d0, B, Lp, C, T, F, K, 1, 1);
      winogradBackwardInput(mx, dy, w, d1, B, Lp, C, T, F);
      assertClose(d1, d0, `${label} backward input`, 1e-12, 1e-12);
      const k0 = new Float64Array(K * C * F).fill(0.25), k1 = new Float64Array(K * C * F).fill(0.25);
      conv1dBackwardKernel(xp, dy, k0, B, Lp, C, T, F, K, 1, 1);
      winogradBackwardKernel(mx, xp, dy, k1, B, Lp, C, T, F);
      assertClose(k1, k0, `${label} backward kernel`, 1e-12, 1e-12);
    }
  }
});

test('winograd_mix, winograd_tiles_in and winograd_tiles_out match their references', () => {
  withScratch((s) => {
    for (const [m, r] of [[4, 3], [2, 5], [4, 5]] as [number, number][]) {
      const mats = winogradBlock(winogradMatrices(m, r));
      const off = winogradBlockOffsets(m, r);
      const a = m + r - 1;
      const pm = s.put(mats);
      const G = mats.subarray(off.G, off.BT), BT = mats.subarray(off.BT, off.A), AT = mats.subarray(off.AT, off.G), Bm = mats.subarray(off.B, off.GT);
      for (const N of [1, 3, 4, 5, 8, 17]) {
        const label = `F(${m}, ${r}) mix N=${N}`;
        const src = rng.uniformArray(r * N);
        const want = new Float32Array(a * N);
        winogradMix(G, a, r, src, want, N, false);
        const p = putGuarded(s, rng.uniformArray(a * N));
        s.k.winograd_mix(pm + 4 * off.G, a, r, s.put(src), p, N, 0);
        assertClose(getGuarded(s, p, a * N, label), want, label, 1e-6, 1e-5);
        const init = rng.uniformArray(a * N);
        const acc = Float32Array.from(init);
        winogradMix(G, a, r, src, acc, N, true);
        const q = putGuarded(s, init);
        s.k.winograd_mix(pm + 4 * off.G, a, r, s.put(src), q, N, 1);
        assertClose(getGuarded(s, q, a * N, `${label} accumulate`), acc, `${label} accumulate`, 1e-6, 1e-5);
      }
      for (const T of LENGTHS) {
        for (const C of CHANNELS) {
          const B = 2, Lp = T + r - 1, nT = Math.ceil(T / m);
          const label = `F(${m}, ${r}) T=${T} C=${C}`;
          const xp = rng.uniformArray(B * Lp * C);
          // tiles [1, nT*B) so that g0 > 0 is covered; all tiles when there is one
          const g0 = B * nT > 1 ? 1 : 0, g1 = B * nT, rows = g1 - g0;
          const V = new Float32Array(a * rows * C);
          winogradTilesIn(xp, Lp, C, BT, a, a, m, nT, g0, g1, V);
          const pv = putGuarded(s, rng.uniformArray(V.length));
          s.k.winograd_tiles_in(s.put(xp), Lp, C, pm + 4 * off.BT, a, a, m, nT, g0, g1, pv);
          assertClose(getGuarded(s, pv, V.length, `${label} tiles_in`), V, `${label} tiles_in`, 1e-5, 1e-5);
          // forward output transform (overwrite, with bias) and the overlapping backward one (accumulate)
          const src = rng.uniformArray(a * rows * C);
          const bias = rng.uniformArray(C);
          const init = rng.uniformArray(B * T * C);
          const y = Float32Array.from(init);
          winogradTilesOut(src, AT, a, m, m, nT, g0, g1, y, T, C, bias, false);
          const py = putGuarded(s, init);
          const psrc = s.put(src);
          s.k.winograd_tiles_out(psrc, pm + 4 * off.AT, a, m, m, nT, g0, g1, py, T, C, s.put(bias), 0);
          assertClose(getGuarded(s, py, y.length, `${label} tiles_out`), y, `${label} tiles_out`, 1e-5, 1e-5);
          const dinit = rng.uniformArray(B * Lp * C);
          const dx = Float32Array.from(dinit);
          winogradTilesOut(src, Bm, a, a, m, nT, g0, g1, dx, Lp, C, null, true);
          const pd = putGuarded(s, dinit);
          s.k.winograd_tiles_out(psrc, pm + 4 * off.B, a, a, m, nT, g0, g1, pd, Lp, C, 0, 1);
          assertClose(getGuarded(s, pd, dx.length, `${label} tiles_out accumulate`), dx, `${label} tiles_out accumulate`, 1e-5, 1e-5);
        }
      }
    }
  });
});

/** The three passes of one geometry through the kernels, against the direct references. */
function checkPasses(m: number, r: number, B: number, T: number, C: number, F: number, chunk: number): void {
  const K = r, Lp = T + K - 1, a = m + r - 1;
  const label = `F(${m}, ${r}) B=${B} T=${T} C=${C} F=${F} chunk=${chunk}`;
  const tol = (n: number) => 3e-5 * Math.sqrt(n);
  withScratch((s) => {
    const pm = s.put(winogradBlock(winogradMatrices(m, r)));
    const xp = rng.uniformArray(B * Lp * C);
    const w = rng.uniformArray(K * C * F);
    const bias = rng.uniformArray(F);
    const dy = rng.uniformArray(B * T * F);
    const rows = Math.min(chunk, B * Math.ceil(T / m));
    const pU = s.zeros(a * C * F);
    s.k.winograd_kernel_transform(pm, s.put(w), pU, C, F, m, r);
    const V = s.zeros(a * rows * C), M = s.zeros(a * rows * F);

    const y = new Float32Array(B * T * F);
    conv1dForward(xp, w, bias, y, B, Lp, C, T, F, K, 1, 1);
    const pxp = s.put(xp);
    const py = putGuarded(s, rng.uniformArray(y.length));
    s.k.winograd_forward(pm, pxp, pU, s.put(bias), py, V, M, B, Lp, C, T, F, m, r, chunk);
    assertClose(getGuarded(s, py, y.length, `${label} forward`), y, `${label} forward`, tol(K * C), 1e-4);

    const dinit = rng.uniformArray(B * Lp * C);
    const dxp = Float32Array.from(dinit);
    conv1dBackwardInput(dy, Float32Array.from(transposeKernel(w, K * C, F)), dxp, B, Lp, C, T, F, K, 1, 1);
    const pdxp = putGuarded(s, dinit);
    const pdy = s.put(dy);
    s.k.winograd_backward_input(pm, pdy, pU, s.zeros(a * C * F), pdxp, M, V, B, Lp, C, T, F, m, r, chunk);
    assertClose(getGuarded(s, pdxp, dxp.length, `${label} backward input`), dxp, `${label} backward input`, tol(K * F), 1e-4);

    const kinit = rng.uniformArray(K * C * F);
    const dw = Float32Array.from(kinit);
    conv1dBackwardKernel(xp, dy, dw, B, Lp, C, T, F, K, 1, 1);
    const pdw = putGuarded(s, kinit);
    s.k.winograd_backward_kernel(pm, pxp, pdy, pdw, V, M, s.zeros(a * C * F), B, Lp, C, T, F, m, r, chunk);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward kernel`), dw, `${label} backward kernel`, tol(B * T), 1e-4);
  });
}

test('winograd_forward, winograd_backward_input and winograd_backward_kernel match the direct convolution over tile tails', () => {
  for (const [m, r] of TILES) {
    for (const T of LENGTHS) for (const C of [1, 4, 5]) checkPasses(m, r, 2, T, C, T % 2 ? 9 : 8, T % 3 === 0 ? 1 : 1000);
    for (const C of CHANNELS) for (const F of [1, 3, 4, 5, 8, 17]) checkPasses(m, r, 3, 7, C, F, 3);
  }
});

test('winograd at a workload size (fcn-ecg layer 2 shape, small batch) stays within the direct tolerance', () => {
  checkPasses(4, 5, 2, 96, 128, 256, 64);
  checkPasses(4, 3, 2, 96, 256, 128, 64);
});

test('the block offsets match winogradBlock', () => {
  for (const [m, r] of TILES) {
    const mx = winogradMatrices(m, r);
    const block = winogradBlock(mx);
    const off = winogradBlockOffsets(m, r);
    assert.equal(block.length, off.floats);
    assert.deepEqual(block.subarray(off.BT, off.A), Float32Array.from(mx.BT));
    assert.deepEqual(block.subarray(off.GT, off.floats), Float32Array.from(transposed(mx.G, m + r - 1, r)));
  }
});
