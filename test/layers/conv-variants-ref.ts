// Float64 oracles of the grouped, depthwise, separable and transposed Conv1D layers, composed from
// src/reference (conv_grouped.ts, conv_transpose.ts, dense.ts) on explicitly padded or cropped
// copies; lengths from TF/Keras conv_utils (conv_output_length, deconv_output_length), not from
// the layer code.
//   B batch; x [B, L, C]; y, dy [B, T, F]; weights keyed by their Keras names

import * as grouped from '../../src/reference/conv_grouped.ts';
import * as transpose from '../../src/reference/conv_transpose.ts';
import * as dense from '../../src/reference/dense.ts';
import * as act from '../../src/reference/activations.ts';
import { biasBackward } from '../../src/reference/bias.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';
import { ActivationKind } from '../../src/runtime/codes.ts';
import { convOutputLength, explicitPads, type RefLayer, type Weights } from './reference-layers.ts';

export type Act = keyof typeof ActivationKind;

function activate(name: Act, z: Float64Array): { y: Float64Array; back: (dy: Float64Array) => Float64Array } {
  const alpha = name === 'leakyRelu' ? 0.3 : 1;
  const y = new Float64Array(z.length);
  act.activationForward(ActivationKind[name], z, y, z.length, alpha);
  return {
    y,
    back: (dy) => {
      const dz = new Float64Array(z.length);
      act.activationBackward(ActivationKind[name], z, y, dy, dz, z.length, alpha);
      return dz;
    },
  };
}

export interface WindowSpec {
  kernelSize: number;
  strides?: number;
  dilationRate?: number;
  padding?: 'valid' | 'same' | 'causal';
  activation?: Act;
}

/** xp = x with explicit zeros; unpad(dxp) its adjoint. */
function padder(x: Float64Array, B: number, L: number, C: number, [left, right]: [number, number]) {
  const Lp = left + L + right;
  const xp = new Float64Array(B * Lp * C);
  for (let b = 0; b < B; b++) xp.set(x.subarray(b * L * C, (b + 1) * L * C), (b * Lp + left) * C);
  const unpad = (dxp: Float64Array) => {
    const dx = new Float64Array(B * L * C);
    for (let b = 0; b < B; b++) dx.set(dxp.subarray((b * Lp + left) * C, (b * Lp + left + L) * C), b * L * C);
    return dx;
  };
  return { Lp, xp, unpad };
}

const geometry = (s: WindowSpec, L: number) => {
  const [K, S, D, pad] = [s.kernelSize, s.strides ?? 1, s.dilationRate ?? 1, s.padding ?? 'valid'];
  return { K, S, D, T: convOutputLength(L, K, pad, S, D), pads: explicitPads(L, K, pad, S, D) };
};

/** Conv1D({filters, groups}); groups = 1 is the plain conv, through the grouped oracle too. */
export const groupedRef = (s: WindowSpec & { filters: number; groups: number }): RefLayer => (x, B, [L, C], w) => {
  const { K, S, D, T, pads } = geometry(s, L);
  const [F, G] = [s.filters, s.groups];
  const Cg = C / G;
  const { Lp, xp, unpad } = padder(x, B, L, C, pads);
  const bias = w.bias ?? null;
  const z = new Float64Array(B * T * F);
  grouped.conv1dGroupedForward(xp, w.kernel, bias, z, B, Lp, C, T, F, K, S, D, G);
  const { y, back } = activate(s.activation ?? 'linear', z);
  return {
    outShape: [T, F],
    y,
    state: {},
    backward(dy) {
      const dz = back(dy);
      const grads: Weights = { kernel: new Float64Array(K * Cg * F) };
      grouped.conv1dGroupedBackwardKernel(xp, dz, grads.kernel, B, Lp, C, T, F, K, S, D, G);
      if (bias) biasBackward(dz, (grads.bias = new Float64Array(F)), B * T, F);
      const wt = new Float64Array(K * Cg * F);
      transposeF32(K * Cg, F, w.kernel, wt);
      const dxp = new Float64Array(B * Lp * C);
      grouped.conv1dGroupedBackwardInput(dz, wt, dxp, B, Lp, C, T, F, K, S, D, G);
      return { dx: unpad(dxp), grads };
    },
  };
};

/** DepthwiseConv1D({depthMultiplier}), or with `filters` SeparableConv1D (depthwise, then pointwise + bias). */
export const depthwiseRef = (s: WindowSpec & { depthMultiplier?: number; filters?: number }): RefLayer => (x, B, [L, C], w) => {
  const { K, S, D, T, pads } = geometry(s, L);
  const M = s.depthMultiplier ?? 1;
  const CM = C * M;
  const sep = s.filters !== undefined;
  const F = sep ? s.filters! : CM;
  const { Lp, xp, unpad } = padder(x, B, L, C, pads);
  const bias = w.bias ?? null;
  const h = new Float64Array(B * T * CM);
  grouped.depthwiseConv1dForward(xp, w.depthwise_kernel, sep ? null : bias, h, B, Lp, C, T, M, K, S, D);
  let z = h;
  if (sep) {
    z = new Float64Array(B * T * F);
    dense.denseForward(h, w.pointwise_kernel, bias, z, B * T, CM, F);
  }
  const { y, back } = activate(s.activation ?? 'linear', z);
  return {
    outShape: [T, F],
    y,
    state: {},
    backward(dy) {
      const dz = back(dy);
      const grads: Weights = {};
      if (bias) biasBackward(dz, (grads.bias = new Float64Array(F)), B * T, F);
      let dh = dz;
      if (sep) {
        grads.pointwise_kernel = new Float64Array(CM * F);
        dense.denseBackwardKernel(h, dz, grads.pointwise_kernel, B * T, CM, F);
        const pwt = new Float64Array(CM * F);
        transposeF32(CM, F, w.pointwise_kernel, pwt);
        dh = new Float64Array(B * T * CM);
        dense.denseBackwardInput(dz, pwt, dh, B * T, CM, F);
      }
      grads.depthwise_kernel = new Float64Array(K * CM);
      grouped.depthwiseConv1dBackwardKernel(xp, dh, grads.depthwise_kernel, B, Lp, C, T, M, K, S, D);
      const dxp = new Float64Array(B * Lp * C);
      grouped.depthwiseConv1dBackwardInput(dh, w.depthwise_kernel, dxp, B, Lp, C, T, M, K, S, D);
      return { dx: unpad(dxp), grads };
    },
  };
};

/** Keras conv_utils.deconv_output_length. */
export function deconvOutputLength(L: number, K: number, padding: 'valid' | 'same', S: number, D: number, outputPadding: number | null): number {
  const k = K + (K - 1) * (D - 1);
  if (outputPadding === null) return padding === 'valid' ? L * S + Math.max(k - S, 0) : L * S;
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (L - 1) * S + k - 2 * pad + outputPadding;
}

/** Conv1DTranspose: scatter into the full reach, then keep the T rows TensorFlow keeps (the
 *  forward "same" conv from T to L pads floor(total/2) on the left). */
export const transposeRef = (s: { filters: number; kernelSize: number; strides?: number; dilationRate?: number; padding?: 'valid' | 'same'; outputPadding?: number; activation?: Act }): RefLayer => (x, B, [L, C], w) => {
  const [F, K, S, D, pad] = [s.filters, s.kernelSize, s.strides ?? 1, s.dilationRate ?? 1, s.padding ?? 'valid'];
  const T = deconvOutputLength(L, K, pad, S, D, s.outputPadding ?? null);
  const reach = (L - 1) * S + (K - 1) * D + 1;
  const left = pad === 'same' ? Math.floor(Math.max(reach - T, 0) / 2) : 0;
  const Lp = Math.max(reach, left + T);
  const bias = w.bias ?? null;
  const wt = new Float64Array(K * F * C);
  transposeF32(K * F, C, w.kernel, wt);
  const zp = new Float64Array(B * Lp * F);
  transpose.conv1dTransposeForward(x, wt, bias, zp, B, L, C, Lp, F, K, S, D);
  const z = new Float64Array(B * T * F);
  for (let b = 0; b < B; b++) z.set(zp.subarray((b * Lp + left) * F, (b * Lp + left + T) * F), b * T * F);
  const { y, back } = activate(s.activation ?? 'linear', z);
  return {
    outShape: [T, F],
    y,
    state: {},
    backward(dy) {
      const dz = back(dy);
      const dzp = new Float64Array(B * Lp * F);
      for (let b = 0; b < B; b++) dzp.set(dz.subarray(b * T * F, (b + 1) * T * F), (b * Lp + left) * F);
      const grads: Weights = { kernel: new Float64Array(K * F * C) };
      transpose.conv1dTransposeBackwardKernel(x, dzp, grads.kernel, B, L, C, Lp, F, K, S, D);
      if (bias) biasBackward(dz, (grads.bias = new Float64Array(F)), B * T, F);
      const dx = new Float64Array(B * L * C);
      transpose.conv1dTransposeBackwardInput(dzp, w.kernel, dx, B, L, C, Lp, F, K, S, D);
      return { dx, grads };
    },
  };
};
