// Reference of assembly/kernels/noise.ts: the same counter hash and Box-Muller, scalar. The
// multiplicative masks' backward is dropoutBackward (reference/dropout.ts).
import { dropoutHash } from './dropout.ts';
import type { Floats } from './types.ts';

const uniform24 = (seed: number, i: number) => Math.fround((dropoutHash((seed + i) >>> 0) >>> 8) / 16777216);

/** The standard normal draw n_i of the kernels. */
export function normalAt(seed: number, i: number): number {
  const u1 = ((dropoutHash((seed + 2 * i) >>> 0) >>> 8) + 1) / 16777216;
  const u2 = (dropoutHash((seed + 2 * i + 1) >>> 0) >>> 8) / 16777216;
  return Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
}

export function gaussianNoiseForward(x: Floats, y: Floats, N: number, stddev: number, seed: number): void {
  for (let i = 0; i < N; i++) y[i] = x[i] + stddev * normalAt(seed, i);
}

export function gaussianDropoutForward(x: Floats, y: Floats, mask: Floats, N: number, stddev: number, seed: number): void {
  for (let i = 0; i < N; i++) {
    mask[i] = 1 + stddev * normalAt(seed, i);
    y[i] = x[i] * mask[i];
  }
}

export function rreluForward(x: Floats, y: Floats, slope: Floats, N: number, lower: number, upper: number, seed: number): void {
  for (let i = 0; i < N; i++) {
    slope[i] = x[i] >= 0 ? 1 : lower + (upper - lower) * uniform24(seed, i);
    y[i] = x[i] * slope[i];
  }
}

/** x, y [B, L, C], mask [B, C]. */
export function spatialDropoutForward(x: Floats, y: Floats, mask: Floats, B: number, L: number, C: number, rate: number, seed: number): void {
  const r = Math.fround(rate);
  const scale = r < 1 ? Math.fround(1 / Math.fround(1 - r)) : 0;
  for (let i = 0; i < B * C; i++) mask[i] = uniform24(seed, i) >= r ? scale : 0;
  for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) for (let c = 0; c < C; c++) y[(b * L + l) * C + c] = x[(b * L + l) * C + c] * mask[b * C + c];
}

export function spatialDropoutBackward(dy: Floats, mask: Floats, dx: Floats, B: number, L: number, C: number): void {
  for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) for (let c = 0; c < C; c++) dx[(b * L + l) * C + c] += dy[(b * L + l) * C + c] * mask[b * C + c];
}
