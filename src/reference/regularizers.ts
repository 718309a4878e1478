// Reference of assembly/kernels/regularizers.ts (Keras regularizers and constraints).
//   w, dw [N]; constraints see w as [O, R, I] with norms over R.
import type { Floats } from './types.ts';

/** l1 * sum|w| + l2 * sum w^2; with dw, dw += l1 * sign(w) + 2 * l2 * w. */
export function l1l2Penalty(w: Floats, dw: Floats | null, N: number, l1: number, l2: number): number {
  let p = 0;
  for (let i = 0; i < N; i++) {
    p += l1 * Math.abs(w[i]) + l2 * w[i] * w[i];
    if (dw) dw[i] += l1 * Math.sign(w[i]) + 2 * l2 * w[i];
  }
  return p;
}

/** mode 0: maxNorm (w *= min(n, maxValue) / (eps + n)); mode 1: unitNorm (w /= eps + n). */
export function normConstraint(w: Floats, O: number, R: number, I: number, maxValue: number, eps: number, mode: 0 | 1): void {
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++) {
      const at = (r: number) => (o * R + r) * I + i;
      let q = 0;
      for (let r = 0; r < R; r++) q += w[at(r)] ** 2;
      const n = Math.sqrt(q);
      const s = (mode === 0 ? Math.min(n, maxValue) : 1) / (eps + n);
      for (let r = 0; r < R; r++) w[at(r)] *= s;
    }
}

export function nonNegConstraint(w: Floats, N: number): void {
  for (let i = 0; i < N; i++) if (w[i] < 0) w[i] = 0;
}
