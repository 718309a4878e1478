// Finite-difference checks of the float32 WASM path, through the public layers and models:
// gradients of sum(r * y) w.r.t. the input and every weight, and of whole-network losses w.r.t. the
// parameters (fused softmax + cross-entropy included). float32 central differences are noisy,
// so tolerances are loose; kinks (relu, max-pool ties) are kept away from on purpose.

import { test } from 'vitest';
import { layers, sequential, type Layer, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkGradient, project } from './fd.ts';

const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };
const rng = new Random(77);

function randomWeights(model: Sequential): void {
  model.setWeights(model.weights.map((w) => rng.uniformArray(w.size, w.spec.name === 'gamma' ? 0.5 : -0.5, w.spec.name === 'gamma' ? 1.5 : 0.5)));
}

/** Checks d sum(r*y) / d input and / d each trainable weight of a one-layer model. */
function checkLayer(label: string, layer: Layer, inputShape: number[], batch: number, makeInput?: (n: number) => Float32Array): void {
  const model = sequential({ layers: [layer], seed: 5 });
  try {
    model.build();
    randomWeights(model);
    const n = batch * inputShape.reduce((a, b) => a * b, 1);
    const x = makeInput ? makeInput(n) : rng.uniformArray(n, -1, 1);
    const out = model.forwardBatch(x, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    model.backwardFromOutputGrad(r, batch);
    const dx = model.inputGradient(batch);
    const grads = model.weightGradients();
    const f = () => project(model.forwardBatch(x, batch, true, true), r);
    checkGradient(`${label} dx`, x, dx, f, LOOSE);
    const ws = model.getWeights();
    for (const g of grads) {
      const i = ws.findIndex((w) => w.name === g.name);
      const v = ws[i].data;
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

/** Values spaced 0.05 apart, shuffled: max pooling never sees a tie within eps. */
const spaced = (n: number) => rng.shuffle(Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05));

test('conv1d layer (float32 WASM): valid/same/causal, strides, dilation, fused activations', () => {
  checkLayer('conv1d valid tanh', layers.conv1d({ filters: 5, kernelSize: 3, activation: 'tanh', inputShape: [12, 3] }), [12, 3], 2);
  checkLayer('conv1d same s2 sigmoid', layers.conv1d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid', inputShape: [11, 2] }), [11, 2], 2);
  checkLayer('conv1d causal d2', layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'causal', inputShape: [10, 4] }), [10, 4], 3);
  checkLayer('conv1d no bias s3 elu', layers.conv1d({ filters: 9, kernelSize: 5, strides: 3, useBias: false, activation: 'elu', inputShape: [17, 5] }), [17, 5], 1);
});

test('dense layer (float32 WASM): flat and per-position inputs', () => {
  checkLayer('dense tanh', layers.dense({ units: 7, activation: 'tanh', inputShape: [9] }), [9], 3);
  checkLayer('dense softmax', layers.dense({ units: 4, activation: 'softmax', inputShape: [6] }), [6], 2);
  checkLayer('dense on [L, C]', layers.dense({ units: 3, inputShape: [5, 4] }), [5, 4], 2);
});

test('pooling layers (float32 WASM): max and average, overlapping and same windows, global', () => {
  checkLayer('maxpool 3/2 same', layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [11, 3] }), [11, 3], 2, spaced);
  checkLayer('maxpool 2/2', layers.maxPooling1d({ poolSize: 2, inputShape: [9, 4] }), [9, 4], 2, spaced);
  checkLayer('avgpool 4/1', layers.averagePooling1d({ poolSize: 4, strides: 1, inputShape: [9, 2] }), [9, 2], 2);
  checkLayer('avgpool 3/2 same', layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [10, 5] }), [10, 5], 2);
  checkLayer('global max', layers.globalMaxPooling1d({ inputShape: [13, 6] }), [13, 6], 3, spaced);
  checkLayer('global avg', layers.globalAveragePooling1d({ inputShape: [13, 6] }), [13, 6], 3);
});

test('activation, prelu and batchnorm layers (float32 WASM)', () => {
  // inputs kept >= 0.05 away from 0 so relu-family kinks are never crossed by eps = 0.01
  const offZero = (n: number) => rng.uniformArray(n, 0.05, 1.5).map((v) => (rng.next() < 0.5 ? -v : v));
  for (const activation of ['relu', 'leakyRelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'gelu', 'mish', 'softmax'] as const) {
    checkLayer(`activation ${activation}`, layers.activation({ activation, inputShape: [4, 5] }), [4, 5], 2, offZero);
  }
  checkLayer('prelu per channel', layers.prelu({ sharedAxes: [1], inputShape: [6, 3] }), [6, 3], 2, offZero);
  checkLayer('batchnorm', layers.batchNormalization({ inputShape: [8, 4] }), [8, 4], 3);
  checkLayer('batchnorm without scale/center', layers.batchNormalization({ scale: false, center: false, inputShape: [8, 4] }), [8, 4], 3);
});

/** Checks d loss / d every parameter of a compiled model on one batch. */
function checkNetwork(label: string, model: Sequential, x: Float32Array, y: Float32Array, batch: number): void {
  try {
    randomWeights(model);
    model.computeLossAndGrads(x, y, batch);
    const grads = model.weightGradients();
    const ws = model.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      const f = () => {
        model.setWeights(ws.map((w) => w.data));
        return model.computeLossAndGrads(x, y, batch);
      };
      checkGradient(`${label} d${g.name}`, v, g.data, f, { ...LOOSE, eps: 5e-3, maxChecks: 25 });
    }
  } finally {
    model.dispose();
  }
}

function oneHot(batch: number, classes: number): Float32Array {
  const y = new Float32Array(batch * classes);
  for (let b = 0; b < batch; b++) y[b * classes + rng.int(classes)] = 1;
  return y;
}

test('whole networks (float32 WASM): fused softmax + cross-entropy, batch norm, MSE', () => {
  const a = sequential({
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh', inputShape: [16, 1] }),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 6, activation: 'elu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  a.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  checkNetwork('conv-pool-dense-softmax/CCE', a, rng.uniformArray(3 * 16, -1, 1), oneHot(3, 3), 3);

  const b = sequential({
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [12, 2] }),
      layers.batchNormalization(),
      layers.activation({ activation: 'tanh' }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  b.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  checkNetwork('fcn-like with batchnorm/sparse CCE', b, rng.uniformArray(4 * 24, -1, 1), Float32Array.from([0, 2, 1, 2]), 4);

  const c = sequential({
    layers: [
      layers.conv1d({ filters: 3, kernelSize: 3, activation: 'sigmoid', inputShape: [10, 1] }),
      layers.flatten(),
      layers.dense({ units: 2, activation: 'sigmoid' }),
    ],
  });
  c.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  checkNetwork('tutorial-like/MSE', c, rng.uniformArray(2 * 10, -1, 1), rng.uniformArray(4, 0, 1), 2);
});
