// Finite-difference checks of the float64 reference path (src/reference): every differentiable
// op's input and parameter gradients, tight tolerances. Kinks are kept away from on purpose.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Random } from '../../src/runtime/random.ts';
import { ActivationKind, LossKind } from '../../src/runtime/codes.ts';
import { windowGeometry, type Conv1DPadding } from '../../src/layers/conv1d.ts';
import * as conv from '../../src/reference/conv1d.ts';
import * as dense from '../../src/reference/dense.ts';
import * as gemm from '../../src/reference/gemm.ts';
import * as bias from '../../src/reference/bias.ts';
import * as pool from '../../src/reference/pool1d.ts';
import * as act from '../../src/reference/activations.ts';
import * as loss from '../../src/reference/losses.ts';
import * as bn from '../../src/reference/batchnorm.ts';
import { awayFrom, checkGradient, project } from './fd.ts';

const TIGHT = { eps: 1e-6, atol: 1e-7, rtol: 1e-6 };
const rng = new Random(2024);
const rand = () => rng.next();
const uniform = (n: number, lo = -1, hi = 1) => awayFrom(n, rand, lo, hi, [], 0);

test('conv1d reference: input, kernel and bias gradients (valid/same/causal, stride, dilation)', () => {
  const configs: [number, number, number, number, number, number, number, Conv1DPadding][] = [
    // B, L, C, F, K, S, D, padding
    [2, 9, 3, 4, 3, 1, 1, 'valid'],
    [1, 10, 2, 3, 4, 2, 1, 'same'],
    [2, 8, 2, 3, 3, 1, 2, 'causal'],
    [1, 11, 3, 2, 2, 3, 2, 'same'],
    [2, 7, 1, 5, 5, 2, 1, 'valid'],
  ];
  for (const [B, L, C, F, K, S, D, padding] of configs) {
    const label = `conv1d B${B} L${L} C${C} F${F} K${K} S${S} D${D} ${padding}`;
    const { T, padLeft, Lp } = windowGeometry(L, (K - 1) * D + 1, S, padding);
    const x = uniform(B * L * C);
    const w = uniform(K * C * F);
    const b = uniform(F);
    const r = uniform(B * T * F);
    const forward = () => {
      const xp = new Float64Array(B * Lp * C);
      const y = new Float64Array(B * T * F);
      conv.conv1dPad(x, xp, B, L, C, Lp, padLeft);
      conv.conv1dForward(xp, w, b, y, B, Lp, C, T, F, K, S, D);
      return { xp, y };
    };
    const { xp } = forward();
    const dw = new Float64Array(w.length);
    const db = new Float64Array(F);
    const dxp = new Float64Array(B * Lp * C);
    const dx = new Float64Array(x.length);
    const wt = new Float64Array(w.length);
    conv.conv1dBackwardKernel(xp, r, dw, B, Lp, C, T, F, K, S, D);
    bias.biasBackward(r, db, B * T, F);
    gemm.transposeF32(K * C, F, w, wt);
    conv.conv1dBackwardInput(r, wt, dxp, B, Lp, C, T, F, K, S, D);
    conv.conv1dUnpadAdd(dxp, dx, B, L, C, Lp, padLeft);
    const f = () => project(forward().y, r);
    checkGradient(`${label} dx`, x, dx, f, TIGHT);
    checkGradient(`${label} dkernel`, w, dw, f, TIGHT);
    checkGradient(`${label} dbias`, b, db, f, TIGHT);
  }
});

test('dense reference: input, kernel and bias gradients', () => {
  for (const [B, I, U] of [[3, 5, 4], [1, 7, 1], [4, 2, 9]]) {
    const x = uniform(B * I);
    const w = uniform(I * U);
    const b = uniform(U);
    const r = uniform(B * U);
    const forward = () => {
      const y = new Float64Array(B * U);
      dense.denseForward(x, w, b, y, B, I, U);
      return y;
    };
    const dx = new Float64Array(x.length);
    const dw = new Float64Array(w.length);
    const db = new Float64Array(U);
    const wt = new Float64Array(w.length);
    gemm.transposeF32(I, U, w, wt);
    dense.denseBackwardInput(r, wt, dx, B, I, U);
    dense.denseBackwardKernel(x, r, dw, B, I, U);
    bias.biasBackward(r, db, B, U);
    const f = () => project(forward(), r);
    checkGradient(`dense ${B}x${I}->${U} dx`, x, dx, f, TIGHT);
    checkGradient(`dense ${B}x${I}->${U} dkernel`, w, dw, f, TIGHT);
    checkGradient(`dense ${B}x${I}->${U} dbias`, b, db, f, TIGHT);
  }
});

/** Distinct values on a grid with gaps far larger than eps, so max pooling has no near-ties. */
function distinct(n: number): Float64Array {
  const v = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.01);
  return rng.shuffle(v);
}

test('pooling reference: max (winner remembered), average, global; overlapping and same windows', () => {
  for (const [B, L, C, P, S, padding] of [
    [2, 9, 3, 2, 2, 'valid'],
    [1, 10, 2, 3, 1, 'valid'],
    [2, 11, 3, 3, 2, 'same'],
    [1, 7, 4, 4, 3, 'same'],
  ] as [number, number, number, number, number, 'valid' | 'same'][]) {
    const { T, padLeft } = windowGeometry(L, P, S, padding);
    const label = `pool B${B} L${L} C${C} P${P} S${S} ${padding}`;
    const x = distinct(B * L * C);
    const r = uniform(B * T * C);
    const idx = new Int32Array(B * T * C);
    const maxY = () => {
      const y = new Float64Array(B * T * C);
      pool.maxpool1dForward(x, y, idx, B, L, C, T, P, S, padLeft);
      return y;
    };
    const avgY = () => {
      const y = new Float64Array(B * T * C);
      pool.avgpool1dForward(x, y, B, L, C, T, P, S, padLeft);
      return y;
    };
    maxY();
    const dxMax = new Float64Array(x.length);
    pool.maxpool1dBackward(r, idx, dxMax, B, L, C, T);
    checkGradient(`${label} max dx`, x, dxMax, () => project(maxY(), r), TIGHT);
    const dxAvg = new Float64Array(x.length);
    pool.avgpool1dBackward(r, dxAvg, B, L, C, T, P, S, padLeft);
    checkGradient(`${label} avg dx`, x, dxAvg, () => project(avgY(), r), TIGHT);
  }
  const [B, L, C] = [2, 6, 3];
  const x = distinct(B * L * C);
  const r = uniform(B * C);
  const idx = new Int32Array(B * C);
  const gmax = () => {
    const y = new Float64Array(B * C);
    pool.globalMaxpool1dForward(x, y, idx, B, L, C);
    return y;
  };
  gmax();
  const dx = new Float64Array(x.length);
  pool.globalMaxpool1dBackward(r, idx, dx, B, L, C);
  checkGradient('global max dx', x, dx, () => project(gmax(), r), TIGHT);
  const dxa = new Float64Array(x.length);
  pool.globalAvgpool1dBackward(r, dxa, B, L, C);
  checkGradient('global avg dx', x, dxa, () => {
    const y = new Float64Array(B * C);
    pool.globalAvgpool1dForward(x, y, B, L, C);
    return project(y, r);
  }, TIGHT);
});

// kinks of each activation (where the derivative jumps), kept 1e-3 away from
const KINKS: Partial<Record<keyof typeof ActivationKind, number[]>> = {
  relu: [0],
  relu6: [0, 6],
  leakyRelu: [0],
  elu: [0],
  selu: [0],
  hardSigmoid: [-2.5, 2.5],
};

test('activation references: every kind, and softmax', () => {
  for (const [name, kind] of Object.entries(ActivationKind) as [keyof typeof ActivationKind, number][]) {
    const alpha = name === 'leakyRelu' ? 0.3 : name === 'elu' ? 0.5 : name === 'swish' ? 1.5 : 1;
    const N = 23;
    const x = awayFrom(N, rand, -7, 7, KINKS[name] ?? [], 1e-3);
    const r = uniform(N);
    const forward = () => {
      const y = new Float64Array(N);
      act.activationForward(kind, x, y, N, alpha);
      return y;
    };
    const dx = new Float64Array(N);
    act.activationBackward(kind, x, forward(), r, dx, N, alpha);
    checkGradient(`activation ${name}`, x, dx, () => project(forward(), r), TIGHT);
  }
  const [R, C] = [3, 5];
  const x = uniform(R * C, -3, 3);
  const r = uniform(R * C);
  const sm = () => {
    const y = new Float64Array(R * C);
    act.softmaxForward(x, y, R, C);
    return y;
  };
  const dx = new Float64Array(R * C);
  act.softmaxBackward(sm(), r, dx, R, C);
  checkGradient('softmax', x, dx, () => project(sm(), r), TIGHT);
});

test('prelu reference: input and alpha gradients', () => {
  const [R, C] = [7, 3];
  const x = awayFrom(R * C, rand, -2, 2, [0], 1e-3);
  const alpha = uniform(C, 0, 0.5);
  const r = uniform(R * C);
  const forward = () => {
    const y = new Float64Array(R * C);
    act.preluForward(x, alpha, y, R, C);
    return y;
  };
  const dx = new Float64Array(R * C);
  const da = new Float64Array(C);
  act.preluBackward(x, alpha, r, dx, da, R, C);
  const f = () => project(forward(), r);
  checkGradient('prelu dx', x, dx, f, TIGHT);
  checkGradient('prelu dalpha', alpha, da, f, TIGHT);
});

test('batchnorm reference (training mode): input, gamma and beta gradients', () => {
  const [R, C] = [12, 3];
  const x = uniform(R * C, -2, 2);
  const gamma = uniform(C, 0.5, 1.5);
  const beta = uniform(C);
  const r = uniform(R * C);
  const forward = () => {
    const y = new Float64Array(R * C);
    const mean = new Float64Array(C);
    const rstd = new Float64Array(C);
    bn.batchnormForwardTrain(x, gamma, beta, y, mean, rstd, new Float64Array(C), new Float64Array(C).fill(1), R, C, 0.99, 1e-3);
    return { y, mean, rstd };
  };
  const { mean, rstd } = forward();
  const dx = new Float64Array(R * C);
  const dg = new Float64Array(C);
  const db = new Float64Array(C);
  bn.batchnormBackward(x, gamma, mean, rstd, r, dx, dg, db, new Float64Array(2 * C), R, C);
  const f = () => project(forward().y, r);
  checkGradient('batchnorm dx', x, dx, f, TIGHT);
  checkGradient('batchnorm dgamma', gamma, dg, f, TIGHT);
  checkGradient('batchnorm dbeta', beta, db, f, TIGHT);
});

test('loss references: gradient of the batch mean w.r.t. yPred, every kind', () => {
  const [B, C] = [4, 3];
  for (const [name, kind] of Object.entries(LossKind) as [keyof typeof LossKind, number][]) {
    const sparse = name.startsWith('sparse');
    const signed = name === 'hinge' || name === 'squaredHinge' || name === 'exponential';
    const probs = !name.includes('FromLogits') && /rossentropy|kullback|poisson/.test(name);
    const yPred = probs ? uniform(B * C, 0.05, 0.95) : uniform(B * C, -2, 2);
    let yTrue: Float64Array;
    if (sparse) yTrue = Float64Array.from({ length: B }, () => rng.int(C));
    else if (signed) yTrue = Float64Array.from({ length: B * C }, () => (rng.next() < 0.5 ? -1 : 1));
    else if (name.startsWith('categorical') || name === 'kullbackLeiblerDivergence') {
      yTrue = new Float64Array(B * C);
      for (let b = 0; b < B; b++) yTrue[b * C + rng.int(C)] = 1;
      if (name === 'kullbackLeiblerDivergence') yTrue = yTrue.map((v) => (v ? 0.8 : 0.1));
    } else if (name.startsWith('binary') || name === 'poisson') yTrue = uniform(B * C, 0, 1);
    else yTrue = uniform(B * C, -2, 2);
    if (name === 'meanSquaredLogarithmicError') yPred.forEach((v, i) => (yPred[i] = Math.abs(v) + 0.1));
    const grad = new Float64Array(B * C);
    const f = () => loss.lossForwardBackward(kind, yPred, yTrue, new Float64Array(B * C), B, C, 1.3);
    const value = loss.lossForwardBackward(kind, yPred, yTrue, grad, B, C, 1.3);
    assert.ok(Number.isFinite(value), `${name}: value ${value}`);
    // kinks: |pred - true| = 0 (MAE, MAPE), margin 1 - y*p = 0 (hinge), categorical hinge ties
    const skip = (i: number) => {
      const d = yPred[i] - (sparse ? 0 : yTrue[i]);
      if ((name === 'meanAbsoluteError' || name === 'meanAbsolutePercentageError') && Math.abs(d) < 1e-3) return true;
      if (name === 'hinge' && Math.abs(1 - yTrue[i] * yPred[i]) < 1e-3) return true;
      return false;
    };
    checkGradient(`loss ${name}`, yPred, grad, f, { ...TIGHT, skip });
  }
});
