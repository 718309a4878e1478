// Plain references of assembly/kernels/buffers.ts.
import type { Floats } from './types.ts';

/** dst[i] += sum_g partials[g*ld + i] (g in order), i < N. */
export function accumulatePartials(partials: Floats, G: number, N: number, ld: number, dst: Floats): void {
  for (let i = 0; i < N; i++) {
    let acc = partials[i];
    for (let g = 1; g < G; g++) acc += partials[g * ld + i];
    dst[i] += acc;
  }
}
