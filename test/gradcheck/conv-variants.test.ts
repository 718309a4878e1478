// Finite-difference checks of the grouped, depthwise, separable and transposed convolutions:
// the float64 references (src/reference/conv_grouped.ts, conv_transpose.ts) with tight tolerances,
// then the float32 WASM layers through a model (input and every weight, parameters included),
// loose. Every op here is linear before its activation, so no kink is near (tanh/sigmoid/elu at
// most).

import { test } from 'vitest';
import { layers, sequential, type Layer } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { windowGeometry } from '../../src/layers/conv1d.ts';
import { transposeGeometry } from '../../src/layers/conv1d-transpose.ts';
import * as grouped from '../../src/reference/conv_grouped.ts';
import * as transpose from '../../src/reference/conv_transpose.ts';
import * as conv from '../../src/reference/conv1d.ts';
import * as gemm from '../../src/reference/gemm.ts';
import { awayFrom, checkGradient, project } from './fd.ts';

const TIGHT = { eps: 1e-6, atol: 1e-7, rtol: 1e-6 };
const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };
const rng = new Random(4242);
const uniform = (n: number) => awayFrom(n, () => rng.next(), -1, 1, [], 0);

test('grouped and depthwise conv references: input, kernel and bias gradients', () => {
  // B, L, C, F (or M for depthwise), K, S, D, G (0: depthwise), padding
  const configs: [number, number, number, number, number, number, number, number, 'valid' | 'same' | 'causal'][] = [
    [2, 9, 4, 6, 3, 1, 1, 2, 'valid'],
    [1, 10, 6, 3, 2, 2, 1, 3, 'same'],
    [2, 8, 6, 6, 3, 1, 2, 6, 'causal'],
    [2, 9, 3, 1, 3, 2, 1, 0, 'same'],
    [1, 11, 2, 3, 4, 1, 2, 0, 'causal'],
  ];
  for (const [B, L, C, FM, K, S, D, G, padding] of configs) {
    const depthwise = G === 0;
    const F = depthwise ? C * FM : FM;
    const label = `${depthwise ? `depthwise M${FM}` : `grouped G${G}`} B${B} L${L} C${C} K${K} S${S} D${D} ${padding}`;
    const { T, padLeft, Lp } = windowGeometry(L, (K - 1) * D + 1, S, padding);
    const Cg = depthwise ? 1 : C / G;
    const x = uniform(B * L * C);
    const w = uniform(K * Cg * F);
    const b = uniform(F);
    const r = uniform(B * T * F);
    const forward = () => {
      const xp = new Float64Array(B * Lp * C);
      const y = new Float64Array(B * T * F);
      conv.conv1dPad(x, xp, B, L, C, Lp, padLeft);
      if (depthwise) grouped.depthwiseConv1dForward(xp, w, b, y, B, Lp, C, T, FM, K, S, D);
      else grouped.conv1dGroupedForward(xp, w, b, y, B, Lp, C, T, F, K, S, D, G);
      return { xp, y };
    };
    const { xp } = forward();
    const dw = new Float64Array(w.length);
    const dxp = new Float64Array(B * Lp * C);
    const dx = new Float64Array(x.length);
    const db = new Float64Array(F);
    for (let i = 0; i < r.length; i++) db[i % F] += r[i];
    if (depthwise) {
      grouped.depthwiseConv1dBackwardKernel(xp, r, dw, B, Lp, C, T, FM, K, S, D);
      grouped.depthwiseConv1dBackwardInput(r, w, dxp, B, Lp, C, T, FM, K, S, D);
    } else {
      const wt = new Float64Array(w.length);
      gemm.transposeF32(K * Cg, F, w, wt);
      grouped.conv1dGroupedBackwardKernel(xp, r, dw, B, Lp, C, T, F, K, S, D, G);
      grouped.conv1dGroupedBackwardInput(r, wt, dxp, B, Lp, C, T, F, K, S, D, G);
    }
    conv.conv1dUnpadAdd(dxp, dx, B, L, C, Lp, padLeft);
    const f = () => project(forward().y, r);
    checkGradient(`${label} dx`, x, dx, f, TIGHT);
    checkGradient(`${label} dkernel`, w, dw, f, TIGHT);
    checkGradient(`${label} dbias`, b, db, f, TIGHT);
  }
});

test('transposed conv reference: input, kernel and bias gradients through the crop', () => {
  // B, L, C, F, K, S, D, padding, outputPadding
  const configs: [number, number, number, number, number, number, number, 'valid' | 'same', number | null][] = [
    [2, 5, 3, 4, 3, 2, 1, 'valid', null],
    [1, 4, 2, 3, 4, 2, 1, 'same', null],
    [2, 3, 2, 2, 2, 3, 1, 'valid', null],
    [1, 5, 3, 2, 3, 2, 1, 'same', 1],
    [2, 4, 2, 3, 3, 1, 2, 'same', null],
  ];
  for (const [B, L, C, F, K, S, D, padding, op] of configs) {
    const label = `transpose B${B} L${L} C${C} F${F} K${K} S${S} D${D} ${padding} op ${op}`;
    const { T, padLeft, Lp } = transposeGeometry(L, K, S, D, padding, op);
    const x = uniform(B * L * C);
    const w = uniform(K * F * C);
    const b = uniform(F);
    const r = uniform(B * T * F);
    const forward = () => {
      const wt = new Float64Array(w.length);
      gemm.transposeF32(K * F, C, w, wt);
      const yp = new Float64Array(B * Lp * F);
      transpose.conv1dTransposeForward(x, wt, b, yp, B, L, C, Lp, F, K, S, D);
      const y = new Float64Array(B * T * F);
      for (let bb = 0; bb < B; bb++) y.set(yp.subarray((bb * Lp + padLeft) * F, (bb * Lp + padLeft + T) * F), bb * T * F);
      return y;
    };
    const rp = new Float64Array(B * Lp * F); // the gradient of the crop: r padded back
    conv.conv1dPad(r, rp, B, T, F, Lp, padLeft);
    const dx = new Float64Array(x.length);
    const dw = new Float64Array(w.length);
    const db = new Float64Array(F);
    for (let i = 0; i < r.length; i++) db[i % F] += r[i];
    transpose.conv1dTransposeBackwardInput(rp, w, dx, B, L, C, Lp, F, K, S, D);
    transpose.conv1dTransposeBackwardKernel(x, rp, dw, B, L, C, Lp, F, K, S, D);
    const f = () => project(forward(), r);
    checkGradient(`${label} dx`, x, dx, f, TIGHT);
    checkGradient(`${label} dkernel`, w, dw, f, TIGHT);
    checkGradient(`${label} dbias`, b, db, f, TIGHT);
  }
});

/** d sum(r*y) / d input and / d each trainable weight of a one-layer float32 model. */
function checkLayer(label: string, layer: Layer, inputShape: number[], batch: number): void {
  const model = sequential({ layers: [layer], seed: 5 });
  try {
    model.build();
    model.setWeights(model.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
    const x = rng.uniformArray(batch * inputShape.reduce((a, b) => a * b, 1), -1, 1);
    const out = model.forwardBatch(x, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    model.backwardFromOutputGrad(r, batch);
    const dx = model.inputGradient(batch);
    const grads = model.weightGradients();
    const f = () => project(model.forwardBatch(x, batch, true, true), r);
    checkGradient(`${label} dx`, x, dx, f, LOOSE);
    const ws = model.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      const fw = () => {
        model.setWeights(ws.map((w) => w.data));
        return f();
      };
      checkGradient(`${label} d${g.name}`, v, g.data, fw, LOOSE);
    }
  } finally {
    model.dispose();
  }
}

test('conv1d with groups (float32 WASM): input, kernel and bias', () => {
  checkLayer('conv1d groups 2 valid tanh', layers.conv1d({ filters: 6, kernelSize: 3, groups: 2, activation: 'tanh', inputShape: [10, 4] }), [10, 4], 2);
  checkLayer('conv1d groups 3 same s2', layers.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', groups: 3, inputShape: [11, 6] }), [11, 6], 2);
  checkLayer('conv1d groups = channels causal d2', layers.conv1d({ filters: 8, kernelSize: 3, dilationRate: 2, padding: 'causal', groups: 4, useBias: false, inputShape: [9, 4] }), [9, 4], 3);
});

test('depthwiseConv1d and separableConv1d (float32 WASM): input and every kernel', () => {
  checkLayer('depthwise M1 same', layers.depthwiseConv1d({ kernelSize: 3, padding: 'same', inputShape: [10, 5] }), [10, 5], 2);
  checkLayer('depthwise M3 causal d2 sigmoid', layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 3, dilationRate: 2, padding: 'causal', activation: 'sigmoid', inputShape: [9, 3] }), [9, 3], 2);
  checkLayer('separable M2 valid s2 elu', layers.separableConv1d({ filters: 4, kernelSize: 3, strides: 2, depthMultiplier: 2, activation: 'elu', inputShape: [12, 3] }), [12, 3], 2);
  checkLayer('separable M1 same no bias', layers.separableConv1d({ filters: 5, kernelSize: 4, padding: 'same', useBias: false, inputShape: [8, 4] }), [8, 4], 3);
});

test('conv1dTranspose (float32 WASM): input, kernel and bias, valid/same, outputPadding, dilation', () => {
  checkLayer('transpose valid s2', layers.conv1dTranspose({ filters: 4, kernelSize: 3, strides: 2, inputShape: [6, 3] }), [6, 3], 2);
  checkLayer('transpose same s2 k4 tanh', layers.conv1dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', inputShape: [5, 2] }), [5, 2], 2);
  checkLayer('transpose same s3 outputPadding 2', layers.conv1dTranspose({ filters: 2, kernelSize: 4, strides: 3, padding: 'same', outputPadding: 2, inputShape: [4, 3] }), [4, 3], 2);
  checkLayer('transpose valid k2 < s3 d2', layers.conv1dTranspose({ filters: 3, kernelSize: 2, strides: 3, dilationRate: 2, useBias: false, inputShape: [4, 2] }), [4, 2], 3);
});

test('networks ending in the conv variants with a fused softmax + cross-entropy (float32 WASM): every parameter', () => {
  const heads: [string, () => Layer][] = [
    ['depthwise', () => layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'softmax' })],
    ['separable', () => layers.separableConv1d({ filters: 4, kernelSize: 3, padding: 'causal', activation: 'softmax' })],
    ['transpose', () => layers.conv1dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'softmax' })],
    ['grouped', () => layers.conv1d({ filters: 4, kernelSize: 3, groups: 2, padding: 'same', activation: 'softmax' })],
  ];
  for (const [label, head] of heads) {
    const m = sequential({ layers: [layers.conv1d({ filters: 3 * 2, kernelSize: 3, padding: 'same', activation: 'tanh', inputShape: [8, 2] }), head()] });
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    try {
      m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
      const B = 2;
      const [T, F] = m.outputShape;
      const x = rng.uniformArray(B * 8 * 2, -1, 1);
      const y = new Float32Array(B * T * F);
      for (let r = 0; r < B * T; r++) y[r * F + rng.int(F)] = 1;
      m.computeLossAndGrads(x, y, B);
      const grads = m.weightGradients();
      const ws = m.getWeights();
      for (const g of grads) {
        const v = ws.find((w) => w.name === g.name)!.data;
        const f = () => {
          m.setWeights(ws.map((w) => w.data));
          return m.computeLossAndGrads(x, y, B);
        };
        checkGradient(`${label} softmax head d${g.name}`, v, g.data, f, { ...LOOSE, eps: 5e-3, maxChecks: 25 });
      }
    } finally {
      m.dispose();
    }
  }
});
