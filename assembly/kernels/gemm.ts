// General matrix multiply-accumulate with arbitrary A strides, the one hot loop behind dense and
// (via implicit im2col) conv1d.

/** C[i*ldc + j] += sum_k A[i*rsa + k*csa] * B[k*ldb + j]   for i < M, j < N, k < K.
 *  Strides are in floats. rsa/csa let one kernel serve A (rsa=lda, csa=1) and A^T (rsa=1, csa=lda).
 *  Rows of C may overlap in memory (ldc < N): every element is updated by its own load-add-store. */
export function gemm_f32(M: i32, N: i32, K: i32, a: usize, rsa: i32, csa: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  unreachable();
}

/** dst[j*R + i] = src[i*Cols + j]: src [R, Cols] -> dst [Cols, R]. */
export function transpose_f32(R: i32, Cols: i32, src: usize, dst: usize): void {
  unreachable();
}
