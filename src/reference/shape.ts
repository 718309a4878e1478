// Reference of assembly/kernels/shape.ts. Offsets x0, y0 (floats) stand for the kernel's addresses.
import type { Floats } from './types.ts';

/** y[y0 + a*yA + r*yR + n*yN] (= or +=) x[x0 + a*xA + r*xR + n*xN]. */
export function stridedCopy(x: Floats, x0: number, y: Floats, y0: number, A: number, R: number, N: number, xA: number, xR: number, xN: number, yA: number, yR: number, yN: number, acc: boolean): void {
  for (let a = 0; a < A; a++) {
    for (let r = 0; r < R; r++) {
      for (let n = 0; n < N; n++) {
        const d = y0 + a * yA + r * yR + n * yN;
        const v = x[x0 + a * xA + r * xR + n * xN];
        y[d] = acc ? y[d] + v : v;
      }
    }
  }
}

/** y[y0 + a*yA + n] = 0 for n < N. */
export function stridedZero(y: Floats, y0: number, A: number, N: number, yA: number): void {
  for (let a = 0; a < A; a++) for (let n = 0; n < N; n++) y[y0 + a * yA + n] = 0;
}
