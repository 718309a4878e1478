// gemm_f32 and transpose_f32 against the plain references, over sizes that hit every tile edge
// (4-row tiles, 8- and 4-column vector tiles, scalar columns), plus strided, transposed A and
// overlapping C rows. Outputs carry guard regions that must survive.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, putGuarded, getGuarded, TILE_SIZES, TILE_DEPTHS } from '../helpers/wasm.ts';
import { gemmF32, gemmBiasF32, transposeF32 } from '../../src/reference/gemm.ts';

const rng = new Random(7);

function checkGemm(M: number, N: number, K: number, rsa: number, csa: number, ldb: number, ldc: number, label: string): void {
  withScratch((s) => {
    const a = rng.uniformArray((M - 1) * rsa + (K - 1) * csa + 1);
    const b = rng.uniformArray((K - 1) * ldb + N);
    const c0 = rng.uniformArray((M - 1) * ldc + N); // non-zero: gemm accumulates
    const pc = putGuarded(s, c0);
    s.k.gemm_f32(M, N, K, s.put(a), rsa, csa, s.put(b), ldb, pc, ldc);
    const expected = c0.slice();
    gemmF32(M, N, K, a, rsa, csa, b, ldb, expected, ldc);
    assertClose(getGuarded(s, pc, c0.length, label), expected, label, 1e-5 * Math.sqrt(K), 1e-4);
  });
}

test('gemm_f32 matches the reference, A row-major, every tile edge', () => {
  for (const M of TILE_SIZES) for (const N of TILE_SIZES) for (const K of TILE_DEPTHS) checkGemm(M, N, K, K, 1, N, N, `M=${M} N=${N} K=${K}`);
});

test('gemm_f32 matches the reference, A transposed (rsa=1, csa=M)', () => {
  for (const M of TILE_SIZES) for (const N of TILE_SIZES) for (const K of TILE_DEPTHS) checkGemm(M, N, K, 1, M, N, N, `A^T M=${M} N=${N} K=${K}`);
});

test('gemm_f32 with padded strides (rsa > K, ldb > N, ldc > N)', () => {
  for (const M of [1, 5, 9]) for (const N of [3, 8, 13, 17]) for (const K of [1, 5, 17]) {
    checkGemm(M, N, K, K + 3, 1, N + 5, N + 2, `strided M=${M} N=${N} K=${K}`);
    checkGemm(M, N, K, 2, 2 * M + 1, N + 1, N + 7, `strided A^T M=${M} N=${N} K=${K}`);
  }
});

test('gemm_f32 with overlapping C rows (ldc < N, the col2im scatter-add)', () => {
  for (const M of [1, 3, 4, 5, 9]) for (const N of [3, 4, 6, 8, 9, 12, 17]) for (const K of [1, 4, 17]) {
    for (const ldc of [1, 2, 3, 4, 5]) if (ldc < N) checkGemm(M, N, K, K, 1, N, ldc, `overlap M=${M} N=${N} K=${K} ldc=${ldc}`);
  }
});

test('gemm_bias_f32 overwrites C with bias + A@B, row-major and transposed A, with and without bias', () => {
  for (const M of TILE_SIZES) for (const N of TILE_SIZES) for (const K of [1, 4, 17]) for (const [rsa, csa] of [[K + 1, 1], [1, M + 2]]) {
    withScratch((s) => {
      const label = `bias M=${M} N=${N} K=${K} rsa=${rsa}`;
      const a = rng.uniformArray((M - 1) * rsa + (K - 1) * csa + 1);
      const b = rng.uniformArray((K - 1) * N + N);
      const bias = (M + N) % 2 ? rng.uniformArray(N) : null;
      const ldc = N + 3;
      const expected = rng.uniformArray((M - 1) * ldc + N); // gaps between rows must survive
      const pc = putGuarded(s, expected);
      s.k.gemm_bias_f32(M, N, K, s.put(a), rsa, csa, s.put(b), N, pc, ldc, bias ? s.put(bias) : 0);
      gemmBiasF32(M, N, K, a, rsa, csa, b, N, expected, ldc, bias);
      assertClose(getGuarded(s, pc, expected.length, label), expected, label, 1e-5 * Math.sqrt(K), 1e-4);
    });
  }
});

test('gemm_f32 with zero-sized dimensions leaves C untouched', () => {
  withScratch((s) => {
    const c0 = rng.uniformArray(12);
    const pc = putGuarded(s, c0);
    const a = s.put(rng.uniformArray(12));
    const b = s.put(rng.uniformArray(12));
    s.k.gemm_f32(0, 3, 4, a, 4, 1, b, 3, pc, 3);
    s.k.gemm_f32(4, 0, 3, a, 3, 1, b, 3, pc, 3);
    s.k.gemm_f32(4, 3, 0, a, 3, 1, b, 3, pc, 3);
    assert.deepEqual(getGuarded(s, pc, 12, 'empty'), c0);
  });
});

test('transpose_f32 matches the reference', () => {
  for (const R of [1, 3, 4, 8, 9, 17]) for (const Cols of [1, 2, 5, 8, 16, 19]) {
    withScratch((s) => {
      const src = rng.uniformArray(R * Cols);
      const pd = putGuarded(s, new Float32Array(R * Cols));
      s.k.transpose_f32(R, Cols, s.put(src), pd);
      const expected = new Float32Array(R * Cols);
      transposeF32(R, Cols, src, expected);
      assert.deepEqual(getGuarded(s, pd, R * Cols, `transpose ${R}x${Cols}`), expected);
    });
  }
});
