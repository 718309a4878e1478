// Plain-TypeScript oracles of assembly/kernels/conv_transpose.ts, written from the math: each
// input step scatters its K taps into the uncropped output (no gemm, no reuse of conv1d).
//   x, dx [B, L, C]   w [K, F, C]   wt [C, K*F]   bias [F]   yp, dyp [B, Lp, F]
//   yp[b, j, f] = bias[f] + sum_{t, u : t*S + u*D = j} sum_c x[b, t, c] * w[u, f, c]
import type { Floats } from './types.ts';

/** yp = bias + scatter(x, w) (overwrites yp; bias null: none); wt = w as [K*F, C] transposed, wt[c, u*F + f] = w[u, f, c]. */
export function conv1dTransposeForward(x: Floats, wt: Floats, bias: Floats | null, yp: Floats, B: number, L: number, C: number, Lp: number, F: number, K: number, S: number, D: number): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < Lp; j++) for (let f = 0; f < F; f++) yp[(b * Lp + j) * F + f] = bias ? bias[f] : 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      for (let u = 0; u < K; u++) {
        const j = t * S + u * D;
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let c = 0; c < C; c++) s += x[(b * L + t) * C + c] * wt[c * K * F + u * F + f];
          yp[(b * Lp + j) * F + f] += s;
        }
      }
    }
  }
}

/** dx[b, t, c] += sum_{u<K, f<F} dyp[b, t*S + u*D, f] * w[u, f, c]. */
export function conv1dTransposeBackwardInput(dyp: Floats, w: Floats, dx: Floats, B: number, L: number, C: number, Lp: number, F: number, K: number, S: number, D: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let u = 0; u < K; u++) for (let f = 0; f < F; f++) s += dyp[(b * Lp + t * S + u * D) * F + f] * w[(u * F + f) * C + c];
        dx[(b * L + t) * C + c] += s;
      }
    }
  }
}

/** dw[u, f, c] += sum_{b,t} dyp[b, t*S + u*D, f] * x[b, t, c], in a float64 copy. */
export function conv1dTransposeBackwardKernel(x: Floats, dyp: Floats, dw: Floats, B: number, L: number, C: number, Lp: number, F: number, K: number, S: number, D: number): void {
  const acc = new Float64Array(K * F * C);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      for (let u = 0; u < K; u++) {
        for (let f = 0; f < F; f++) {
          const g = dyp[(b * Lp + t * S + u * D) * F + f];
          for (let c = 0; c < C; c++) acc[(u * F + f) * C + c] += g * x[(b * L + t) * C + c];
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dw[i] += acc[i];
}
