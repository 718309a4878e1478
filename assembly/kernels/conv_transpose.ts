// Conv1DTranspose, channels last: the adjoint of a conv1d whose input is this layer's output.
// Each input step t scatters K taps into the (uncropped) output yp:
//   yp[b, j, f] = bias[f] + sum_{t, u : t*S + u*D = j} sum_c x[b, t, c] * w[u, f, c]
//   x, dx [B, L, C]   w [K, F, C] (Keras layout)   wt [C, K*F]   bias [F]   yp, dyp [B, Lp, F]
// Lp >= (L-1)*S + (K-1)*D + 1; the layer crops the output [B, T, F] out of yp (and pads dy into
// dyp). In conv1d.ts terms the forward is conv1d_backward_input with the roles of x and y
// swapped, the input gradient is a conv1d forward that accumulates, and the kernel gradient is
// conv1d_backward_kernel with xp = dyp: the same gemm calls.

import { gemm_f32 } from './gemm';
import { bias_fill } from './bias';
import { conv1d_backward_input, conv1d_backward_kernel } from './conv1d';

/** yp = bias + scatter(x, w) (overwrites yp; bias == 0 means none), given wt = w as [K*F, C] transposed. */
export function conv1d_transpose_forward(x: usize, wt: usize, bias: usize, yp: usize, B: i32, L: i32, C: i32, Lp: i32, F: i32, K: i32, S: i32, D: i32): void {
  bias_fill(yp, bias, B * Lp, F);
  // conv1d_backward_input(dy = x [B, L, C], wt [C, K*F], dxp = yp [B, Lp, F]): yp[t*S + u*D, f] += x[t, :] . wt[:, u*F + f]
  conv1d_backward_input(x, wt, yp, B, Lp, F, L, C, K, S, D);
}

/** dx[b, t, c] += sum_{u<K, f<F} dyp[b, t*S + u*D, f] * w[u, f, c]. */
export function conv1d_transpose_backward_input(dyp: usize, w: usize, dx: usize, B: i32, L: i32, C: i32, Lp: i32, F: i32, K: i32, S: i32, D: i32): void {
  const dypStride = (<usize>Lp * F) << 2;
  const dxStride = (<usize>L * C) << 2;
  for (let b = 0; b < B; b++) {
    if (D == 1) {
      // implicit im2col of dyp_b: row t = dyp_b[t*S*F .. t*S*F + K*F), [L, K*F] @ [K*F, C]
      gemm_f32(L, C, K * F, dyp, S * F, 1, w, C, dx, C);
    } else {
      for (let u = 0; u < K; u++) {
        gemm_f32(L, C, F, dyp + ((<usize>u * D * F) << 2), S * F, 1, w + ((<usize>u * F * C) << 2), C, dx, C);
      }
    }
    dyp += dypStride;
    dx += dxStride;
  }
}

/** dw[u, f, c] += sum_{b,t} dyp[b, t*S + u*D, f] * x[b, t, c]. */
export function conv1d_transpose_backward_kernel(x: usize, dyp: usize, dw: usize, B: i32, L: i32, C: i32, Lp: i32, F: i32, K: i32, S: i32, D: i32): void {
  // conv1d_backward_kernel(xp = dyp [B, Lp, F], dy = x [B, L, C]) -> dw [K, F, C]
  conv1d_backward_kernel(dyp, x, dw, B, Lp, F, L, C, K, S, D);
}
