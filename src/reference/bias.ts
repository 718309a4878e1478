// Plain-TypeScript oracles of assembly/kernels/bias.ts.
import type { Floats } from './types.ts';

/** y[r, f] = bias[f] (or 0 when bias is null)   y [R, F], bias [F]. */
export function biasFill(y: Floats, bias: Floats | null, R: number, F: number): void {
  for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) y[r * F + f] = bias ? bias[f] : 0;
}

/** db[f] += sum_r dy[r, f]   dy [R, F], db [F]. */
export function biasBackward(dy: Floats, db: Floats, R: number, F: number): void {
  for (let f = 0; f < F; f++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += dy[r * F + f];
    db[f] += s;
  }
}
