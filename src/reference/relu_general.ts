// Reference of assembly/kernels/relu_general.ts (plain loops, JS doubles): Keras' general ReLU
//   y = (x > t ? clamp(x, lo, hi) : 0) - s * max(t - x, 0)      x, y, dy, dx [N]
// (keras/src/activations/activations.py relu: threshold t, negative_slope s, max_value hi with lo = 0).
import type { Floats } from './types.ts';

export function reluGeneral(x: number, t: number, lo: number, hi: number, s: number): number {
  return (x > t ? Math.min(Math.max(x, lo), hi) : 0) - s * Math.max(t - x, 0);
}

/** d y / d x away from the kinks at t, lo and hi. */
export function reluGeneralDerivative(x: number, t: number, lo: number, hi: number, s: number): number {
  if (x > t && x > lo && x < hi) return 1;
  return x < t ? s : 0;
}

export function reluGeneralForward(x: Floats, y: Floats, N: number, t: number, lo: number, hi: number, s: number): void {
  for (let i = 0; i < N; i++) y[i] = reluGeneral(x[i], t, lo, hi, s);
}

/** dx += f'(x) dy */
export function reluGeneralBackward(x: Floats, dy: Floats, dx: Floats, N: number, t: number, lo: number, hi: number, s: number): void {
  for (let i = 0; i < N; i++) dx[i] += reluGeneralDerivative(x[i], t, lo, hi, s) * dy[i];
}
