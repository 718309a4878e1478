// Reference batch normalization over rows per channel (JS doubles).   x, y, dy, dx [R, C]
//   gamma, beta, mean, rstd, movMean, movVar, dgamma, dbeta [C]
// Biased batch variance; moving = momentum*moving + (1-momentum)*batchStat (Keras).
import type { Floats } from './types.ts';

/** The kernel's scratch argument (after movVar) has no counterpart here. */
export function batchnormForwardTrain(x: Floats, gamma: Floats, beta: Floats, y: Floats, mean: Floats, rstd: Floats, movMean: Floats, movVar: Floats, R: number, C: number, momentum: number, eps: number): void {
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += x[r * C + c];
    const m = s / R;
    let q = 0;
    for (let r = 0; r < R; r++) q += (x[r * C + c] - m) ** 2;
    const v = q / R;
    const rs = 1 / Math.sqrt(v + eps);
    mean[c] = m;
    rstd[c] = rs;
    movMean[c] = momentum * movMean[c] + (1 - momentum) * m;
    movVar[c] = momentum * movVar[c] + (1 - momentum) * v;
    for (let r = 0; r < R; r++) y[r * C + c] = gamma[c] * (x[r * C + c] - m) * rs + beta[c];
  }
}

export function batchnormForwardInfer(x: Floats, gamma: Floats, beta: Floats, movMean: Floats, movVar: Floats, y: Floats, R: number, C: number, eps: number): void {
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) y[r * C + c] = (gamma[c] * (x[r * C + c] - movMean[c])) / Math.sqrt(movVar[c] + eps) + beta[c];
}

/** scratch is unused; it keeps the argument order of the kernel. */
export function batchnormBackward(x: Floats, gamma: Floats, mean: Floats, rstd: Floats, dy: Floats, dx: Floats, dgamma: Floats, dbeta: Floats, scratch: Floats | null, R: number, C: number): void {
  for (let c = 0; c < C; c++) {
    let sdy = 0;
    let sdyx = 0;
    for (let r = 0; r < R; r++) {
      sdy += dy[r * C + c];
      sdyx += dy[r * C + c] * (x[r * C + c] - mean[c]) * rstd[c];
    }
    dbeta[c] += sdy;
    dgamma[c] += sdyx;
    for (let r = 0; r < R; r++) {
      const xhat = (x[r * C + c] - mean[c]) * rstd[c];
      dx[r * C + c] += ((gamma[c] * rstd[c]) / R) * (R * dy[r * C + c] - sdy - xhat * sdyx);
    }
  }
}

/** Inference folding into the preceding layer: s = gamma/sqrt(movVar+eps), wOut = w*s per column,
 *  bOut = (bias - movMean)*s + beta (bias null: none).   w, wOut [R, F]   the rest [F] */
export function batchnormFold(w: Floats, bias: Floats | null, gamma: Floats, beta: Floats, movMean: Floats, movVar: Floats, wOut: Floats, bOut: Floats, R: number, F: number, eps: number): void {
  for (let f = 0; f < F; f++) {
    const s = gamma[f] / Math.sqrt(movVar[f] + eps);
    bOut[f] = ((bias ? bias[f] : 0) - movMean[f]) * s + beta[f];
    for (let r = 0; r < R; r++) wOut[r * F + f] = w[r * F + f] * s;
  }
}
