// Finite-difference checks of the layers of issue 10 (layer norm, the random layers with a fixed
// draw, embedding, channels-first flatten, timeDistributed) and of the weight penalties:
// the float64 references tight, the float32 WASM layers and regularised networks loose.
// Kinks: RReLU at 0 and l1 at w = 0 are kept away from on purpose (skip / inputs off zero).

import { test } from 'vitest';
import { layers, regularizers, sequential, type Layer, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import * as ln from '../../src/reference/layernorm.ts';
import * as noise from '../../src/reference/noise.ts';
import * as emb from '../../src/reference/embedding.ts';
import * as reg from '../../src/reference/regularizers.ts';
import { dropoutBackward } from '../../src/reference/dropout.ts';
import { awayFrom, checkGradient, project } from './fd.ts';

const TIGHT = { eps: 1e-6, atol: 1e-7, rtol: 1e-6 };
const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };
const rng = new Random(4242);
const rand = () => rng.next();
const uniform = (n: number, lo = -1, hi = 1) => awayFrom(n, rand, lo, hi, [], 0);

test('layernorm reference: input, gamma and beta gradients', () => {
  for (const [R, C] of [[3, 5], [1, 1], [4, 2], [2, 9]]) {
    const [x, gamma, beta, r] = [uniform(R * C, -2, 2), uniform(C, 0.5, 1.5), uniform(C), uniform(R * C)];
    const forward = () => {
      const y = new Float64Array(R * C);
      ln.layernormForward(x, gamma, beta, y, new Float64Array(R), new Float64Array(R), R, C, 1e-3);
      return project(y, r);
    };
    const [mean, rstd] = [new Float64Array(R), new Float64Array(R)];
    ln.layernormForward(x, gamma, beta, new Float64Array(R * C), mean, rstd, R, C, 1e-3);
    const [dx, dg, db] = [new Float64Array(R * C), new Float64Array(C), new Float64Array(C)];
    ln.layernormBackward(x, gamma, mean, rstd, r, dx, dg, db, R, C);
    checkGradient(`layernorm R${R} C${C} dx`, x, dx, forward, TIGHT);
    checkGradient(`layernorm R${R} C${C} dgamma`, gamma, dg, forward, TIGHT);
    checkGradient(`layernorm R${R} C${C} dbeta`, beta, db, forward, TIGHT);
  }
});

test('random layer references with a fixed draw: gaussian noise, gaussian dropout, rrelu, spatial dropout', () => {
  const [B, L, C, seed] = [2, 5, 3, 77];
  const N = B * L * C;
  const x = awayFrom(N, rand, -1, 1, [0], 0.05); // rrelu's kink at 0
  const r = uniform(N);
  const cases: [string, (xx: Float64Array, m: Float64Array) => Float64Array][] = [
    ['gaussian noise', (xx, m) => {
      const y = new Float64Array(N);
      noise.gaussianNoiseForward(xx, y, N, 0.5, seed);
      m.fill(1);
      return y;
    }],
    ['gaussian dropout', (xx, m) => {
      const y = new Float64Array(N);
      noise.gaussianDropoutForward(xx, y, m, N, 0.6, seed);
      return y;
    }],
    ['rrelu', (xx, m) => {
      const y = new Float64Array(N);
      noise.rreluForward(xx, y, m, N, 0.1, 0.4, seed);
      return y;
    }],
    ['spatial dropout', (xx, m) => {
      const [y, mask] = [new Float64Array(N), new Float64Array(B * C)];
      noise.spatialDropoutForward(xx, y, mask, B, L, C, 0.5, seed);
      const dx = new Float64Array(N);
      noise.spatialDropoutBackward(new Float64Array(N).fill(1), mask, dx, B, L, C);
      m.set(dx); // the per-element multiplier
      return y;
    }],
  ];
  for (const [label, forward] of cases) {
    const m = new Float64Array(N);
    forward(x, m);
    const dx = new Float64Array(N);
    dropoutBackward(r, m, dx, N);
    checkGradient(`${label} dx`, x, dx, () => project(forward(x, new Float64Array(N)), r), TIGHT);
  }
});

test('embedding reference: the table gradient (ids are not differentiable)', () => {
  const [N, V, D] = [9, 4, 3];
  const ids = Float64Array.from({ length: N }, () => rng.int(V));
  const table = uniform(V * D);
  const r = uniform(N * D);
  const f = () => {
    const y = new Float64Array(N * D);
    emb.embeddingForward(ids, table, y, N, V, D);
    return project(y, r);
  };
  const dt = new Float64Array(V * D);
  emb.embeddingBackward(ids, r, dt, N, D);
  checkGradient('embedding dtable', table, dt, f, TIGHT);
});

test('l1l2 penalty reference: gradient of P(w) away from w = 0', () => {
  const w = awayFrom(40, rand, -1, 1, [0], 1e-3);
  for (const [l1, l2] of [[0.01, 0], [0, 0.3], [0.2, 0.05]]) {
    const dw = new Float64Array(w.length);
    reg.l1l2Penalty(w, dw, w.length, l1, l2);
    checkGradient(`l1 ${l1} l2 ${l2} dP/dw`, w, dw, () => reg.l1l2Penalty(w, null, w.length, l1, l2), TIGHT);
  }
});

/** d sum(r*y) / d input and / d each trainable weight of a one-layer model (float32 WASM). */
function checkLayer(label: string, layer: Layer, inputShape: number[], batch: number, makeInput?: (n: number) => Float32Array, withDx = true): void {
  const model = sequential({ layers: [layer], seed: 5 });
  try {
    model.build();
    model.setWeights(model.weights.map((w) => rng.uniformArray(w.size, w.spec.name === 'gamma' ? 0.5 : -0.5, w.spec.name === 'gamma' ? 1.5 : 0.5)));
    const n = batch * inputShape.reduce((a, b) => a * b, 1);
    const x = makeInput ? makeInput(n) : rng.uniformArray(n, -1, 1);
    const out = model.forwardBatch(x, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    model.backwardFromOutputGrad(r, batch);
    const dx = model.inputGradient(batch);
    const grads = model.weightGradients();
    const f = () => project(model.forwardBatch(x, batch, true, true), r);
    if (withDx) checkGradient(`${label} dx`, x, dx, f, LOOSE);
    const ws = model.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      checkGradient(`${label} d${g.name}`, v, g.data, () => {
        model.setWeights(ws.map((w) => w.data));
        return f();
      }, LOOSE);
    }
  } finally {
    model.dispose();
  }
}

test('new layers (float32 WASM): layer norm, channels-first flatten, timeDistributed, embedding table', () => {
  checkLayer('layerNormalization', layers.layerNormalization({ inputShape: [6, 5] }), [6, 5], 2);
  checkLayer('layerNormalization no scale', layers.layerNormalization({ scale: false, inputShape: [4, 3] }), [4, 3], 3);
  checkLayer('flatten channelsFirst', layers.flatten({ dataFormat: 'channelsFirst', inputShape: [5, 3] }), [5, 3], 2);
  checkLayer('timeDistributed dense tanh', layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'tanh' }), inputShape: [5, 3] }), [5, 3], 2);
  // ids move by eps in a finite difference, so only the table is checked
  checkLayer('embedding', layers.embedding({ inputDim: 6, outputDim: 3, inputShape: [7] }), [7], 2, (n) => Float32Array.from({ length: n }, () => rng.int(6)), false);
});

test('regularised networks (float32 WASM): the gradient of data loss + penalties', () => {
  const model: Sequential = sequential({
    seed: 3,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh', kernelRegularizer: regularizers.l1l2({ l1: 0.05, l2: 0.1 }), biasRegularizer: 'l2', inputShape: [10, 2] }),
      layers.layerNormalization(),
      layers.flatten({ dataFormat: 'channelsFirst' }),
      layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: regularizers.l2({ l2: 0.2 }), biasRegularizer: regularizers.l1({ l1: 0.1 }) }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  try {
    // weights off zero by more than eps (l1's kink)
    model.setWeights(model.weights.map((w) => Float32Array.from(awayFrom(w.size, rand, w.spec.name === 'gamma' ? 0.5 : -0.6, w.spec.name === 'gamma' ? 1.5 : 0.6, [0], 0.02))));
    const x = rng.uniformArray(3 * 20, -1, 1);
    const y = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    model.computeLossAndGrads(x, y, 3);
    const ws = model.getWeights();
    for (const g of model.weightGradients()) {
      const v = ws.find((w) => w.name === g.name)!.data;
      checkGradient(`regularised d${g.name}`, v, g.data, () => {
        model.setWeights(ws.map((w) => w.data));
        return model.computeLossAndGrads(x, y, 3);
      }, { ...LOOSE, eps: 5e-3, maxChecks: 25 });
    }
  } finally {
    model.dispose();
  }
});
