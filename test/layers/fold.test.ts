// Batch norm folded into the preceding linear Conv1D at inference (engine/planner.ts, BatchNormalization.foldInto):
// predictions of an inference plan (folded) equal a training plan's forward in inference mode
// (unfolded) to float rounding, after training moved the weights and the moving statistics; a
// conv whose output another node also reads, or with an activation, keeps its batch norm.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { input, layers, model, tensor } from '../../src/index.ts';
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

test('inference folds batch norm into linear convs and predicts what the unfolded forward does', async () => {
  const n = 24;
  const rng = new Random(4);
  const xs = tensor(rng.uniformArray(n * 30 * 2, -2, 2), [n, 30, 2]);
  const trained = build();
  await trained.fit(xs, Int32Array.from({ length: n }, (_, i) => i % 3), { epochs: 3, batchSize: 8, verbose: 0 }); // moves weights and moving statistics
  const unfolded = trained.forwardBatch(xs.data, n, false).slice(); // the training plan: batch norms run

  const proto = BatchNormalization.prototype;
  const original = proto.foldInto;
  let folded = 0;
  let asked = 0;
  proto.foldInto = function (this: BatchNormalization, ...args: Parameters<typeof original>) {
    asked++;
    const did = original.apply(this, args);
    folded += did ? 1 : 0;
    return did;
  };
  const fresh = build();
  try {
    fresh.setWeights(trained.getWeights().map((w) => w.data));
    const predicted = fresh.predict(xs, { batchSize: n }) as { data: Float32Array };
    assert.deepEqual([asked, folded], [3, 2], 'the two batch norms after linear convs fold; the one after a relu conv does not; the one beside an add is not asked');
    assertClose(predicted.data, unfolded, 'folded vs unfolded predictions', 1e-6, 1e-5);
  } finally {
    proto.foldInto = original;
    trained.dispose();
    fresh.dispose();
  }
});
