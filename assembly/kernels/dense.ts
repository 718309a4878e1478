// Dense (fully connected): y = x @ w + bias.   x [B, I]   w [I, U]   wt [U, I]   bias [U]   y [B, U]
// Each pass is one gemm_f32 / gemm_bias_f32 call; see gemm.ts for the tiling.

import { gemm_f32, gemm_bias_f32 } from './gemm';

/** y = x @ w + bias (overwrites y; bias == 0 means no bias). */
export function dense_forward(x: usize, w: usize, bias: usize, y: usize, B: i32, I: i32, U: i32): void {
  gemm_bias_f32(B, U, I, x, I, 1, w, U, y, U, bias);
}

/** dx += dy @ w^T, given wt = w transposed [U, I]. */
export function dense_backward_input(dy: usize, wt: usize, dx: usize, B: i32, I: i32, U: i32): void {
  gemm_f32(B, I, U, dy, U, 1, wt, I, dx, I);
}

/** dw += x^T @ dy. */
export function dense_backward_kernel(x: usize, dy: usize, dw: usize, B: i32, I: i32, U: i32): void {
  // A = x^T [I, B]: element (i, b) at x[b*I + i], so rsa = 1, csa = I.
  gemm_f32(I, U, B, x, 1, I, dy, U, dw, U);
}
