// Reference activations (plain loops, JS doubles).   x, y, dy, dx [N]
// Keras definitions: selu constants from Klambauer et al. 2017, hardSigmoid = clip(0.2x + 0.5, 0, 1),
// swish(x) = x * sigmoid(beta x) with beta in alpha, gelu = 0.5 x (1 + erf(x / sqrt 2)) (exact form),
// mish = x * tanh(softplus(x)). Backward accumulates: dx += f'(x) * dy.
import { ActivationKind as K } from '../runtime/codes.ts';
import type { Floats } from './types.ts';

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** erfc(x) for x >= 3: continued fraction exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcLarge(x: number): number {
  let k = x;
  for (let n = 60; n >= 1; n--) k = x + n / 2 / k;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * k);
}

/** erf by its Maclaurin series (|x| < 3) or the continued fraction of erfc; ~1e-13 absolute. */
export function erf(x: number): number {
  if (x >= 3) return 1 - erfcLarge(x);
  if (x <= -3) return erfcLarge(-x) - 1;
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** 1 + erf(x), keeping relative accuracy in the left tail. */
function onePlusErf(x: number): number {
  return x <= -3 ? erfcLarge(-x) : 1 + erf(x);
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function activation(kind: number, x: number, alpha: number): number {
  switch (kind) {
    case K.linear: return x;
    case K.relu: return Math.max(x, 0);
    case K.relu6: return Math.min(Math.max(x, 0), 6);
    case K.leakyRelu: return x > 0 ? x : alpha * x;
    case K.elu: return x > 0 ? x : alpha * Math.expm1(x);
    case K.selu: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case K.sigmoid: return sigmoid(x);
    case K.tanh: return Math.tanh(x);
    case K.softplus: return softplus(x);
    case K.softsign: return x / (1 + Math.abs(x));
    case K.swish: return x * sigmoid(alpha * x);
    case K.gelu: return 0.5 * x * onePlusErf(x / Math.SQRT2);
    case K.hardSigmoid: return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
    case K.mish: return x * Math.tanh(softplus(x));
  }
  throw new Error(`activation: unknown kind ${kind}`);
}

/** f'(x), from x alone. */
export function activationDerivative(kind: number, x: number, alpha: number): number {
  switch (kind) {
    case K.linear: return 1;
    case K.relu: return x > 0 ? 1 : 0;
    case K.relu6: return x > 0 && x < 6 ? 1 : 0;
    case K.leakyRelu: return x > 0 ? 1 : alpha;
    case K.elu: return x > 0 ? 1 : alpha * Math.exp(x);
    case K.selu: return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
    case K.sigmoid: return sigmoid(x) * (1 - sigmoid(x));
    case K.tanh: return 1 - Math.tanh(x) ** 2;
    case K.softplus: return sigmoid(x);
    case K.softsign: return 1 / (1 + Math.abs(x)) ** 2;
    case K.swish: {
      const s = sigmoid(alpha * x);
      return s + alpha * x * s * (1 - s);
    }
    case K.gelu: return 0.5 * onePlusErf(x / Math.SQRT2) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case K.hardSigmoid: return x > -2.5 && x < 2.5 ? 0.2 : 0;
    case K.mish: {
      const t = Math.tanh(softplus(x));
      return t + x * sigmoid(x) * (1 - t * t);
    }
  }
  throw new Error(`activationDerivative: unknown kind ${kind}`);
}

/** y = f(x). alpha: leakyRelu slope, elu alpha, swish beta. */
export function activationForward(kind: number, x: Floats, y: Floats, N: number, alpha: number): void {
  for (let i = 0; i < N; i++) y[i] = activation(kind, x[i], alpha);
}

/** dx += f'(x) * dy. y is unused (the kernel may read it instead of x). */
export function activationBackward(kind: number, x: Floats, y: Floats, dy: Floats, dx: Floats, N: number, alpha: number): void {
  for (let i = 0; i < N; i++) dx[i] += activationDerivative(kind, x[i], alpha) * dy[i];
}

/** y[r, :] = softmax(x[r, :])   x, y [R, C] */
export function softmaxForward(x: Floats, y: Floats, R: number, C: number): void {
  for (let r = 0; r < R; r++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, x[r * C + c]);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(x[r * C + c] - m);
    for (let c = 0; c < C; c++) y[r * C + c] = Math.exp(x[r * C + c] - m) / s;
  }
}

/** dx[r, i] += y[r, i] * (dy[r, i] - sum_j dy[r, j] y[r, j]) */
export function softmaxBackward(y: Floats, dy: Floats, dx: Floats, R: number, C: number): void {
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += dy[r * C + c] * y[r * C + c];
    for (let c = 0; c < C; c++) dx[r * C + c] += y[r * C + c] * (dy[r * C + c] - s);
  }
}

/** y = x > 0 ? x : alpha[c] x   x, y [R, C], alpha [C] */
export function preluForward(x: Floats, alpha: Floats, y: Floats, R: number, C: number): void {
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      const v = x[r * C + c];
      y[r * C + c] = v > 0 ? v : alpha[c] * v;
    }
}

/** dx += (x > 0 ? 1 : alpha[c]) dy;  dalpha[c] += sum_r (x <= 0 ? x : 0) dy */
export function preluBackward(x: Floats, alpha: Floats, dy: Floats, dx: Floats, dalpha: Floats, R: number, C: number): void {
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      const v = x[r * C + c];
      const d = dy[r * C + c];
      dx[r * C + c] += v > 0 ? d : alpha[c] * d;
      if (v <= 0) dalpha[c] += v * d;
    }
}
