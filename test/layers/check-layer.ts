// One helper (as tinygrad's helper_test_op): a public layer alone in a model, float32 WASM, against
// its float64 reference (reference-layers.ts) on random inputs: the output shape, the output in
// training and inference mode, the state after a training step, dx and every weight gradient.
// Batches run largest first, so the later ones are smaller than the planned capacity and see the
// buffers a previous step left behind.

import assert from 'node:assert/strict';
import { sequential, type Layer, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import type { RefLayer, Weights } from './reference-layers.ts';

/** The one tolerance: |a - b| <= REL * (|b| + rms(b)), b the float64 reference. The float32 path stays
 *  below 1e-6 of that on these shapes (worst seen 8e-7); an off-by-one window, a wrong stride, a transposed weight or rows left
 *  uncomputed are off by a fraction of the values themselves. */
export const REL = 1e-5;

export const BATCHES = [4, 3, 1];

export function assertRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} values, expected ${expected.length}`);
  let ss = 0;
  for (let i = 0; i < expected.length; i++) ss += expected[i] * expected[i];
  const rms = Math.sqrt(ss / Math.max(expected.length, 1));
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [actual[i], expected[i]];
    if (!(Math.abs(a - b) <= REL * (Math.abs(b) + rms))) {
      assert.fail(`${label}: element ${i} of ${expected.length} is ${a}, reference ${b} (|diff| ${Math.abs(a - b).toExponential(2)} > ${REL} * (|ref| + rms ${rms.toExponential(2)}))`);
    }
  }
}

/** Value range of each weight by its Keras name; gamma and variances stay positive. */
const RANGES: Record<string, [number, number]> = {
  kernel: [-0.5, 0.5],
  bias: [-0.5, 0.5],
  alpha: [0, 0.5],
  gamma: [0.5, 1.5],
  beta: [-0.5, 0.5],
  moving_mean: [-0.3, 0.3],
  moving_variance: [0.5, 1.5],
};

export interface LayerCheck {
  label: string;
  /** A fresh layer with inputShape = shape. */
  make: () => Layer;
  shape: number[];
  ref: RefLayer;
  /** Input values for n floats (default uniform in [-1, 1)). */
  input?: (n: number, rng: Random) => Float32Array;
}

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const byName = (model: Sequential): Weights => Object.fromEntries(model.getWeights().map((w) => [w.name.split('/').pop()!, f64(w.data)]));

/** Runs every batch size of BATCHES through one model; fails naming the case, batch and tensor. */
export function checkLayer({ label, make, shape, ref, input }: LayerCheck, rng: Random): void {
  const model = sequential({ layers: [make()], seed: 3 });
  try {
    model.build();
    model.setWeights(model.weights.map((w) => rng.uniformArray(w.size, ...(RANGES[w.spec.name] ?? [-1, 1]))));
    for (const B of BATCHES) {
      const at = `${label} batch ${B} (capacity ${BATCHES[0]})`;
      const n = B * shape.reduce((a, d) => a * d, 1);
      const x = input ? input(n, rng) : rng.uniformArray(n, -1, 1);

      const before = byName(model);
      const r = ref(f64(x), B, shape, before, true);
      assert.deepEqual(model.outputShape, r.outShape, `${at}: output shape`);
      assertRelClose(model.forwardBatch(x, B, true, true), r.y, `${at}: training output`);
      const after = byName(model);
      for (const [name, v] of Object.entries(r.state)) assertRelClose(after[name], v, `${at}: ${name} after the step`);

      const dy = rng.uniformArray(r.y.length, -1, 1);
      const { dx, grads } = r.backward(f64(dy));
      model.backwardFromOutputGrad(dy, B);
      assertRelClose(model.inputGradient(B), dx, `${at}: input gradient`);
      const got = model.weightGradients();
      assert.deepEqual(got.map((g) => g.name.split('/').pop()).sort(), Object.keys(grads).sort(), `${at}: trainable weights`);
      for (const g of got) assertRelClose(g.data, grads[g.name.split('/').pop()!], `${at}: gradient of ${g.name}`);

      const inference = ref(f64(x), B, shape, after, false);
      assertRelClose(model.forwardBatch(x, B, false), inference.y, `${at}: inference output`);
    }
  } finally {
    model.dispose();
  }
}
