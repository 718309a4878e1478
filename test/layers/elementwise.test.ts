// Activation, Dropout, PReLU, BatchNormalization and Flatten through the public layers, float32
// WASM against float64 references (check-layer.ts), on rank-1 and rank-2 (and rank-3) samples.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, sequential } from '../../src/index.ts';
import { ActivationKind } from '../../src/runtime/codes.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { activationRef, batchnormRef, identityRef, preluRef, type ActSpec } from './reference-layers.ts';

const rng = new Random(808);
const SHAPES = [[7], [4, 5], [2, 3, 4]];

test('activation layer: every kind and softmax, default and explicit alpha/beta, ranks 1-3', () => {
  const specs: ActSpec[] = [...(Object.keys(ActivationKind) as ActSpec['name'][]).map((name) => ({ name })), { name: 'softmax' }, { name: 'leakyRelu', alpha: 0.05 }, { name: 'elu', alpha: 0.5 }, { name: 'swish', alpha: 1.5 }];
  for (const spec of specs)
    for (const shape of SHAPES) {
      const extra = spec.alpha === undefined ? {} : spec.name === 'swish' ? { beta: spec.alpha } : { alpha: spec.alpha };
      checkLayer({
        label: `activation ${spec.name}${spec.alpha === undefined ? '' : ` ${spec.alpha}`} on [${shape}]`,
        make: () => layers.activation({ activation: spec.name, ...extra, inputShape: shape }),
        shape,
        ref: activationRef(spec),
        input: (n, r) => r.uniformArray(n, -4, 4),
      }, rng);
    }
});

test('dropout: identity in inference and at rate 0, ranks 1-3', () => {
  for (const shape of SHAPES) {
    // rate 0 in training and any rate in inference are the identity
    checkLayer({ label: `dropout 0 on [${shape}]`, make: () => layers.dropout({ rate: 0, inputShape: shape }), shape, ref: identityRef(false) }, rng);
    const model = sequential({ layers: [layers.dropout({ rate: 0.6, inputShape: shape })] });
    try {
      const x = rng.uniformArray(3 * shape.reduce((a, d) => a * d, 1), 0.5, 1);
      assert.deepEqual(model.forwardBatch(x, 3, false), x, `dropout 0.6 on [${shape}]: inference output`);
    } finally {
      model.dispose();
    }
  }
});

test('dropout in training: each element is 0 or x/(1-rate), the gradient takes the same mask', () => {
  const rate = 0.4;
  const shape = [50, 4];
  const model = sequential({ layers: [layers.dropout({ rate, seed: 9, inputShape: shape })] });
  try {
    const B = 5;
    const x = rng.uniformArray(B * 200, 0.5, 1.5);
    const y = model.forwardBatch(x, B, true, true).slice();
    const dy = rng.uniformArray(y.length, -1, 1);
    model.backwardFromOutputGrad(dy, B);
    const dx = model.inputGradient(B);
    let dropped = 0;
    for (let i = 0; i < x.length; i++) {
      const kept = y[i] !== 0;
      if (!kept) dropped++;
      const scale = kept ? 1 / (1 - rate) : 0;
      assert.ok(Math.abs(y[i] - x[i] * scale) <= 1e-6 * Math.abs(x[i] * scale), `element ${i}: y ${y[i]} is neither 0 nor x/(1-rate) = ${x[i] / (1 - rate)}`);
      assert.ok(Math.abs(dx[i] - dy[i] * scale) <= 1e-6 * Math.abs(dy[i] * scale), `element ${i}: dx ${dx[i]}, expected dy*${scale} = ${dy[i] * scale}`);
    }
    // 1000 Bernoulli(0.4): mean 400, sd 15.5
    assert.ok(Math.abs(dropped - 400) < 80, `dropped ${dropped} of 1000 at rate 0.4`);
  } finally {
    model.dispose();
  }
});

test('prelu: alpha per element (rank 1, rank 2) and per channel (sharedAxes [1])', () => {
  const offZero = (n: number, r: Random) => r.uniformArray(n, 0.05, 1.5).map((v) => (r.next() < 0.5 ? -v : v));
  for (const [shape, sharedAxes] of [[[6], []], [[5, 3], []], [[5, 3], [1]], [[9, 17], [1]], [[2, 3, 4], [1, 2]], [[2, 3, 4], [1]]] as [number[], number[]][]) {
    checkLayer({
      label: `prelu sharedAxes [${sharedAxes}] on [${shape}]`,
      make: () => layers.prelu({ sharedAxes, inputShape: shape }),
      shape,
      ref: preluRef(sharedAxes.length),
      input: offZero,
    }, rng);
  }
});

test('batchNormalization: rank 1 and 2 (and 3), with and without scale/center, training and inference', () => {
  for (const shape of [[6], [7, 3], [9, 5], [2, 3, 4]])
    for (const [scale, center, momentum, epsilon] of [[true, true, 0.99, 1e-3], [false, false, 0.9, 1e-5], [true, false, 0.5, 0.1]] as [boolean, boolean, number, number][]) {
      checkLayer({
        label: `batchNormalization scale ${scale} center ${center} momentum ${momentum} epsilon ${epsilon} on [${shape}]`,
        make: () => layers.batchNormalization({ scale, center, momentum, epsilon, inputShape: shape }),
        shape,
        ref: batchnormRef(momentum, epsilon),
        input: (n, r) => r.uniformArray(n, -2, 3),
      }, rng);
    }
});

test('flatten: ranks 1-3', () => {
  for (const shape of [[5], [4, 3], [2, 3, 2]]) {
    checkLayer({ label: `flatten [${shape}]`, make: () => layers.flatten({ inputShape: shape }), shape, ref: identityRef(true) }, rng);
  }
});
