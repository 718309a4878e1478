// Finite-difference checks of the float32 WASM path through graphs: every merge layer, broadcasting,
// a value read twice (gradients add), a shared layer (weight gradients add), and a residual network
// with the fused softmax + cross-entropy. d sum(r * y) w.r.t. every input and every weight.

import { test } from 'vitest';
import { input, layers, model, type LayersModel, type SymbolicTensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkGradient, project } from './fd.ts';

const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };
const rng = new Random(78);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function randomWeights(m: LayersModel): void {
  m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, w.spec.name === 'gamma' ? 0.5 : -0.5, w.spec.name === 'gamma' ? 1.5 : 0.5)));
}

/** Checks d sum(r*y) / d each input and / d each trainable weight of a model. */
function checkModel(label: string, m: LayersModel, batch: number, given?: Float32Array[]): void {
  try {
    m.build();
    randomWeights(m);
    const xs = given ?? m.inputs.map((t) => rng.uniformArray(batch * size(t.shape), -1, 1));
    const out = m.forwardBatch(xs, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    m.backwardFromOutputGrad(r, batch);
    const dxs = xs.map((_, i) => m.inputGradient(batch, i));
    const grads = m.weightGradients();
    const f = () => project(m.forwardBatch(xs, batch, true, true), r);
    xs.forEach((x, i) => checkGradient(`${label} dx${i}`, x, dxs[i], f, LOOSE));
    const ws = m.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      const fw = () => {
        m.setWeights(ws.map((w) => w.data));
        return f();
      };
      checkGradient(`${label} d${g.name}`, v, g.data, fw, LOOSE);
    }
  } finally {
    m.dispose();
  }
}

const merged = (make: () => { apply(x: SymbolicTensor[]): SymbolicTensor }, shapes: number[][]) => {
  const xs = shapes.map((shape) => input({ shape }));
  return model({ inputs: xs, outputs: make().apply(xs) });
};

test('every merge layer on two inputs of one shape (maximum/minimum kept away from ties)', () => {
  for (const op of ['add', 'subtract', 'multiply', 'average'] as const) checkModel(op, merged(() => layers[op](), [[6, 5], [6, 5]]), 2);
  for (const op of ['maximum', 'minimum'] as const) {
    const a = rng.uniformArray(2 * 30, -1, 1);
    const b = a.map((v) => v + (rng.next() < 0.5 ? -1 : 1) * (0.05 + rng.next()));
    checkModel(op, merged(() => layers[op](), [[6, 5], [6, 5]]), 2, [a, b]);
  }
});

test('broadcast operands ([C] and [1, C] over [L, C]) and add/average of three inputs', () => {
  for (const op of ['add', 'subtract', 'multiply'] as const) {
    checkModel(`${op} [L, C] with [C]`, merged(() => layers[op](), [[7, 3], [3]]), 2);
    checkModel(`${op} [1, C] with [L, C]`, merged(() => layers[op](), [[1, 4], [5, 4]]), 3);
  }
  // maximum: every broadcast element at least 0.05 away from the row it meets (no tie within eps)
  const row = rng.uniformArray(3 * 4, -1, 1);
  const full = Float32Array.from({ length: 3 * 5 * 4 }, (_, i) => row[Math.floor(i / 20) * 4 + (i % 4)] + (rng.next() < 0.5 ? -1 : 1) * (0.05 + rng.next()));
  checkModel('maximum [1, C] with [L, C]', merged(() => layers.maximum(), [[1, 4], [5, 4]]), 3, [row, full]);
  checkModel('add of [L, C], [1, C], [C]', merged(() => layers.add(), [[6, 5], [1, 5], [5]]), 2);
  checkModel('average of three [4, 3]', merged(() => layers.average(), [[4, 3], [4, 3], [4, 3]]), 2);
});

test('concatenate along the channels and along the length', () => {
  checkModel('concatenate channels', merged(() => layers.concatenate(), [[6, 3], [6, 4], [6, 1]]), 2);
  checkModel('concatenate length', merged(() => layers.concatenate({ axis: 1 }), [[4, 3], [6, 3]]), 2);
  checkModel('concatenate flat', merged(() => layers.concatenate(), [[5], [9]]), 3);
});

test('a value read by several nodes gets the sum of their gradients', () => {
  const x = input({ shape: [8, 3] });
  const h = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(x);
  const a = layers.conv1d({ filters: 4, kernelSize: 1 }).apply(h);
  const b = layers.dense({ units: 4, activation: 'sigmoid' }).apply(h);
  const y = layers.add().apply([h, a, b]);
  checkModel('branches', model({ inputs: x, outputs: y }), 2);
  const z = input({ shape: [5, 2] });
  const t = layers.dense({ units: 3, activation: 'tanh' }).apply(z);
  checkModel('multiply([t, t])', model({ inputs: z, outputs: layers.multiply().apply([t, t]) }), 2);
});

test('a shared layer: one weight, gradients of every application added', () => {
  const shared = layers.dense({ units: 3, activation: 'tanh' });
  const x1 = input({ shape: [4] });
  const x2 = input({ shape: [4] });
  const y = layers.subtract().apply([shared.apply(x1), shared.apply(x2)]);
  const m = model({ inputs: [x1, x2], outputs: y });
  checkModel('shared dense', m, 3);
  const conv = layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', activation: 'elu' });
  const x = input({ shape: [9, 3] });
  checkModel('conv applied twice in a chain', model({ inputs: x, outputs: conv.apply(conv.apply(x)) }), 2);
});

test('squeeze-and-excitation: channels scaled by a broadcast multiply', () => {
  const x = input({ shape: [10, 4] });
  const h = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(x);
  const s0 = layers.globalAveragePooling1d().apply(h);
  const s1 = layers.dense({ units: 2, activation: 'tanh' }).apply(s0);
  const s = layers.dense({ units: 4, activation: 'sigmoid' }).apply(s1);
  checkModel('SE block', model({ inputs: x, outputs: layers.multiply().apply([h, s]) }), 3);
});

test('a residual network with batch norm and fused softmax + cross-entropy: d loss / d every weight', () => {
  const x = input({ shape: [12, 2] });
  const c1 = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x);
  const b1 = layers.activation({ activation: 'tanh' }).apply(layers.batchNormalization().apply(c1));
  const c2 = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(b1);
  const short = layers.conv1d({ filters: 4, kernelSize: 1 }).apply(x);
  const r = layers.activation({ activation: 'tanh' }).apply(layers.add().apply([c2, short]));
  const y = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(r));
  const m = model({ inputs: x, outputs: y });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  try {
    randomWeights(m);
    const xs = rng.uniformArray(4 * 24, -1, 1);
    const labels = Float32Array.from([0, 2, 1, 2]);
    m.computeLossAndGrads(xs, labels, 4);
    const grads = m.weightGradients();
    const ws = m.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      const f = () => {
        m.setWeights(ws.map((w) => w.data));
        return m.computeLossAndGrads(xs, labels, 4);
      };
      checkGradient(`resnet d${g.name}`, v, g.data, f, { ...LOOSE, eps: 5e-3, maxChecks: 25 });
    }
  } finally {
    m.dispose();
  }
});

test('two outputs (one also read by the other branch): gradients of both flow back', () => {
  const x = input({ shape: [6, 3] });
  const h = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(x);
  const a = layers.globalAveragePooling1d().apply(h);
  const b = layers.dense({ units: 2, activation: 'sigmoid' }).apply(a);
  const m = model({ inputs: x, outputs: [a, b] });
  const batch = 2;
  try {
    randomWeights(m);
    const xs = rng.uniformArray(batch * 18, -1, 1);
    const r = [rng.uniformArray(batch * 4, -1, 1), rng.uniformArray(batch * 2, -1, 1)];
    m.forwardBatch(xs, batch, true, true);
    m.backwardFromOutputGrad(r, batch);
    const dx = m.inputGradient(batch);
    const grads = m.weightGradients();
    const f = () => {
      m.forwardBatch(xs, batch, true, true);
      return project(m.outputView(batch, 0), r[0]) + project(m.outputView(batch, 1), r[1]);
    };
    checkGradient('two outputs dx', xs, dx, f, LOOSE);
    const ws = m.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      checkGradient(`two outputs d${g.name}`, v, g.data, () => (m.setWeights(ws.map((w) => w.data)), f()), LOOSE);
    }
  } finally {
    m.dispose();
  }
});
