// Reference of assembly/kernels/check.ts.
import type { Floats } from './types.ts';

/** Number of NaN and ±Infinity values in x[0..N). */
export function countNonFinite(x: Floats, N: number): number {
  let count = 0;
  for (let i = 0; i < N; i++) if (!Number.isFinite(x[i])) count++;
  return count;
}
