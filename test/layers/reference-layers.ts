// Float64 oracles of whole layers, composed from src/reference and written from the math, not from
// the layer code: the output length and padding come from TF/Keras conv_utils.conv_output_length
// and an explicitly padded copy of the input; leading axes are folded into rows here.
//   B batch, shape = one sample's shape; x [B, ...shape]; y, dy [B, ...outShape]
// A reference layer returns its output, the non-trainable state after the step (batch-norm moving
// statistics) and a backward giving dx and the gradient of every trainable weight, keyed by the
// Keras weight name ("kernel", "bias", "alpha", "gamma", ...).

import * as act from '../../src/reference/activations.ts';
import * as bn from '../../src/reference/batchnorm.ts';
import { biasBackward } from '../../src/reference/bias.ts';
import * as conv from '../../src/reference/conv1d.ts';
import * as dense from '../../src/reference/dense.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';
import { ActivationKind } from '../../src/runtime/codes.ts';

export type Weights = Record<string, Float64Array>;
export interface RefStep {
  outShape: number[];
  y: Float64Array;
  /** Non-trainable weights after the forward (only those that change). */
  state: Weights;
  backward(dy: Float64Array): { dx: Float64Array; grads: Weights };
}
/** A layer's float64 forward (training or inference) on x [B, ...shape] with weights w. */
export type RefLayer = (x: Float64Array, B: number, shape: number[], w: Weights, training: boolean) => RefStep;

const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);

// ---- geometry: TF/Keras conv_utils -------------------------------------------------------------

/** conv_output_length: 'same'/'causal' ceil(L/s); 'valid' ceil((L - span + 1)/s), span = (k-1)d + 1. */
export function convOutputLength(L: number, k: number, padding: string, s: number, d = 1): number {
  const span = (k - 1) * d + 1;
  const len = padding === 'valid' ? L - span + 1 : L;
  return Math.floor((len + s - 1) / s);
}

/** Explicit zeros on each side: 'same' total = max((ceil(L/s)-1)s + span - L, 0), the smaller half
 *  left; 'causal' span - 1 on the left; 'valid' none. */
export function explicitPads(L: number, k: number, padding: string, s: number, d = 1): [number, number] {
  const span = (k - 1) * d + 1;
  if (padding === 'causal') return [span - 1, 0];
  if (padding === 'valid') return [0, 0];
  const total = Math.max((Math.ceil(L / s) - 1) * s + span - L, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

// ---- activations (elementwise kinds, or softmax over the last axis) -----------------------------

export interface ActSpec {
  name: keyof typeof ActivationKind | 'softmax';
  /** leakyRelu slope, elu alpha, swish beta (the layer defaults: 0.3 for leakyRelu, else 1). */
  alpha?: number;
}

function activate(a: ActSpec, z: Float64Array, C: number): { y: Float64Array; back: (dy: Float64Array) => Float64Array } {
  const y = new Float64Array(z.length);
  const R = z.length / C;
  const alpha = a.alpha ?? (a.name === 'leakyRelu' ? 0.3 : 1);
  if (a.name === 'softmax') act.softmaxForward(z, y, R, C);
  else act.activationForward(ActivationKind[a.name], z, y, z.length, alpha);
  const back = (dy: Float64Array) => {
    const dz = new Float64Array(z.length);
    if (a.name === 'softmax') act.softmaxBackward(y, dy, dz, R, C);
    else act.activationBackward(ActivationKind[a.name], z, y, dy, dz, z.length, alpha);
    return dz;
  };
  return { y, back };
}

export const activationRef = (a: ActSpec): RefLayer => (x, _B, shape) => {
  const { y, back } = activate(a, x, shape[shape.length - 1]);
  return { outShape: shape, y, state: {}, backward: (dy) => ({ dx: back(dy), grads: {} }) };
};

// ---- dense: every leading position is a row ------------------------------------------------------

export const denseRef = (units: number, a: ActSpec = { name: 'linear' }): RefLayer => (x, B, shape, w) => {
  const I = shape[shape.length - 1];
  const R = B * prod(shape.slice(0, -1));
  const bias = w.bias ?? null;
  const z = new Float64Array(R * units);
  dense.denseForward(x, w.kernel, bias, z, R, I, units);
  const { y, back } = activate(a, z, units);
  return {
    outShape: [...shape.slice(0, -1), units],
    y,
    state: {},
    backward(dy) {
      const dz = back(dy);
      const wt = new Float64Array(I * units);
      transposeF32(I, units, w.kernel, wt);
      const dx = new Float64Array(R * I);
      dense.denseBackwardInput(dz, wt, dx, R, I, units);
      const grads: Weights = { kernel: new Float64Array(I * units) };
      dense.denseBackwardKernel(x, dz, grads.kernel, R, I, units);
      if (bias) biasBackward(dz, (grads.bias = new Float64Array(units)), R, units);
      return { dx, grads };
    },
  };
};

// ---- conv1d on an explicitly padded copy -------------------------------------------------------

export interface ConvSpec {
  filters: number;
  kernelSize: number;
  strides?: number;
  dilationRate?: number;
  padding?: 'valid' | 'same' | 'causal';
  activation?: ActSpec;
}

export const conv1dRef = (c: ConvSpec): RefLayer => (x, B, [L, C], w) => {
  const [F, K, S, D, pad] = [c.filters, c.kernelSize, c.strides ?? 1, c.dilationRate ?? 1, c.padding ?? 'valid'];
  const T = convOutputLength(L, K, pad, S, D);
  const [left, right] = explicitPads(L, K, pad, S, D);
  const Lp = left + L + right;
  const xp = new Float64Array(B * Lp * C);
  for (let b = 0; b < B; b++) xp.set(x.subarray(b * L * C, (b + 1) * L * C), (b * Lp + left) * C);
  const bias = w.bias ?? null;
  const z = new Float64Array(B * T * F);
  conv.conv1dForward(xp, w.kernel, bias, z, B, Lp, C, T, F, K, S, D);
  const { y, back } = activate(c.activation ?? { name: 'linear' }, z, F);
  return {
    outShape: [T, F],
    y,
    state: {},
    backward(dy) {
      const dz = back(dy);
      const grads: Weights = { kernel: new Float64Array(K * C * F) };
      conv.conv1dBackwardKernel(xp, dz, grads.kernel, B, Lp, C, T, F, K, S, D);
      if (bias) biasBackward(dz, (grads.bias = new Float64Array(F)), B * T, F);
      const wt = new Float64Array(K * C * F);
      transposeF32(K * C, F, w.kernel, wt);
      const dxp = new Float64Array(B * Lp * C);
      conv.conv1dBackwardInput(dz, wt, dxp, B, Lp, C, T, F, K, S, D);
      const dx = new Float64Array(B * L * C);
      for (let b = 0; b < B; b++) dx.set(dxp.subarray((b * Lp + left) * C, (b * Lp + left + L) * C), b * L * C);
      return { dx, grads };
    },
  };
};

// ---- pooling over an explicitly padded window --------------------------------------------------
// Padded positions are absent: max ignores them (the first maximum wins, tutorial eq. 7), average
// divides by the number of real elements (Keras).

export const pool1dRef = (kind: 'max' | 'avg', P: number, S: number, pad: 'valid' | 'same'): RefLayer => (x, B, [L, C]) => {
  const T = convOutputLength(L, P, pad, S);
  const [left] = explicitPads(L, P, pad, S);
  // the real positions of window t, in order
  const windows = Array.from({ length: T }, (_, t) => Array.from({ length: P }, (_, u) => t * S + u - left).filter((l) => l >= 0 && l < L));
  const y = new Float64Array(B * T * C);
  const from = new Int32Array(B * T * C); // winning l (max)
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) {
        const o = (b * T + t) * C + c;
        const vals = windows[t].map((l) => x[(b * L + l) * C + c]);
        if (kind === 'avg') y[o] = vals.reduce((s, v) => s + v, 0) / vals.length;
        else {
          const i = vals.indexOf(Math.max(...vals));
          [y[o], from[o]] = [vals[i], windows[t][i]];
        }
      }
  return {
    outShape: [T, C],
    y,
    state: {},
    backward(dy) {
      const dx = new Float64Array(B * L * C);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++)
          for (let c = 0; c < C; c++) {
            const o = (b * T + t) * C + c;
            if (kind === 'max') dx[(b * L + from[o]) * C + c] += dy[o];
            else for (const l of windows[t]) dx[(b * L + l) * C + c] += dy[o] / windows[t].length;
          }
      return { dx, grads: {} };
    },
  };
};

/** Global pools are one window over the whole length: [B, L, C] -> [B, C]. */
export const globalPoolRef = (kind: 'max' | 'avg'): RefLayer => (x, B, shape, w, training) => {
  const inner = pool1dRef(kind, shape[0], 1, 'valid')(x, B, shape, w, training);
  return { ...inner, outShape: [shape[1]] };
};

// ---- per-element layers ------------------------------------------------------------------------

/** Flatten and inference-mode dropout: y = x, dx = dy. */
export const identityRef = (flatten: boolean): RefLayer => (x, _B, shape) => ({
  outShape: flatten ? [prod(shape)] : shape,
  y: x.slice(),
  state: {},
  backward: (dy) => ({ dx: dy.slice(), grads: {} }),
});

/** alpha covers the trailing axes not shared: shape.slice(shared). */
export const preluRef = (shared: number): RefLayer => (x, B, shape, w) => {
  const A = prod(shape.slice(shared));
  const R = (B * prod(shape)) / A;
  const y = new Float64Array(x.length);
  act.preluForward(x, w.alpha, y, R, A);
  return {
    outShape: shape,
    y,
    state: {},
    backward(dy) {
      const dx = new Float64Array(x.length);
      const alpha = new Float64Array(A);
      act.preluBackward(x, w.alpha, dy, dx, alpha, R, A);
      return { dx, grads: { alpha } };
    },
  };
};

/** Statistics over every row (batch and length) of each channel; gamma 1 / beta 0 when absent. */
export const batchnormRef = (momentum: number, epsilon: number): RefLayer => (x, B, shape, w, training) => {
  const C = shape[shape.length - 1];
  const R = (B * prod(shape)) / C;
  const gamma = w.gamma ?? new Float64Array(C).fill(1);
  const beta = w.beta ?? new Float64Array(C);
  const y = new Float64Array(x.length);
  const mean = new Float64Array(C);
  const rstd = new Float64Array(C);
  const mm = w.moving_mean.slice();
  const mv = w.moving_variance.slice();
  if (training) bn.batchnormForwardTrain(x, gamma, beta, y, mean, rstd, mm, mv, R, C, momentum, epsilon);
  else bn.batchnormForwardInfer(x, gamma, beta, mm, mv, y, R, C, epsilon);
  return {
    outShape: shape,
    y,
    state: { moving_mean: mm, moving_variance: mv },
    backward(dy) {
      const dx = new Float64Array(x.length);
      const [dg, db] = [new Float64Array(C), new Float64Array(C)];
      bn.batchnormBackward(x, gamma, mean, rstd, dy, dx, dg, db, null, R, C);
      const grads: Weights = {};
      if (w.gamma) grads.gamma = dg;
      if (w.beta) grads.beta = db;
      return { dx, grads };
    },
  };
};
