// Reference optimizer steps (JS doubles).   p, g, vel, m, v [N]
// Keras SGD (momentum, nesterov) and Adam with bias corrections bc1 = 1 - b1^t, bc2 = 1 - b2^t.
import type { Floats } from './types.ts';

export function sgdUpdate(p: Floats, g: Floats, vel: Floats, N: number, lr: number, momentum: number, nesterov: number): void {
  for (let i = 0; i < N; i++) {
    vel[i] = momentum * vel[i] - lr * g[i];
    p[i] += nesterov !== 0 ? momentum * vel[i] - lr * g[i] : vel[i];
  }
}

export function adamUpdate(p: Floats, g: Floats, m: Floats, v: Floats, N: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number): void {
  for (let i = 0; i < N; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    p[i] -= (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + eps);
  }
}
