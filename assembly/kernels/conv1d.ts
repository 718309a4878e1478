// Conv1D as cross-correlation, channels last, by implicit im2col + gemm_f32.
//   y[b, t, f] = bias[f] + sum_{u<K, c<C} xp[b, t*S + u*D, c] * w[u, c, f]
// xp is the input zero-padded on the left by padLeft and on the right up to Lp (the TypeScript
// layer computes padding and T); with no padding xp is x itself.
//   x [B, L, C]   xp [B, Lp, C]   w [K, C, F]   wt [F, K*C]   bias [F]   y, dy [B, T, F]

/** xp[b, padLeft + l, c] = x[b, l, c]; every other xp element = 0. */
export function conv1d_pad(x: usize, xp: usize, B: i32, L: i32, C: i32, Lp: i32, padLeft: i32): void {
  unreachable();
}

/** dx[b, l, c] += dxp[b, padLeft + l, c]: the interior of a padded gradient. */
export function conv1d_unpad_add(dxp: usize, dx: usize, B: i32, L: i32, C: i32, Lp: i32, padLeft: i32): void {
  unreachable();
}

/** y = bias + xcorr(xp, w) (overwrites y; bias == 0 means no bias). */
export function conv1d_forward(xp: usize, w: usize, bias: usize, y: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  unreachable();
}

/** dxp[b, t*S + u*D, c] += sum_f dy[b, t, f] * wt[f, u*C + c]   (wt = w transposed to [F, K*C]). */
export function conv1d_backward_input(dy: usize, wt: usize, dxp: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  unreachable();
}

/** dw[u, c, f] += sum_{b,t} xp[b, t*S + u*D, c] * dy[b, t, f]. */
export function conv1d_backward_kernel(xp: usize, dy: usize, dw: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  unreachable();
}
