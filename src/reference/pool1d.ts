// Reference 1D pooling (plain loops, JS doubles).   x, dx [B, L, C]   y, dy, idx [B, T, C]
// Window t covers [t*S - padLeft, t*S - padLeft + P) clipped to [0, L) (Keras 'same' semantics:
// max ignores padding, average divides by the count of real elements).
import type { Floats } from './types.ts';

function windowOf(t: number, L: number, P: number, S: number, padLeft: number): [number, number] {
  const start = t * S - padLeft;
  return [Math.max(start, 0), Math.min(start + P, L)];
}

export function maxpool1dForward(x: Floats, y: Floats, idx: Int32Array, B: number, L: number, C: number, T: number, P: number, S: number, padLeft: number): void {
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const [lo, hi] = windowOf(t, L, P, S, padLeft);
      for (let c = 0; c < C; c++) {
        let best = -Infinity;
        let arg = lo;
        for (let l = lo; l < hi; l++) {
          const v = x[(b * L + l) * C + c];
          if (v > best) {
            best = v;
            arg = l;
          }
        }
        y[(b * T + t) * C + c] = best;
        idx[(b * T + t) * C + c] = arg;
      }
    }
}

export function maxpool1dBackward(dy: Floats, idx: Int32Array, dx: Floats, B: number, L: number, C: number, T: number): void {
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) dx[(b * L + idx[(b * T + t) * C + c]) * C + c] += dy[(b * T + t) * C + c];
}

export function avgpool1dForward(x: Floats, y: Floats, B: number, L: number, C: number, T: number, P: number, S: number, padLeft: number): void {
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const [lo, hi] = windowOf(t, L, P, S, padLeft);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let l = lo; l < hi; l++) s += x[(b * L + l) * C + c];
        y[(b * T + t) * C + c] = s / (hi - lo);
      }
    }
}

export function avgpool1dBackward(dy: Floats, dx: Floats, B: number, L: number, C: number, T: number, P: number, S: number, padLeft: number): void {
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const [lo, hi] = windowOf(t, L, P, S, padLeft);
      for (let l = lo; l < hi; l++)
        for (let c = 0; c < C; c++) dx[(b * L + l) * C + c] += dy[(b * T + t) * C + c] / (hi - lo);
    }
}

/** y, idx [B, C] */
export function globalMaxpool1dForward(x: Floats, y: Floats, idx: Int32Array, B: number, L: number, C: number): void {
  maxpool1dForward(x, y, idx, B, L, C, 1, L, 1, 0);
}

export function globalMaxpool1dBackward(dy: Floats, idx: Int32Array, dx: Floats, B: number, L: number, C: number): void {
  maxpool1dBackward(dy, idx, dx, B, L, C, 1);
}

export function globalAvgpool1dForward(x: Floats, y: Floats, B: number, L: number, C: number): void {
  avgpool1dForward(x, y, B, L, C, 1, L, 1, 0);
}

export function globalAvgpool1dBackward(dy: Floats, dx: Floats, B: number, L: number, C: number): void {
  avgpool1dBackward(dy, dx, B, L, C, 1, L, 1, 0);
}
