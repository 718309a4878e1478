// Reference optimizer steps (JS doubles), one element at a time.   p, g, state [N]
// Each reads the clipped gradient gc = clamp(scale*g, -clip, clip) (see assembly/kernels/optimizers.ts);
// per-step scalars (bias corrections, NAdam's momentum cache, AdamW's decay) come from the caller.
import type { Floats } from './types.ts';

const clipped = (g: number, scale: number, clip: number) => Math.min(Math.max(g * scale, -clip), clip);

/** sum_i g[i]^2. */
export function gradSumsq(g: Floats, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += g[i] * g[i];
  return s;
}

export function sgdUpdate(p: Floats, g: Floats, vel: Floats, N: number, lr: number, momentum: number, nesterov: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    vel[i] = momentum * vel[i] - lr * gc;
    p[i] += nesterov !== 0 ? momentum * vel[i] - lr * gc : vel[i];
  }
}

/** Adam (decay 1) and AdamW (decay = 1 - lr*weightDecay); step = lr/bc1, cb2 = 1/sqrt(bc2). */
export function adamUpdate(p: Floats, g: Floats, m: Floats, v: Floats, N: number, step: number, b1: number, b2: number, eps: number, cb2: number, decay: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    m[i] = b1 * m[i] + (1 - b1) * gc;
    v[i] = b2 * v[i] + (1 - b2) * gc * gc;
    p[i] = p[i] * decay - (step * m[i]) / (Math.sqrt(v[i]) * cb2 + eps);
  }
}

/** RMSprop with eps outside the root (PyTorch); mg used when centered, buf when momentum > 0. */
export function rmspropUpdate(p: Floats, g: Floats, v: Floats, mg: Floats, buf: Floats, N: number, lr: number, rho: number, eps: number, momentum: number, centered: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    v[i] = rho * v[i] + (1 - rho) * gc * gc;
    let msq = v[i];
    if (centered !== 0) {
      mg[i] = rho * mg[i] + (1 - rho) * gc;
      msq = Math.max(v[i] - mg[i] * mg[i], 0);
    }
    let d = gc / (Math.sqrt(msq) + eps);
    if (momentum > 0) d = buf[i] = momentum * buf[i] + d;
    p[i] -= lr * d;
  }
}

export function adagradUpdate(p: Floats, g: Floats, acc: Floats, N: number, lr: number, eps: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    acc[i] += gc * gc;
    p[i] -= (lr * gc) / (Math.sqrt(acc[i]) + eps);
  }
}

/** Adamax; step = lr/bc1. */
export function adamaxUpdate(p: Floats, g: Floats, m: Floats, u: Floats, N: number, step: number, b1: number, b2: number, eps: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    m[i] = b1 * m[i] + (1 - b1) * gc;
    u[i] = Math.max(b2 * u[i], Math.abs(gc) + eps);
    p[i] -= (step * m[i]) / u[i];
  }
}

/** NAdam; cg, cm the gradient and momentum coefficients (lr included), cb2 = 1/sqrt(bc2). */
export function nadamUpdate(p: Floats, g: Floats, m: Floats, v: Floats, N: number, cg: number, cm: number, b1: number, b2: number, eps: number, cb2: number, scale = 1, clip = Infinity): void {
  for (let i = 0; i < N; i++) {
    const gc = clipped(g[i], scale, clip);
    m[i] = b1 * m[i] + (1 - b1) * gc;
    v[i] = b2 * v[i] + (1 - b2) * gc * gc;
    p[i] -= (cg * gc + cm * m[i]) / (Math.sqrt(v[i]) * cb2 + eps);
  }
}
