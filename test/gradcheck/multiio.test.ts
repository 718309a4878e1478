// Finite-difference checks of the total weighted loss of two-output models (sum_o w_o loss_o):
// d total / d every weight and d every input, through the fused softmax + cross-entropy of each
// softmax output (weighted), a plain loss gradient scaled by its weight, and a trunk whose
// gradient is the sum over both heads.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { input, layers, model, type CompileArgs, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkGradient } from './fd.ts';

const LOOSE = { eps: 1e-2, atol: 2e-3, rtol: 2e-2, maxChecks: 40 };
const rng = new Random(4242);

function twoHeads(second: 'softmax' | 'sigmoid'): LayersModel {
  const a = input({ shape: [10, 2], name: 'signal' });
  const b = input({ shape: [3], name: 'meta' });
  const h = layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh' }).apply(a);
  const g = layers.globalAveragePooling1d().apply(h);
  const both = layers.concatenate().apply([g, layers.dense({ units: 2, activation: 'tanh' }).apply(b)]);
  const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(both);
  const other = layers.dense({ units: 2, activation: second, name: 'other' }).apply(both);
  return model({ inputs: [a, b], outputs: [cls, other] });
}

function check(label: string, m: LayersModel, compile: CompileArgs, targets: Float32Array[]): void {
  const batch = 4;
  try {
    m.compile(compile);
    m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
    const xs = [rng.uniformArray(batch * 20, -1, 1), rng.uniformArray(batch * 3, -1, 1)];
    const total = m.computeLossAndGrads(xs, targets, batch);
    const grads = m.weightGradients();
    // the total is the weighted sum of the outputs' losses
    const { values } = m.runLosses(batch, false);
    const expected = values.reduce((s, v, o) => s + m.lossWeights[o] * v, 0);
    assert.ok(Math.abs(total - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${label}: total ${total} vs weighted sum ${expected}`);
    const ws = m.getWeights();
    for (const g of grads) {
      const v = ws.find((w) => w.name === g.name)!.data;
      const f = () => {
        m.setWeights(ws.map((w) => w.data));
        return m.computeLossAndGrads(xs, targets, batch);
      };
      checkGradient(`${label} d${g.name}`, v, g.data, f, LOOSE);
    }
  } finally {
    m.dispose();
  }
}

test('softmax + sparse cross-entropy (weight 0.7, fused) and sigmoid + mse (weight 2): d weighted total / d every weight', () => {
  const labels = Float32Array.from([0, 2, 1, 2]);
  const reg = rng.uniformArray(8, 0, 1);
  check('ce+mse', twoHeads('sigmoid'), { optimizer: 'sgd', loss: { cls: 'sparseCategoricalCrossentropy', other: 'meanSquaredError' }, lossWeights: { cls: 0.7, other: 2 } }, [labels, reg]);
});

test('two softmax outputs, both fused, weights given as a list: d weighted total / d every weight', () => {
  const labels = Float32Array.from([1, 0, 2, 1]);
  const onehot = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]);
  check('ce+ce', twoHeads('softmax'), { optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'categoricalCrossentropy'], lossWeights: [1.5, 0.25] }, [labels, onehot]);
});
