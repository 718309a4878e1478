// Plain-TypeScript oracles of assembly/kernels/dense.ts, written directly from the math.
//   x [B, I]   w [I, U]   wt [U, I]   bias [U]   y, dy [B, U]   dx [B, I]   dw [I, U]
import type { Floats } from './types.ts';

/** y = x @ w + bias (overwrites y; bias null means no bias). */
export function denseForward(x: Floats, w: Floats, bias: Floats | null, y: Floats, B: number, I: number, U: number): void {
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < U; u++) {
      let s = bias ? bias[u] : 0;
      for (let i = 0; i < I; i++) s += x[b * I + i] * w[i * U + u];
      y[b * U + u] = s;
    }
  }
}

/** dx += dy @ w^T, given wt = w transposed [U, I]. */
export function denseBackwardInput(dy: Floats, wt: Floats, dx: Floats, B: number, I: number, U: number): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < I; i++) {
      let s = 0;
      for (let u = 0; u < U; u++) s += dy[b * U + u] * wt[u * I + i];
      dx[b * I + i] += s;
    }
  }
}

/** dw += x^T @ dy. */
export function denseBackwardKernel(x: Floats, dy: Floats, dw: Floats, B: number, I: number, U: number): void {
  for (let i = 0; i < I; i++) {
    for (let u = 0; u < U; u++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += x[b * I + i] * dy[b * U + u];
      dw[i * U + u] += s;
    }
  }
}
