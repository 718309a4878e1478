// Grouped and depthwise Conv1D, channels last (Keras Conv1D(groups = G), DepthwiseConv1D).
//
// Grouped: the C = G*Cg input channels and the F = G*Fg filters split into G groups; filter
// g*Fg + j reads only the input channels g*Cg .. g*Cg + Cg - 1.
//   y[b, t, g*Fg + j] = bias[g*Fg + j] + sum_{u<K, c<Cg} xp[b, t*S + u*D, g*Cg + c] * w[u, c, g*Fg + j]
//   xp [B, Lp, C]   w [K, Cg, F]   wt [F, K*Cg]   bias [F]   y, dy [B, T, F]
// Each (sample, group, tap) is one gemm over a slice of xp (offset g*Cg, row stride S*C) and of w
// (offset g*Fg, row stride F): the implicit im2col of conv1d.ts, restricted to the group's columns.
//
// Depthwise (G = C, Cg = 1, F = C*M): every channel c has M filters of its own. Its kernel
// [K, C, M] is the grouped kernel [K, 1, C*M], so both layouts agree:
//   y[b, t, c*M + m] = bias[c*M + m] + sum_{u<K} xp[b, t*S + u*D, c] * w[u, c*M + m]
// A gemm with a 1-deep inner product would waste its tiles, so these kernels vectorise over the
// channels (M = 1) or over the M filters of a channel (M > 1), with scalar tails.

import { gemm_f32, gemm_bias_f32 } from './gemm';

/** y = bias + grouped xcorr(xp, w) (overwrites y; bias == 0 means no bias). */
export function conv1d_grouped_forward(xp: usize, w: usize, bias: usize, y: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32, G: i32): void {
  const Cg = C / G;
  const Fg = F / G;
  for (let b = 0; b < B; b++) {
    const xb = xp + ((<usize>b * Lp * C) << 2);
    const yb = y + ((<usize>b * T * F) << 2);
    for (let g = 0; g < G; g++) {
      const xg = xb + ((<usize>g * Cg) << 2);
      const wg = w + ((<usize>g * Fg) << 2);
      const yg = yb + ((<usize>g * Fg) << 2);
      // tap 0 writes [T, Fg] = [T, Cg] @ [Cg, Fg] with the bias; the other taps accumulate
      gemm_bias_f32(T, Fg, Cg, xg, S * C, 1, wg, F, yg, F, bias ? bias + ((<usize>g * Fg) << 2) : 0);
      for (let u = 1; u < K; u++) {
        gemm_f32(T, Fg, Cg, xg + ((<usize>u * D * C) << 2), S * C, 1, wg + ((<usize>u * Cg * F) << 2), F, yg, F);
      }
    }
  }
}

/** dxp[b, t*S + u*D, g*Cg + c] += sum_j dy[b, t, g*Fg + j] * wt[g*Fg + j, u*Cg + c]   (wt = w as [K*Cg, F], transposed). */
export function conv1d_grouped_backward_input(dy: usize, wt: usize, dxp: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32, G: i32): void {
  const Cg = C / G;
  const Fg = F / G;
  const KCg = K * Cg;
  for (let b = 0; b < B; b++) {
    const dyb = dy + ((<usize>b * T * F) << 2);
    const dxb = dxp + ((<usize>b * Lp * C) << 2);
    for (let g = 0; g < G; g++) {
      const wg = wt + ((<usize>g * Fg * KCg) << 2);
      for (let u = 0; u < K; u++) {
        // [T, Fg] @ [Fg, Cg] into the group's columns of dxp_b shifted by tap u (rows at stride S*C)
        gemm_f32(T, Cg, Fg, dyb + ((<usize>g * Fg) << 2), F, 1, wg + ((<usize>u * Cg) << 2), KCg, dxb + ((<usize>u * D * C + g * Cg) << 2), S * C);
      }
    }
  }
}

/** dw[u, c, g*Fg + j] += sum_{b,t} xp[b, t*S + u*D, g*Cg + c] * dy[b, t, g*Fg + j]. */
export function conv1d_grouped_backward_kernel(xp: usize, dy: usize, dw: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, K: i32, S: i32, D: i32, G: i32): void {
  const Cg = C / G;
  const Fg = F / G;
  for (let b = 0; b < B; b++) {
    const xb = xp + ((<usize>b * Lp * C) << 2);
    const dyb = dy + ((<usize>b * T * F) << 2);
    for (let g = 0; g < G; g++) {
      for (let u = 0; u < K; u++) {
        // [Cg, T] (xp_b columns of the group, transposed) @ [T, Fg]
        gemm_f32(Cg, Fg, T, xb + ((<usize>u * D * C + g * Cg) << 2), 1, S * C, dyb + ((<usize>g * Fg) << 2), F, dw + ((<usize>u * Cg * F + g * Fg) << 2), F);
      }
    }
  }
}

// ---- depthwise ------------------------------------------------------------------------------

/** y = bias + depthwise xcorr(xp, w) (overwrites y; bias == 0 means no bias).
 *  xp [B, Lp, C]   w [K, C, M]   bias [C*M]   y [B, T, C*M] */
export function depthwise_conv1d_forward(xp: usize, w: usize, bias: usize, y: usize, B: i32, Lp: i32, C: i32, T: i32, M: i32, K: i32, S: i32, D: i32): void {
  const F = C * M;
  const tapStep = (<usize>D * C) << 2; // xp: next tap
  const wStep = (<usize>F) << 2; // w: next tap
  // lanes run over V consecutive outputs of one (channel, filter) row: all F when M == 1 (x and
  // w line up), else the M filters of channel c (x[c] broadcast)
  const runs = M == 1 ? 1 : C;
  const V = M == 1 ? F : M;
  const V4 = V & ~3;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const x0 = xp + ((<usize>(b * Lp + t * S) * C) << 2);
      const y0 = y + ((<usize>(b * T + t) * F) << 2);
      for (let r = 0; r < runs; r++) {
        const o = (<usize>r * M) << 2; // offset of the run in y, w and bias
        const xr = x0 + ((<usize>r) << 2);
        let v = 0;
        for (; v < V4; v += 4) {
          const ov = o + ((<usize>v) << 2);
          let acc = bias ? v128.load(bias + ov) : f32x4.splat(0);
          let xq = M == 1 ? x0 + ov : xr;
          let wq = w + ov;
          for (let u = 0; u < K; u++) {
            const xv = M == 1 ? v128.load(xq) : v128.load32_splat(xq);
            acc = f32x4.add(acc, f32x4.mul(xv, v128.load(wq)));
            xq += tapStep;
            wq += wStep;
          }
          v128.store(y0 + ov, acc);
        }
        for (; v < V; v++) {
          const ov = o + ((<usize>v) << 2);
          let acc: f32 = bias ? load<f32>(bias + ov) : 0;
          let xq = M == 1 ? x0 + ov : xr;
          let wq = w + ov;
          for (let u = 0; u < K; u++) {
            acc += load<f32>(xq) * load<f32>(wq);
            xq += tapStep;
            wq += wStep;
          }
          store<f32>(y0 + ov, acc);
        }
      }
    }
  }
}

/** dxp[b, t*S + u*D, c] += sum_m dy[b, t, c*M + m] * w[u, c*M + m]. */
export function depthwise_conv1d_backward_input(dy: usize, w: usize, dxp: usize, B: i32, Lp: i32, C: i32, T: i32, M: i32, K: i32, S: i32, D: i32): void {
  const F = C * M;
  const C4 = C & ~3;
  const M4 = M & ~3;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const dyr = dy + ((<usize>(b * T + t) * F) << 2);
      for (let u = 0; u < K; u++) {
        const dxr = dxp + ((<usize>(b * Lp + t * S + u * D) * C) << 2);
        const wr = w + ((<usize>u * F) << 2);
        if (M == 1) {
          let c = 0;
          for (; c < C4; c += 4) {
            const o = (<usize>c) << 2;
            v128.store(dxr + o, f32x4.add(v128.load(dxr + o), f32x4.mul(v128.load(dyr + o), v128.load(wr + o))));
          }
          for (; c < C; c++) {
            const o = (<usize>c) << 2;
            store<f32>(dxr + o, load<f32>(dxr + o) + load<f32>(dyr + o) * load<f32>(wr + o));
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          const o = (<usize>c * M) << 2;
          let acc = f32x4.splat(0);
          let m = 0;
          for (; m < M4; m += 4) {
            const om = o + ((<usize>m) << 2);
            acc = f32x4.add(acc, f32x4.mul(v128.load(dyr + om), v128.load(wr + om)));
          }
          let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
          for (; m < M; m++) {
            const om = o + ((<usize>m) << 2);
            s += load<f32>(dyr + om) * load<f32>(wr + om);
          }
          const q = dxr + ((<usize>c) << 2);
          store<f32>(q, load<f32>(q) + s);
        }
      }
    }
  }
}

/** dw[u, c*M + m] += sum_{b,t} xp[b, t*S + u*D, c] * dy[b, t, c*M + m]. */
export function depthwise_conv1d_backward_kernel(xp: usize, dy: usize, dw: usize, B: i32, Lp: i32, C: i32, T: i32, M: i32, K: i32, S: i32, D: i32): void {
  const F = C * M;
  const runs = M == 1 ? 1 : C;
  const V = M == 1 ? F : M;
  const V4 = V & ~3;
  const tStepX = (<usize>S * C) << 2;
  const tStepY = (<usize>F) << 2;
  // blocks of TB steps: the block's rows of xp and dy stay in cache while each dw vector is summed
  // over them in a register, then added once per block
  const TB = 32;
  for (let b = 0; b < B; b++) {
    for (let t0 = 0; t0 < T; t0 += TB) {
      const n = min(TB, T - t0);
      for (let u = 0; u < K; u++) {
        const dwu = dw + ((<usize>u * F) << 2);
        const x0 = xp + ((<usize>(b * Lp + t0 * S + u * D) * C) << 2);
        const y0 = dy + ((<usize>(b * T + t0) * F) << 2);
        for (let r = 0; r < runs; r++) {
          const o = (<usize>r * M) << 2;
          const xr = x0 + ((<usize>r) << 2);
          let v = 0;
          for (; v < V4; v += 4) {
            const ov = o + ((<usize>v) << 2);
            let acc = f32x4.splat(0);
            let xq = M == 1 ? x0 + ov : xr;
            let dq = y0 + ov;
            for (let t = 0; t < n; t++) {
              const xv = M == 1 ? v128.load(xq) : v128.load32_splat(xq);
              acc = f32x4.add(acc, f32x4.mul(xv, v128.load(dq)));
              xq += tStepX;
              dq += tStepY;
            }
            v128.store(dwu + ov, f32x4.add(v128.load(dwu + ov), acc));
          }
          for (; v < V; v++) {
            const ov = o + ((<usize>v) << 2);
            let acc: f32 = 0;
            let xq = M == 1 ? x0 + ov : xr;
            let dq = y0 + ov;
            for (let t = 0; t < n; t++) {
              acc += load<f32>(xq) * load<f32>(dq);
              xq += tStepX;
              dq += tStepY;
            }
            store<f32>(dwu + ov, load<f32>(dwu + ov) + acc);
          }
        }
      }
    }
  }
}
