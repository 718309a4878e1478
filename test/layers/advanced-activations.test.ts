// ReLU, LeakyReLU, ThresholdedReLU, ELU and Softmax layers: float32 WASM against float64 references
// (check-layer.ts: output, dx), float32 finite differences of dx, and TF.js 4.22's layers of the
// same class and options on the same input. Inputs stay off the kinks (threshold, 0, max_value).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { layers, sequential, type Layer } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { reluGeneralBackward, reluGeneralForward } from '../../src/reference/relu_general.ts';
import { checkLayer } from './check-layer.ts';
import { activationRef, type RefLayer } from './reference-layers.ts';
import { awayFrom, checkGradient, project } from '../gradcheck/fd.ts';

const rng = new Random(1818);
const SHAPES = [[7], [4, 5], [2, 3, 4]];

/** The general ReLU in float64: [t, lo, hi, s] as the kernel takes them. */
const reluRef = (t: number, lo: number, hi: number, s: number): RefLayer => (x, _B, shape) => {
  const y = new Float64Array(x.length);
  reluGeneralForward(x, y, x.length, t, lo, hi, s);
  return {
    outShape: shape,
    y,
    state: {},
    backward: (dy) => {
      const dx = new Float64Array(x.length);
      reluGeneralBackward(x, dy, dx, x.length, t, lo, hi, s);
      return { dx, grads: {} };
    },
  };
};

const offKinks = (kinks: number[]) => (n: number) => Float32Array.from(awayFrom(n, () => rng.next(), -4, 8, kinks, 0.05));

const CASES: { label: string; make: (shape: number[]) => Layer; ref: RefLayer; kinks: number[]; tf: (shape: number[]) => tf.layers.Layer }[] = [
  { label: 'ReLU', make: (s) => layers.reLU({ inputShape: s }), ref: reluRef(0, -Infinity, Infinity, 0), kinks: [0], tf: (s) => tf.layers.reLU({ inputShape: s }) },
  { label: 'ReLU max_value 6', make: (s) => layers.reLU({ maxValue: 6, inputShape: s }), ref: reluRef(0, 0, 6, 0), kinks: [0, 6], tf: (s) => tf.layers.reLU({ maxValue: 6, inputShape: s }) },
  { label: 'ReLU max 2.5 slope 0.1 threshold -0.5', make: (s) => layers.reLU({ maxValue: 2.5, negativeSlope: 0.1, threshold: -0.5, inputShape: s }), ref: reluRef(-0.5, 0, 2.5, 0.1), kinks: [-0.5, 0, 2.5], tf: () => null! },
  { label: 'LeakyReLU', make: (s) => layers.leakyReLU({ inputShape: s }), ref: reluRef(0, -Infinity, Infinity, 0.3), kinks: [0], tf: (s) => tf.layers.leakyReLU({ inputShape: s }) },
  { label: 'LeakyReLU 0.05', make: (s) => layers.leakyReLU({ alpha: 0.05, inputShape: s }), ref: reluRef(0, -Infinity, Infinity, 0.05), kinks: [0], tf: (s) => tf.layers.leakyReLU({ alpha: 0.05, inputShape: s }) },
  { label: 'ThresholdedReLU 0.7', make: (s) => layers.thresholdedReLU({ theta: 0.7, inputShape: s }), ref: reluRef(0.7, -Infinity, Infinity, 0), kinks: [0.7], tf: (s) => tf.layers.thresholdedReLU({ theta: 0.7, inputShape: s }) },
  { label: 'ELU', make: (s) => layers.elu({ inputShape: s }), ref: activationRef({ name: 'elu', alpha: 1 }), kinks: [0], tf: (s) => tf.layers.elu({ inputShape: s }) },
  { label: 'ELU 0.5', make: (s) => layers.elu({ alpha: 0.5, inputShape: s }), ref: activationRef({ name: 'elu', alpha: 0.5 }), kinks: [0], tf: () => null! },
  { label: 'Softmax', make: (s) => layers.softmax({ inputShape: s }), ref: activationRef({ name: 'softmax' }), kinks: [], tf: (s) => tf.layers.softmax({ axis: -1, inputShape: s }) },
];

test('activation layers against float64 references, ranks 1-3', () => {
  for (const c of CASES)
    for (const shape of SHAPES) checkLayer({ label: `${c.label} on [${shape}]`, make: () => c.make(shape), shape, ref: c.ref, input: offKinks(c.kinks) }, rng);
});

test('activation layers: dx by finite differences of the float32 model', () => {
  for (const c of CASES) {
    const shape = [5, 3];
    const model = sequential({ layers: [c.make(shape)] });
    try {
      const x = offKinks(c.kinks)(2 * 15);
      const r = rng.uniformArray(x.length, -1, 1);
      model.forwardBatch(x, 2, true, true);
      model.backwardFromOutputGrad(r, 2);
      const dx = model.inputGradient(2).slice();
      checkGradient(`${c.label} dx`, x, dx, () => project(model.forwardBatch(x, 2, true, true), r), { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
    } finally {
      model.dispose();
    }
  }
});

test('activation layers agree with the TF.js layers of the same class and options', () => {
  for (const c of CASES) {
    const shape = [6, 4];
    const ours = sequential({ layers: [c.make(shape)] });
    const theirs = c.tf(shape);
    if (!theirs) continue; // TF.js has no such option (ReLU negative_slope/threshold, ELU alpha != 1)
    try {
      const x = offKinks(c.kinks)(3 * 24);
      const want = tf.tidy(() => (theirs.apply(tf.tensor(x, [3, ...shape])) as tf.Tensor).dataSync().slice());
      const got = ours.forwardBatch(x, 3, false);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-6 * (1 + Math.abs(want[i])), `${c.label}[${i}]: ${got[i]} vs TF.js ${want[i]}`);
    } finally {
      ours.dispose();
    }
  }
});

test('activation layer options are checked, with the layer named', () => {
  assert.throws(() => layers.reLU({ maxValue: -1 }), /ReLU.*maxValue must be a number >= 0 or null, got -1/);
  assert.throws(() => layers.leakyReLU({ alpha: Number.NaN }), /LeakyReLU.*alpha/);
  assert.throws(() => layers.softmax({ axis: 1.5 }), /Softmax: axis must be an integer/);
  const m = () => sequential({ layers: [layers.softmax({ axis: 1, inputShape: [4, 3] })] }).build();
  assert.throws(m, /Softmax layer.*axis 1 is not supported for input \[batch, 4, 3\]: cnn1d normalises over the last axis only \(-1 or 2\)/);
});
