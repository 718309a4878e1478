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

// One input channel, three taps (the first layer of raw-signal nets: keras-seed, samplecnn-8k):
// as a GEMM its depth K*C = 3 is too short for the tiles to pay for their set-up, so instead the
// 3 taps x 8 filters of weights stay in 6 registers while two output rows at a time go by.
//   y[t, f] = bias[f] + sum_{u<3} xp[t*S + u*D] * w[u, f]   for one sample, F % 8 columns first.
function conv1dForwardC1K3(xp: usize, w: usize, bias: usize, y: usize, Lp: i32, T: i32, F: i32, S: i32, D: i32): void {
  const rowBytes = (<usize>F) << 2;
  const s4 = (<usize>S) << 2;
  const d4 = (<usize>D) << 2;
  const F8 = F & ~7;
  for (let j = 0; j < F; ) {
    const o = (<usize>j) << 2;
    const wide = j < F8;
    if (!wide && j + 4 > F) break; // the last F % 4 filters: below
    const w0 = v128.load(w + o), w1 = v128.load(w + rowBytes + o), w2 = v128.load(w + 2 * rowBytes + o);
    const v0 = wide ? v128.load(w + o, 16) : w0;
    const v1 = wide ? v128.load(w + rowBytes + o, 16) : w1;
    const v2 = wide ? v128.load(w + 2 * rowBytes + o, 16) : w2;
    const b0 = bias ? v128.load(bias + o) : f32x4.splat(0);
    const b1 = bias && wide ? v128.load(bias + o, 16) : b0;
    let x = xp;
    let q = y + o;
    let t = 0;
    for (; t + 1 < T; t += 2) {
      const xa0 = v128.load32_splat(x), xa1 = v128.load32_splat(x + d4), xa2 = v128.load32_splat(x + 2 * d4);
      const xb = x + s4;
      const xb0 = v128.load32_splat(xb), xb1 = v128.load32_splat(xb + d4), xb2 = v128.load32_splat(xb + 2 * d4);
      v128.store(q, fma(fma(fma(b0, xa0, w0), xa1, w1), xa2, w2));
      v128.store(q + rowBytes, fma(fma(fma(b0, xb0, w0), xb1, w1), xb2, w2));
      if (wide) {
        v128.store(q, fma(fma(fma(b1, xa0, v0), xa1, v1), xa2, v2), 16);
        v128.store(q + rowBytes, fma(fma(fma(b1, xb0, v0), xb1, v1), xb2, v2), 16);
      }
      x += 2 * s4;
      q += 2 * rowBytes;
    }
    if (t < T) {
      const xa0 = v128.load32_splat(x), xa1 = v128.load32_splat(x + d4), xa2 = v128.load32_splat(x + 2 * d4);
      v128.store(q, fma(fma(fma(b0, xa0, w0), xa1, w1), xa2, w2));
      if (wide) v128.store(q, fma(fma(fma(b1, xa0, v0), xa1, v1), xa2, v2), 16);
    }
    j += wide ? 8 : 4;
  }
  for (let f = F & ~3; f < F; f++) {
    const o = (<usize>f) << 2;
    const w0 = load<f32>(w + o), w1 = load<f32>(w + rowBytes + o), w2 = load<f32>(w + 2 * rowBytes + o);
    const b0: f32 = bias ? load<f32>(bias + o) : 0;
    for (let t = 0; t < T; t++) {
      const x = xp + <usize>t * s4;
      store<f32>(y + <usize>t * rowBytes + o, b0 + load<f32>(x) * w0 + load<f32>(x + d4) * w1 + load<f32>(x + 2 * d4) * w2);
    }
  }
}

// The kernel gradient of the same layers: 3 taps x 8 filters of dw accumulate in 6 registers
// over the T rows of dy (the GEMM would run a 4-row tile with one row of 3 wasted).
//   dw[u, f] += sum_t xp[t*S + u*D] * dy[t, f]   for one sample.
function conv1dBackwardKernelC1K3(xp: usize, dy: usize, dw: usize, T: i32, F: i32, S: i32, D: i32): void {
  const rowBytes = (<usize>F) << 2;
  const s4 = (<usize>S) << 2;
  const d4 = (<usize>D) << 2;
  const F8 = F & ~7;
  for (let j = 0; j < F; ) {
    const o = (<usize>j) << 2;
    const wide = j < F8;
    if (!wide && j + 4 > F) break;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, c0 = a0, c1 = a0, c2 = a0;
    let x = xp;
    let q = dy + o;
    for (let t = 0; t < T; t++) {
      const g = v128.load(q);
      const x0 = v128.load32_splat(x), x1 = v128.load32_splat(x + d4), x2 = v128.load32_splat(x + 2 * d4);
      a0 = fma(a0, x0, g);
      a1 = fma(a1, x1, g);
      a2 = fma(a2, x2, g);
      if (wide) {
        const h = v128.load(q, 16);
        c0 = fma(c0, x0, h);
        c1 = fma(c1, x1, h);
        c2 = fma(c2, x2, h);
      }
      x += s4;
      q += rowBytes;
    }
    const p = dw + o;
    v128.store(p, f32x4.add(v128.load(p), a0));
    v128.store(p + rowBytes, f32x4.add(v128.load(p + rowBytes), a1));
    v128.store(p + 2 * rowBytes, f32x4.add(v128.load(p + 2 * rowBytes), a2));
    if (wide) {
      v128.store(p, f32x4.add(v128.load(p, 16), c0), 16);
      v128.store(p + rowBytes, f32x4.add(v128.load(p + rowBytes, 16), c1), 16);
      v128.store(p + 2 * rowBytes, f32x4.add(v128.load(p + 2 * rowBytes, 16), c2), 16);
    }
    j += wide ? 8 : 4;
  }
  for (let f = F & ~3; f < F; f++) {
    const o = (<usize>f) << 2;
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0;
    for (let t = 0; t < T; t++) {
      const x = xp + <usize>t * s4;
      const g = load<f32>(dy + <usize>t * rowBytes + o);
      s0 += load<f32>(x) * g;
      s1 += load<f32>(x + d4) * g;
      s2 += load<f32>(x + 2 * d4) * g;
    }
    store<f32>(dw + o, load<f32>(dw + o) + s0);
    store<f32>(dw + rowBytes + o, load<f32>(dw + rowBytes + o) + s1);
    store<f32>(dw + 2 * rowBytes + o, load<f32>(dw + 2 * rowBytes + o) + s2);
  }
}

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** y = bias + xcorr(xp, w) (overwrites y; bias == 0 means no bias). */
export function conv1d_forward(xp: usize, w: usize, bias: usize, y: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32): void {
  const xpStride = (<usize>Lp * C) << 2;
  const yStride = (<usize>T * F) << 2;
  for (let b = 0; b < B; b++) {
    if (C == 1 && K == 3) {
      conv1dForwardC1K3(xp, w, bias, y, Lp, T, F, S, D);
      xp += xpStride;
      y += yStride;
      continue;
    }
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
    if (C == 1 && K == 3) {
      conv1dBackwardKernelC1K3(xp, dy, dw, T, F, S, D);
    } else if (D == 1) {
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

/** At most this many sample groups in conv1d_backward_kernel_groups (src/layers/conv1d.ts KERNEL_GROUPS). */
const KERNEL_GROUPS = 8;

/** Groups the kernel gradient of a batch of B samples is summed in: min(B, 8). */
export function conv1d_kernel_groups(B: i32): i32 {
  return min(B, KERNEL_GROUPS);
}

/** The kernel gradient in a reduction tree fixed by B alone (never by the thread count): group g
 *  of G = conv1d_kernel_groups(B) holds samples [floor(B g / G), floor(B (g+1) / G)), and
 *  partials[g] = sum over them of im2col_b^T @ dy_b (as conv1d_backward_kernel, from zero), for
 *  groups [g0, g1). accumulate_partials_f32 then adds the G partials into dw in group order.
 *  Threads take whole groups (src/threads/splits.ts), so each reads only its own samples: the
 *  split by rows or columns of dw has every part read every sample (for long signals, T >> K*C,
 *  that traffic, not the arithmetic, limits it).   partials [G, K*C, F] */
export function conv1d_backward_kernel_groups(xp: usize, dy: usize, partials: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32, g0: i32, g1: i32): void {
  const G = conv1d_kernel_groups(B);
  const N = <usize>K * <usize>C * <usize>F;
  for (let g = g0; g < g1; g++) {
    const b0 = (B * g) / G;
    const b1 = (B * (g + 1)) / G;
    const p = partials + ((<usize>g * N) << 2);
    memory.fill(p, 0, N << 2);
    conv1d_backward_kernel(xp + ((<usize>b0 * <usize>Lp * <usize>C) << 2), dy + ((<usize>b0 * <usize>T * <usize>F) << 2), p, b1 - b0, Lp, C, T, F, K, S, D);
  }
}
