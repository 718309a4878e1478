// Conv1D's algorithm option: finite-difference gradients of the Winograd reference (float64,
// tight) and of Winograd layers (float32 WASM, loose), Winograd models against direct ones with the
// same weights (training step and inference with batch norm folded), the option's validation and
// serialisation, and the 'auto' choice.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, sequential, tensor, type Layer } from '../../src/index.ts';
import { Conv1D } from '../../src/layers/conv1d.ts';
import { chooseTile } from '../../src/layers/conv-winograd.ts';
import { Random } from '../../src/runtime/random.ts';
import { assertClose } from '../helpers/wasm.ts';
import { winogradMatrices, winogradForward, winogradBackwardInput, winogradBackwardKernel } from '../../src/reference/winograd.ts';
import { awayFrom, checkGradient, project } from '../gradcheck/fd.ts';

const TIGHT = { eps: 1e-6, atol: 1e-7, rtol: 1e-6 };
const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 60 };
const rng = new Random(2121);

test('Winograd reference: backward-input and backward-kernel are the gradients of forward (float64)', () => {
  for (const [m, K, B, T, C, F] of [[4, 3, 2, 7, 3, 2], [2, 5, 1, 5, 2, 3], [4, 5, 2, 9, 2, 2], [2, 7, 1, 6, 2, 2]]) {
    const mx = winogradMatrices(m, K);
    const Lp = T + K - 1;
    const uniform = (n: number) => awayFrom(n, () => rng.next(), -1, 1, [], 0);
    const xp = uniform(B * Lp * C), w = uniform(K * C * F), r = uniform(B * T * F);
    const f = () => {
      const y = new Float64Array(B * T * F);
      winogradForward(mx, xp, w, null, y, B, Lp, C, T, F);
      return project(y, r);
    };
    const dxp = new Float64Array(xp.length), dw = new Float64Array(w.length);
    winogradBackwardInput(mx, r, w, dxp, B, Lp, C, T, F);
    winogradBackwardKernel(mx, xp, r, dw, B, Lp, C, T, F);
    checkGradient(`F(${m}, ${K}) dxp`, xp, dxp, f, TIGHT);
    checkGradient(`F(${m}, ${K}) dw`, w, dw, f, TIGHT);
  }
});

/** d sum(r*y) / d input and / d each weight of a one-layer float32 model (test/gradcheck pattern). */
function checkLayer(label: string, layer: Layer, inputShape: number[], batch: number): void {
  const m = sequential({ layers: [layer], seed: 5 });
  try {
    m.build();
    m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
    const x = rng.uniformArray(batch * inputShape.reduce((a, b) => a * b, 1), -1, 1);
    const out = m.forwardBatch(x, batch, true, true);
    const r = rng.uniformArray(out.length, -1, 1);
    m.backwardFromOutputGrad(r, batch);
    const dx = m.inputGradient(batch);
    const grads = m.weightGradients();
    const f = () => project(m.forwardBatch(x, batch, true, true), r);
    checkGradient(`${label} dx`, x, dx, f, LOOSE);
    const ws = m.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      checkGradient(`${label} d${g.name}`, v, g.data, () => (m.setWeights(ws.map((w) => w.data)), f()), LOOSE);
    }
  } finally {
    m.dispose();
  }
}

test('conv1d algorithm "winograd" (float32 WASM): input, kernel and bias gradients', () => {
  checkLayer('winograd K3 same tanh', layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'tanh', algorithm: 'winograd', inputShape: [11, 4] }), [11, 4], 2);
  checkLayer('winograd K5 causal', layers.conv1d({ filters: 3, kernelSize: 5, padding: 'causal', algorithm: 'winograd', inputShape: [9, 3] }), [9, 3], 2);
  checkLayer('winograd K7 valid no bias', layers.conv1d({ filters: 4, kernelSize: 7, useBias: false, algorithm: 'winograd', inputShape: [13, 2] }), [13, 2], 3);
});

/** conv(K5) -> BN -> relu -> conv(K3) -> BN -> relu -> GAP -> dense softmax, the fcn-ecg pattern. */
function fcn(algorithm: 'direct' | 'winograd') {
  const x = input({ shape: [37, 3] });
  let h = layers.conv1d({ filters: 12, kernelSize: 5, padding: 'same', algorithm }).apply(x);
  h = layers.activation({ activation: 'relu' }).apply(layers.batchNormalization().apply(h));
  h = layers.conv1d({ filters: 9, kernelSize: 3, padding: 'causal', algorithm }).apply(h);
  h = layers.activation({ activation: 'relu' }).apply(layers.batchNormalization().apply(h));
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h));
  const m = model({ inputs: x, outputs: out, seed: 3 });
  // SGD, not Adam: Adam scales each step by 1/sqrt(v), so a conv bias before a batch norm (gradient
  // ~0) would move by +-lr on rounding noise alone
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

test('a Winograd model trains and predicts (batch norm folded) like the direct one with the same weights, to rounding', async () => {
  const n = 12;
  const xs = tensor(rng.uniformArray(n * 37 * 3, -2, 2), [n, 37, 3]);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const direct = fcn('direct');
  const wino = fcn('winograd');
  try {
    wino.setWeights(direct.getWeights().map((w) => w.data));
    await direct.fit(xs, labels, { epochs: 2, batchSize: 6, verbose: 0, shuffle: false });
    await wino.fit(xs, labels, { epochs: 2, batchSize: 6, verbose: 0, shuffle: false });
    const wd = direct.getWeights(), ww = wino.getWeights();
    for (let i = 0; i < wd.length; i++) assertClose(ww[i].data, wd[i].data, `weight ${wd[i].name} after 4 SGD steps`, 1e-4, 1e-3);
    wino.setWeights(wd.map((w) => w.data));
    const pd = direct.predict(xs, { batchSize: n }).data;
    const pw = wino.predict(xs, { batchSize: n }).data;
    assertClose(pw, pd, 'predictions (inference plan, batch norm folded into the convs)', 1e-5, 1e-4);
    assert.ok(pw.some((v, i) => v !== pd[i]), 'Winograd predictions are bit-identical to direct: the Winograd path did not run');
  } finally {
    direct.dispose();
    wino.dispose();
  }
});

test('conv1d algorithm: validated, refused where Winograd cannot run, serialised only when not "direct"', () => {
  const bad = (args: object, ...parts: string[]) =>
    assert.throws(() => layers.conv1d({ filters: 2, kernelSize: 3, ...args }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" does not name ${p}`);
      return true;
    });
  bad({ algorithm: 'winogard' }, 'Conv1D', 'algorithm', '"winogard"', '"auto", "direct", "winograd"');
  bad({ algorithm: 'winograd', strides: 2 }, 'Conv1D', 'winograd', 'strides 2');
  bad({ algorithm: 'winograd', dilationRate: 2 }, 'dilationRate 2');
  bad({ algorithm: 'winograd', kernelSize: 4 }, 'kernelSize 4', '3, 5, 7');
  assert.equal(layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, algorithm: 'auto' }).algorithm, 'auto');

  const direct = layers.conv1d({ filters: 2, kernelSize: 3 });
  assert.equal('algorithm' in direct.getConfig(), false, 'the default is not serialised (TF.js-compatible files)');
  const auto = layers.conv1d({ filters: 2, kernelSize: 3, algorithm: 'auto' });
  assert.equal(auto.getConfig().algorithm, 'auto');
  assert.equal(Conv1D.fromConfig(auto.getConfig()).algorithm, 'auto');
  assert.equal(Conv1D.fromConfig(direct.getConfig()).algorithm, 'direct');
});

test('algorithm "auto" takes Winograd for wide layers and direct for narrow ones', () => {
  // fcn-ecg layers 2 and 3 (batch 16, length 140): wide channel GEMMs
  assert.ok(chooseTile('auto', 16, 140, 128, 256, 5, true) > 0);
  assert.ok(chooseTile('auto', 16, 140, 256, 128, 3, true) > 0);
  // one input channel (keras-seed, samplecnn-8k first layers): the transforms cost more than they save
  assert.equal(chooseTile('auto', 32, 98, 1, 32, 3, true), 0);
  assert.equal(chooseTile('direct', 16, 140, 128, 256, 5, true), 0);
  // batch 1 (latency plans): fewer tiles than a chunk, direct; forced Winograd still runs
  assert.equal(chooseTile('auto', 1, 140, 128, 256, 5, false), 0);
  assert.ok(chooseTile('winograd', 1, 140, 128, 256, 5, false) > 0);
  assert.ok(chooseTile('winograd', 32, 98, 1, 32, 3, true) > 0);
});
