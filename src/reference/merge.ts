// Reference of assembly/kernels/merge.ts: elementwise merges of two operands with broadcasting
// over the length axis, and one operand of a concatenation. Same shapes and kinds as the kernels.
import type { Floats } from './types.ts';

const apply = [(a: number, b: number) => a + b, (a: number, b: number) => a - b, (a: number, b: number) => a * b, Math.max, Math.min];

/** y[b, l, c] = x0[b, L0 == 1 ? 0 : l, c] (op kind) x1[b, L1 == 1 ? 0 : l, c]. */
export function mergeForward(kind: number, x0: Floats, x1: Floats, y: Floats, B: number, L0: number, L1: number, C: number): void {
  const L = Math.max(L0, L1);
  for (let b = 0; b < B; b++)
    for (let l = 0; l < L; l++)
      for (let c = 0; c < C; c++) {
        const a = x0[(b * L0 + (L0 === 1 ? 0 : l)) * C + c];
        const d = x1[(b * L1 + (L1 === 1 ? 0 : l)) * C + c];
        y[(b * L + l) * C + c] = apply[kind](a, d);
      }
}

/** dx0 += dy * d y/d x0, dx1 += dy * d y/d x1 (null skips one); s scales add/subtract. */
export function mergeBackward(kind: number, x0: Floats, x1: Floats, dy: Floats, dx0: Floats | null, dx1: Floats | null, B: number, L0: number, L1: number, C: number, s: number): void {
  const L = Math.max(L0, L1);
  for (let b = 0; b < B; b++)
    for (let l = 0; l < L; l++)
      for (let c = 0; c < C; c++) {
        const i0 = (b * L0 + (L0 === 1 ? 0 : l)) * C + c;
        const i1 = (b * L1 + (L1 === 1 ? 0 : l)) * C + c;
        const d = dy[(b * L + l) * C + c];
        const a = x0[i0];
        const e = x1[i1];
        let g0: number;
        let g1: number;
        if (kind === 0 || kind === 1) [g0, g1] = [d * s, kind === 1 ? -d * s : d * s];
        else if (kind === 2) [g0, g1] = [d * e, d * a];
        else {
          const first = kind === 3 ? a >= e : a <= e;
          [g0, g1] = first ? [d, 0] : [0, d];
        }
        if (dx0) dx0[i0] += g0;
        if (dx1) dx1[i1] += g1;
      }
}

/** y[r, offset + j] = x[r, j]   x [R, Ci], y [R, Co]. */
export function concatForward(x: Floats, y: Floats, R: number, Ci: number, Co: number, offset: number): void {
  for (let r = 0; r < R; r++) for (let j = 0; j < Ci; j++) y[r * Co + offset + j] = x[r * Ci + j];
}

/** dx[r, j] += dy[r, offset + j]. */
export function concatBackward(dy: Floats, dx: Floats, R: number, Ci: number, Co: number, offset: number): void {
  for (let r = 0; r < R; r++) for (let j = 0; j < Ci; j++) dx[r * Ci + j] += dy[r * Co + offset + j];
}
