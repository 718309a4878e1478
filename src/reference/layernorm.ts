// Reference layer normalization over the last axis (JS doubles), written from the math of
// assembly/kernels/layernorm.ts.   x, y, dy, dx [R, C]   gamma, beta, dgamma, dbeta [C]   mean, rstd [R]
import type { Floats } from './types.ts';

export function layernormForward(x: Floats, gamma: Floats, beta: Floats, y: Floats, mean: Floats, rstd: Floats, R: number, C: number, eps: number): void {
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += x[r * C + c];
    const m = s / C;
    let q = 0;
    for (let c = 0; c < C; c++) q += (x[r * C + c] - m) ** 2;
    const rs = 1 / Math.sqrt(q / C + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < C; c++) y[r * C + c] = gamma[c] * (x[r * C + c] - m) * rs + beta[c];
  }
}

/** dx, dgamma, dbeta accumulate. */
export function layernormBackward(x: Floats, gamma: Floats, mean: Floats, rstd: Floats, dy: Floats, dx: Floats, dgamma: Floats, dbeta: Floats, R: number, C: number): void {
  for (let r = 0; r < R; r++) {
    const xhat = (c: number) => (x[r * C + c] - mean[r]) * rstd[r];
    let sg = 0;
    let sgx = 0;
    for (let c = 0; c < C; c++) {
      const d = dy[r * C + c];
      const g = d * gamma[c];
      sg += g;
      sgx += g * xhat(c);
      dgamma[c] += d * xhat(c);
      dbeta[c] += d;
    }
    for (let c = 0; c < C; c++) dx[r * C + c] += rstd[r] * (dy[r * C + c] * gamma[c] - sg / C - (xhat(c) * sgx) / C);
  }
}
