// Plain-TypeScript oracles of assembly/kernels/conv_grouped.ts, written from the math (no gemm,
// no group slicing by pointer): grouped and depthwise cross-correlation, channels last.
//   xp [B, Lp, C]   w [K, C/G, F]   wt [F, K*C/G]   bias [F]   y, dy [B, T, F]
//   y[b, t, f] = bias[f] + sum_{u<K, c<Cg} xp[b, t*S + u*D, g*Cg + c] * w[u, c, f],  g = floor(f / Fg)
// Depthwise: G = C, F = C*M, w [K, C, M]: y[b, t, c*M + m] = bias[c*M + m] + sum_u xp[b, t*S + u*D, c] * w[u, c, m].
import type { Floats } from './types.ts';

/** y = bias + grouped xcorr(xp, w) (overwrites y; bias null: none). */
export function conv1dGroupedForward(xp: Floats, w: Floats, bias: Floats | null, y: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number, G: number): void {
  const Cg = C / G;
  const Fg = F / G;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        const g = Math.floor(f / Fg);
        let s = bias ? bias[f] : 0;
        for (let u = 0; u < K; u++) {
          for (let c = 0; c < Cg; c++) s += xp[(b * Lp + t * S + u * D) * C + g * Cg + c] * w[(u * Cg + c) * F + f];
        }
        y[(b * T + t) * F + f] = s;
      }
    }
  }
}

/** dxp[b, t*S + u*D, g*Cg + c] += sum_{f of group g} dy[b, t, f] * wt[f, u*Cg + c]. */
export function conv1dGroupedBackwardInput(dy: Floats, wt: Floats, dxp: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number, G: number): void {
  const Cg = C / G;
  const Fg = F / G;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < K; u++) {
        for (let ci = 0; ci < C; ci++) {
          const g = Math.floor(ci / Cg);
          const c = ci - g * Cg;
          let s = 0;
          for (let f = g * Fg; f < (g + 1) * Fg; f++) s += dy[(b * T + t) * F + f] * wt[f * K * Cg + u * Cg + c];
          dxp[(b * Lp + t * S + u * D) * C + ci] += s;
        }
      }
    }
  }
}

/** dw[u, c, f] += sum_{b,t} xp[b, t*S + u*D, g*Cg + c] * dy[b, t, f], in a float64 copy. */
export function conv1dGroupedBackwardKernel(xp: Floats, dy: Floats, dw: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number, G: number): void {
  const Cg = C / G;
  const Fg = F / G;
  const acc = new Float64Array(K * Cg * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < K; u++) {
        for (let c = 0; c < Cg; c++) {
          for (let f = 0; f < F; f++) {
            const g = Math.floor(f / Fg);
            acc[(u * Cg + c) * F + f] += xp[(b * Lp + t * S + u * D) * C + g * Cg + c] * dy[(b * T + t) * F + f];
          }
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw[i] += acc[i];
}

/** y = bias + depthwise xcorr(xp, w) (overwrites y): w [K, C, M], y [B, T, C*M]. */
export function depthwiseConv1dForward(xp: Floats, w: Floats, bias: Floats | null, y: Floats, B: number, Lp: number, C: number, T: number, M: number, K: number, S: number, D: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) {
        for (let m = 0; m < M; m++) {
          let s = bias ? bias[c * M + m] : 0;
          for (let u = 0; u < K; u++) s += xp[(b * Lp + t * S + u * D) * C + c] * w[(u * C + c) * M + m];
          y[(b * T + t) * C * M + c * M + m] = s;
        }
      }
    }
  }
}

/** dxp[b, t*S + u*D, c] += sum_m dy[b, t, c*M + m] * w[u, c, m]. */
export function depthwiseConv1dBackwardInput(dy: Floats, w: Floats, dxp: Floats, B: number, Lp: number, C: number, T: number, M: number, K: number, S: number, D: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < K; u++) {
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let m = 0; m < M; m++) s += dy[(b * T + t) * C * M + c * M + m] * w[(u * C + c) * M + m];
          dxp[(b * Lp + t * S + u * D) * C + c] += s;
        }
      }
    }
  }
}

/** dw[u, c, m] += sum_{b,t} xp[b, t*S + u*D, c] * dy[b, t, c*M + m], in a float64 copy. */
export function depthwiseConv1dBackwardKernel(xp: Floats, dy: Floats, dw: Floats, B: number, Lp: number, C: number, T: number, M: number, K: number, S: number, D: number): void {
  const acc = new Float64Array(K * C * M);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < K; u++) {
        for (let c = 0; c < C; c++) {
          const xv = xp[(b * Lp + t * S + u * D) * C + c];
          for (let m = 0; m < M; m++) acc[(u * C + c) * M + m] += xv * dy[(b * T + t) * C * M + c * M + m];
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw[i] += acc[i];
}
