// Batch norm folded into the preceding linear Conv1D at inference (engine/planner.ts, BatchNormalization.foldInto):
// predictions of an inference plan (folded) equal a training plan's forward in inference mode
// (unfolded) to float rounding, after training moved the weights and the moving statistics; a
// conv whose output another node also reads, or with an activation, keeps its batch norm.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createRuntime, input, layers, model, tensor, type Runtime } from '../../src/index.ts';
import { BatchNormalization } from '../../src/layers/batchnorm.ts';
import { Random } from '../../src/runtime/random.ts';
import { assertClose, withScratch } from '../helpers/wasm.ts';
import { batchnormFold } from '../../src/reference/batchnorm.ts';

test('batchnorm_fold matches the reference (with and without the conv bias, every SIMD tail)', () => {
  const rng = new Random(31);
  withScratch((s) => {
    for (const R of [1, 3, 6]) for (const F of [1, 3, 4, 5, 8, 9]) for (const withBias of [true, false]) {
      const [w, bias, gamma, beta, mm] = [rng.uniformArray(R * F), rng.uniformArray(F), rng.uniformArray(F, 0.5, 1.5), rng.uniformArray(F), rng.uniformArray(F)];
      const mv = rng.uniformArray(F, 0.2, 2);
      const [pw, pb] = [s.zeros(R * F), s.zeros(F)];
      s.k.batchnorm_fold(s.put(w), withBias ? s.put(bias) : 0, s.put(gamma), s.put(beta), s.put(mm), s.put(mv), pw, pb, R, F, 1e-3);
      const [ew, eb] = [new Float64Array(R * F), new Float64Array(F)];
      batchnormFold(w, withBias ? bias : null, gamma, beta, mm, mv, ew, eb, R, F, Math.fround(1e-3));
      assertClose(s.get(pw, R * F), ew, `fold w R${R} F${F}`, 1e-6, 1e-5);
      assertClose(s.get(pb, F), eb, `fold b R${R} F${F} bias ${withBias}`, 1e-6, 1e-5);
    }
  });
});

/** conv -> BN (folds), conv without bias -> BN without gamma/beta (folds), relu conv -> BN (kept),
 *  a conv read by a BN and an add (kept). */
function build() {
  const x = input({ shape: [30, 2] });
  const a = layers.batchNormalization().apply(layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(x));
  const h = layers.activation({ activation: 'relu' }).apply(a);
  const c = layers.conv1d({ filters: 5, kernelSize: 4, strides: 2, useBias: false }).apply(h);
  const b = layers.batchNormalization({ center: false, scale: false }).apply(c);
  const e = layers.batchNormalization().apply(layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(b));
  const shared = layers.conv1d({ filters: 5, kernelSize: 1 }).apply(e);
  const s2 = layers.add().apply([layers.batchNormalization().apply(shared), shared]);
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(s2));
  const m = model({ inputs: x, outputs: out, seed: 9 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Runs fn with BatchNormalization.foldInto replaced (plans made meanwhile consult the spy). */
function withFoldSpy<T>(spy: (original: BatchNormalization['foldInto'], self: BatchNormalization, args: Parameters<BatchNormalization['foldInto']>) => boolean, fn: () => T): T {
  const proto = BatchNormalization.prototype;
  const original = proto.foldInto;
  proto.foldInto = function (this: BatchNormalization, ...args: Parameters<typeof original>) {
    return spy(original, this, args);
  };
  try {
    return fn();
  } finally {
    proto.foldInto = original;
  }
}

test('inference folds batch norm into linear convs, on inference and training plans, to rounding of the unfolded forward', async () => {
  const n = 24;
  const rng = new Random(4);
  const xs = tensor(rng.uniformArray(n * 30 * 2, -2, 2), [n, 30, 2]);
  const trained = build();
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  await trained.fit(xs, labels, { epochs: 3, batchSize: 8, verbose: 0 }); // moves weights and moving statistics
  const weights = trained.getWeights().map((w) => w.data);
  const foldedAfterFit = trained.forwardBatch(xs.data, n, false).slice(); // training plan, inference forward

  const plain = build();
  plain.setWeights(weights);
  const unfolded = withFoldSpy(() => false, () => plain.predict(xs, { batchSize: n }).data.slice());

  const fresh = build();
  fresh.setWeights(weights);
  let asked = 0;
  let folded = 0;
  const predicted = withFoldSpy(
    (original, self, args) => {
      asked++;
      const did = original.apply(self, args);
      folded += did ? 1 : 0;
      return did;
    },
    () => fresh.predict(xs, { batchSize: n }).data.slice(),
  );
  try {
    assert.deepEqual([asked, folded], [3, 2], 'the two batch norms after linear convs fold; the one after a relu conv does not; the one beside an add is not asked');
    assertClose(predicted, unfolded, 'folded (inference plan) vs unfolded predictions', 1e-6, 1e-5);
    assertClose(foldedAfterFit, unfolded, 'folded (training plan) vs unfolded predictions', 1e-6, 1e-5);
    // a training step after folded inference forwards still trains on batch statistics
    const a = trained.trainOnBatch(xs.data, Float32Array.from(labels), n);
    const b = plain.trainOnBatch(xs.data, Float32Array.from(labels), n);
    assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b), `training loss ${a} vs ${b}`);
  } finally {
    for (const m of [trained, plain, fresh]) m.dispose();
  }
});

/** conv -> BN -> ReLU, with the ReLU fused into the batch norm in training (and not), over steps. */
function bnReluNet(fused: boolean, seed: number, runtime: Runtime) {
  const x = input({ shape: [40, 3] });
  const c = layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(x);
  const b = layers.batchNormalization().apply(c);
  // a linear activation between them is the identity and blocks the fusion
  const r = layers.activation({ activation: 'relu' }).apply(fused ? b : layers.activation({ activation: 'linear' }).apply(b));
  const y = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(r));
  const m = model({ inputs: x, outputs: y, seed, runtime });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** A runtime of its own that counts the calls of the elementwise activation kernels. */
function countingRuntime() {
  const rt = createRuntime({ threads: false });
  const calls = { forward: 0, backward: 0 };
  const k = rt.kernels as unknown as Record<string, (...a: number[]) => unknown>;
  const [f, b] = [k.activation_forward, k.activation_backward];
  k.activation_forward = (...a) => (calls.forward++, f(...a));
  k.activation_backward = (...a) => (calls.backward++, b(...a));
  return { rt, calls };
}

test('a ReLU after a batch norm runs inside it in training: the same losses, weights and predictions as unfused', () => {
  const rng = new Random(41);
  const a = countingRuntime();
  const b = countingRuntime();
  const fused = bnReluNet(true, 7, a.rt);
  const plain = bnReluNet(false, 7, b.rt);
  plain.setWeights(fused.getWeights().map((w) => w.data));
  const labels = Float32Array.from({ length: 9 }, (_, i) => i % 3);
  for (const batch of [9, 5, 9]) {
    const xs = rng.uniformArray(batch * 40 * 3, -2, 2);
    const ys = labels.subarray(0, batch);
    assert.equal(fused.trainOnBatch(xs, ys, batch), plain.trainOnBatch(xs, ys, batch), `loss, batch ${batch}`);
  }
  assert.deepEqual(a.calls, { forward: 0, backward: 0 }, 'fused: no activation pass of its own in training');
  assert.ok(b.calls.forward >= 6 && b.calls.backward >= 6, `unfused: the ReLU and the linear activation run (${JSON.stringify(b.calls)})`);
  const wf = fused.getWeights();
  plain.getWeights().forEach((w, i) => assert.deepEqual(Array.from(wf[i].data), Array.from(w.data), w.name));
  const xs = rng.uniformArray(4 * 40 * 3, -2, 2);
  assert.deepEqual(Array.from(fused.forwardBatch(xs, 4, false)), Array.from(plain.forwardBatch(xs, 4, false)), 'inference');
  assert.deepEqual(Array.from(fused.forwardBatch(xs, 4, true)), Array.from(plain.forwardBatch(xs, 4, true)), 'training forward');
  fused.dispose();
  plain.dispose();
});
