// Plain-TypeScript oracles of assembly/kernels/gemm.ts. Sums are accumulated in JS doubles.
import type { Floats } from './types.ts';

/** C[i*ldc + j] += sum_k A[i*rsa + k*csa] * B[k*ldb + j]   for i < M, j < N, k < K.
 *  Rows of C may overlap (ldc < N): each element is updated in turn, as the kernel does. */
export function gemmF32(M: number, N: number, K: number, a: Floats, rsa: number, csa: number, b: Floats, ldb: number, c: Floats, ldc: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * rsa + k * csa] * b[k * ldb + j];
      c[i * ldc + j] += s;
    }
  }
}

/** C[i*ldc + j] = bias[j] + sum_k A[i*rsa + k*csa] * B[k*ldb + j]   (overwrites C; bias null: none). */
export function gemmBiasF32(M: number, N: number, K: number, a: Floats, rsa: number, csa: number, b: Floats, ldb: number, c: Floats, ldc: number, bias: Floats | null): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = bias ? bias[j] : 0;
      for (let k = 0; k < K; k++) s += a[i * rsa + k * csa] * b[k * ldb + j];
      c[i * ldc + j] = s;
    }
  }
}

/** dst[j*R + i] = src[i*Cols + j]: src [R, Cols] -> dst [Cols, R]. */
export function transposeF32(R: number, Cols: number, src: Floats, dst: Floats): void {
  for (let i = 0; i < R; i++) for (let j = 0; j < Cols; j++) dst[j * R + i] = src[i * Cols + j];
}
