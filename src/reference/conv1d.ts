// Plain-TypeScript oracles of assembly/kernels/conv1d.ts, written directly from the math (no
// im2col, no GEMM) so they are an independent check of the kernels' decomposition.
//   x [B, L, C]   xp [B, Lp, C]   w [K, C, F]   wt [F, K*C]   bias [F]   y, dy [B, T, F]
//   y[b, t, f] = bias[f] + sum_{u<K, c<C} xp[b, t*S + u*D, c] * w[u, c, f]
import type { Floats } from './types.ts';

/** xp[b, padLeft + l, c] = x[b, l, c]; every other xp element = 0. */
export function conv1dPad(x: Floats, xp: Floats, B: number, L: number, C: number, Lp: number, padLeft: number): void {
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < Lp; l++) {
      const src = l - padLeft;
      for (let c = 0; c < C; c++) xp[(b * Lp + l) * C + c] = src >= 0 && src < L ? x[(b * L + src) * C + c] : 0;
    }
  }
}

/** dx[b, l, c] += dxp[b, padLeft + l, c]: the interior of a padded gradient. */
export function conv1dUnpadAdd(dxp: Floats, dx: Floats, B: number, L: number, C: number, Lp: number, padLeft: number): void {
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < C; c++) dx[(b * L + l) * C + c] += dxp[(b * Lp + padLeft + l) * C + c];
    }
  }
}

/** y = bias + xcorr(xp, w) (overwrites y; bias null means no bias). */
export function conv1dForward(xp: Floats, w: Floats, bias: Floats | null, y: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        let s = bias ? bias[f] : 0;
        for (let u = 0; u < K; u++) {
          const row = (b * Lp + t * S + u * D) * C;
          for (let c = 0; c < C; c++) s += xp[row + c] * w[(u * C + c) * F + f];
        }
        y[(b * T + t) * F + f] = s;
      }
    }
  }
}

/** dxp[b, t*S + u*D, c] += sum_f dy[b, t, f] * wt[f, u*C + c]   (wt = w transposed to [F, K*C]). */
export function conv1dBackwardInput(dy: Floats, wt: Floats, dxp: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number): void {
  const KC = K * C;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < K; u++) {
        const row = (b * Lp + t * S + u * D) * C;
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let f = 0; f < F; f++) s += dy[(b * T + t) * F + f] * wt[f * KC + u * C + c];
          dxp[row + c] += s;
        }
      }
    }
  }
}

/** dw[u, c, f] += sum_{b,t} xp[b, t*S + u*D, c] * dy[b, t, f].
 *  Sums run in a float64 copy with (b, t) outermost so both inputs are read in order. */
export function conv1dBackwardKernel(xp: Floats, dy: Floats, dw: Floats, B: number, Lp: number, C: number, T: number, F: number, K: number, S: number, D: number): void {
  const acc = new Float64Array(K * C * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const dyRow = (b * T + t) * F;
      for (let u = 0; u < K; u++) {
        const row = (b * Lp + t * S + u * D) * C;
        for (let c = 0; c < C; c++) {
          const xv = xp[row + c];
          const out = (u * C + c) * F;
          for (let f = 0; f < F; f++) acc[out + f] += xv * dy[dyRow + f];
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw[i] += acc[i];
}
