// Conv1D as cross-correlation, channels last, by implicit im2col + gemm_f32.
//   y[b, t, f] = bias[f] + sum_{u<K, c<C} xp[b, t*S + u*D, c] * w[u, c, f]
// xp is the input zero-padded on the left by padLeft and on the right up to Lp (the TypeScript
// layer computes padding and T); with no padding xp is x itself.
//   x [B, L, C]   xp [B, Lp, C]   w [K, C, F]   wt [F, K*C]   bias [F]   y, dy [B, T, F]
//
// Implicit im2col: row t of the im2col matrix [T, K*C] is xp_b[t*S*C .. t*S*C + K*C) when D == 1,
// a contiguous slice, so A = xp_b with row stride S*C and no copy. With D > 1 the K taps are not
// adjacent and each tap u is its own GEMM over C (A shifted by u*D*C, B = the C rows of tap u).

import { gemm_f32, gemm_bias_f32 } from './gemm';

/** xp[b, padLeft + l, c] = x[b, l, c]; every other xp element = 0. */
export function conv1d_pad(x: usize, xp: usize, B: i32, L: i32, C: i32, Lp: i32, padLeft: i32): void {
  const left = (<usize>padLeft * C) << 2;
  const body = (<usize>L * C) << 2;
  const right = (<usize>(Lp - padLeft - L) * C) << 2;
  for (let b = 0; b < B; b++) {
    memory.fill(xp, 0, left);
    memory.copy(xp + left, x, body);
    memory.fill(xp + left + body, 0, right);
    x += body;
    xp += left + body + right;
  }
}

/** dx[b, l, c] += dxp[b, padLeft + l, c]: the interior of a padded gradient. */
export function conv1d_unpad_add(dxp: usize, dx: usize, B: i32, L: i32, C: i32, Lp: i32, padLeft: i32): void {
  const n = L * C;
  const n4 = n & ~3;
  const rowIn = (<usize>Lp * C) << 2;
  const rowOut = (<usize>n) << 2;
  let src = dxp + ((<usize>padLeft * C) << 2);
  for (let b = 0; b < B; b++) {
    let i = 0;
    for (; i < n4; i += 4) {
      const q = dx + (<usize>i << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(src + (<usize>i << 2))));
    }
    for (; i < n; i++) {
      const q = dx + (<usize>i << 2);
      store<f32>(q, load<f32>(q) + load<f32>(src + (<usize>i << 2)));
    }
    src += rowIn;
    dx += rowOut;
  }
}

/** y = bias + xcorr(xp, w) (overwrites y; bias == 0 means no bias). */
export function conv1d_forward(xp: usize, w: usize, bias: usize, y: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  const xpStride = (<usize>Lp * C) << 2;
  const yStride = (<usize>T * F) << 2;
  for (let b = 0; b < B; b++) {
    if (D == 1) {
      // [T, K*C] @ [K*C, F], written over y_b with the bias
      gemm_bias_f32(T, F, K * C, xp, S * C, 1, w, F, y, F, bias);
    } else {
      // tap u: [T, C] @ [C, F]; the first tap writes y_b, the others accumulate
      gemm_bias_f32(T, F, C, xp, S * C, 1, w, F, y, F, bias);
      for (let u = 1; u < K; u++) {
        gemm_f32(T, F, C, xp + ((<usize>u * D * C) << 2), S * C, 1, w + ((<usize>u * C * F) << 2), F, y, F);
      }
    }
    xp += xpStride;
    y += yStride;
  }
}

/** dxp[b, t*S + u*D, c] += sum_f dy[b, t, f] * wt[f, u*C + c]   (wt = w transposed to [F, K*C]). */
export function conv1d_backward_input(dy: usize, wt: usize, dxp: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  const xpStride = (<usize>Lp * C) << 2;
  const dyStride = (<usize>T * F) << 2;
  const KC = K * C;
  for (let b = 0; b < B; b++) {
    if (D == 1) {
      // [T, F] @ [F, K*C] scattered into rows of dxp_b at stride S*C (overlapping when K > S: col2im)
      gemm_f32(T, KC, F, dy, F, 1, wt, KC, dxp, S * C);
    } else {
      for (let u = 0; u < K; u++) {
        // [T, F] @ [F, C] (columns u*C.. of wt) into dxp_b shifted by tap u
        gemm_f32(T, C, F, dy, F, 1, wt + ((<usize>u * C) << 2), KC, dxp + ((<usize>u * D * C) << 2), S * C);
      }
    }
    dy += dyStride;
    dxp += xpStride;
  }
}

/** dw[u, c, f] += sum_{b,t} xp[b, t*S + u*D, c] * dy[b, t, f]. */
export function conv1d_backward_kernel(xp: usize, dy: usize, dw: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  const xpStride = (<usize>Lp * C) << 2;
  const dyStride = (<usize>T * F) << 2;
  for (let b = 0; b < B; b++) {
    if (D == 1) {
      // im2col^T [K*C, T] @ dy_b [T, F]: A(kc, t) = xp_b[t*S*C + kc]
      gemm_f32(K * C, F, T, xp, 1, S * C, dy, F, dw, F);
    } else {
      for (let u = 0; u < K; u++) {
        // tap u: [C, T] @ [T, F] into rows u*C.. of dw
        gemm_f32(C, F, T, xp + ((<usize>u * D * C) << 2), 1, S * C, dy, F, dw + ((<usize>u * C * F) << 2), F);
      }
    }
    xp += xpStride;
    dy += dyStride;
  }
}
