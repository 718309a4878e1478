// Weight regularizers and constraints on Conv1D and Dense (Keras semantics): the reported loss of
// trainOnBatch, evaluate and fit is the data loss plus the penalties computed here in float64 from
// the weights; every constraint holds after an optimizer step and equals its formula applied to
// the unconstrained step of a twin model; the Keras config form round trips; bad values are
// ConfigErrors naming the layer, option, value and expectation.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, constraints, layers, optimizers, regularizers, sequential, tensor, type Sequential } from '../../src/index.ts';
import { layerClass } from '../../src/layers/registry.ts';
import { Random } from '../../src/runtime/random.ts';
import * as ref from '../../src/reference/regularizers.ts';

const rng = new Random(1313);

type Penalties = Parameters<typeof layers.dense>[0];

/** conv1d -> flatten -> dense(softmax) with the given options on both kernel layers. */
function net(conv: Partial<Penalties>, dense: Partial<Penalties>, seed = 7): Sequential {
  const m = sequential({
    seed,
    layers: [layers.conv1d({ filters: 3, kernelSize: 3, activation: 'tanh', inputShape: [8, 2], ...conv }), layers.flatten(), layers.dense({ units: 4, activation: 'softmax', ...dense })],
  });
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
  return m;
}

const B = 5;
const x = rng.uniformArray(B * 16, -1, 1);
const y = new Float32Array(B * 4).map((_, i) => (i % 4 === i % 3 ? 1 : 0));

/** sum over (weight, l1, l2) of l1 * sum|w| + l2 * sum w^2 in float64. */
function penalty(m: Sequential, per: Record<string, [number, number]>): number {
  return m.getWeights().reduce((s, w) => s + (per[w.name] ? ref.l1l2Penalty(w.data, null, w.data.length, ...per[w.name]) : 0), 0);
}

test('reported loss = data loss + penalties: trainOnBatch, evaluate and fit', async () => {
  const reg = net({ kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: 'l1' }, { kernelRegularizer: 'l2', biasRegularizer: regularizers.l2({ l2: 0.5 }) });
  const plain = net({}, {});
  try {
    const per = { 'conv1d/kernel': [0.01, 0.02], 'conv1d/bias': [0.01, 0], 'dense/kernel': [0, 0.01], 'dense/bias': [0, 0.5] } as Record<string, [number, number]>;
    plain.setWeights(reg.getWeights().map((w) => w.data));
    for (let step = 0; step < 3; step++) {
      // bias penalties are 0 at the zero initial bias; after a step they are not
      const p = penalty(reg, per);
      const data = plain.computeLossAndGrads(x, y, B);
      const ev = reg.evaluate(tensor(x, [B, 8, 2]), tensor(y, [B, 4]), { batchSize: B }).loss;
      const total = reg.trainOnBatch(x, y, B);
      assert.ok(p > 0.01, `penalty ${p} is not negligible`);
      assert.ok(Math.abs(total - (data + p)) <= 1e-5 * (1 + total), `step ${step}: trainOnBatch ${total} vs data ${data} + penalty ${p}`);
      assert.ok(Math.abs(ev - (data + p)) <= 1e-5 * (1 + ev), `step ${step}: evaluate ${ev} vs ${data + p}`);
      plain.setWeights(reg.getWeights().map((w) => w.data));
    }
    const p = penalty(reg, per);
    const data = plain.computeLossAndGrads(x, y, B);
    const h = await reg.fit(tensor(x, [B, 8, 2]), tensor(y, [B, 4]), { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
    assert.ok(Math.abs(h.history.loss[0] - (data + p)) <= 1e-5 * (1 + data + p), `fit loss ${h.history.loss[0]} vs ${data + p}`);
  } finally {
    reg.dispose();
    plain.dispose();
  }
});

test('a frozen layer adds no penalty (Keras 3 penalises trainable weights)', () => {
  const m = net({ kernelRegularizer: 'l2' }, {});
  const plain = net({}, {});
  try {
    m.layers[0].trainable = false;
    plain.setWeights(m.getWeights().map((w) => w.data));
    assert.ok(Math.abs(m.computeLossAndGrads(x, y, B) - plain.computeLossAndGrads(x, y, B)) < 1e-7);
  } finally {
    m.dispose();
    plain.dispose();
  }
});

test('constraints hold after every step and equal the formula applied to the plain step', () => {
  const cases: [string, Partial<Penalties>, Partial<Penalties>, (name: string, w: Float64Array) => void][] = [
    ['maxNorm axis 0 on both kernels', { kernelConstraint: constraints.maxNorm({ maxValue: 0.3 }) }, { kernelConstraint: constraints.maxNorm({ maxValue: 0.3, axis: 0 }) }, (name, w) => {
      if (name === 'conv1d/kernel') ref.normConstraint(w, 1, 3, 6, Math.fround(0.3), Math.fround(1e-7), 0); // [K, C*F]
      if (name === 'dense/kernel') ref.normConstraint(w, 1, 18, 4, Math.fround(0.3), Math.fround(1e-7), 0);
    }],
    ['unitNorm over each conv filter [K, C], maxNorm of the dense rows (axis -1)', { kernelConstraint: constraints.unitNorm({ axis: [0, 1] }) }, { kernelConstraint: constraints.maxNorm({ maxValue: 0.2, axis: -1 }) }, (name, w) => {
      if (name === 'conv1d/kernel') ref.normConstraint(w, 1, 6, 3, 0, Math.fround(1e-7), 1);
      if (name === 'dense/kernel') ref.normConstraint(w, 18, 4, 1, Math.fround(0.2), Math.fround(1e-7), 0);
    }],
    ['nonNeg on kernels and biases', { kernelConstraint: 'nonNeg', biasConstraint: 'nonNeg' }, { kernelConstraint: constraints.nonNeg(), biasConstraint: 'nonNeg' }, (_name, w) => ref.nonNegConstraint(w, w.length)],
    ['unitNorm by name (axis 0) on the dense kernel', {}, { kernelConstraint: 'unitNorm' }, (name, w) => {
      if (name === 'dense/kernel') ref.normConstraint(w, 1, 18, 4, 0, Math.fround(1e-7), 1);
    }],
  ];
  for (const [label, conv, dense, apply] of cases) {
    const m = net(conv, dense);
    const plain = net({}, {});
    try {
      for (let step = 0; step < 3; step++) {
        plain.setWeights(m.getWeights().map((w) => w.data));
        m.trainOnBatch(x, y, B);
        plain.trainOnBatch(x, y, B);
        const got = m.getWeights();
        const changed = plain.getWeights().some((w, i) => w.data.some((v, j) => v !== got[i].data[j]));
        assert.ok(changed, `${label}: the constraint changed some weight`);
        plain.getWeights().forEach((w, i) => {
          const want = Float64Array.from(w.data);
          apply(w.name, want);
          got[i].data.forEach((v, j) => assert.ok(Math.abs(v - want[j]) <= 1e-6 * (1 + Math.abs(want[j])), `${label} step ${step}: ${w.name}[${j}] ${v}, expected ${want[j]}`));
        });
      }
    } finally {
      m.dispose();
      plain.dispose();
    }
  }
});

test('Keras config form: written as TF.js does, read from Keras forms, round trips', () => {
  const d = layers.dense({ units: 2, kernelRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }), biasRegularizer: regularizers.l2({ l2: 0.3 }), kernelConstraint: constraints.maxNorm({ maxValue: 1.5, axis: [0] }), biasConstraint: 'nonNeg' });
  const c = d.getConfig();
  assert.deepEqual(c.kernel_regularizer, { class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
  assert.deepEqual(c.bias_regularizer, { class_name: 'L1L2', config: { l1: 0, l2: 0.3 } });
  assert.deepEqual(c.kernel_constraint, { class_name: 'MaxNorm', config: { max_value: 1.5, axis: [0] } });
  assert.deepEqual(c.bias_constraint, { class_name: 'NonNeg', config: {} });
  assert.equal(c.activity_regularizer, null);
  const back = layerClass('Dense')!.fromConfig(JSON.parse(JSON.stringify(c)), 'Dense');
  assert.deepEqual(back.getConfig(), c);
  const conv = layers.conv1d({ filters: 2, kernelSize: 3, kernelConstraint: constraints.unitNorm({ axis: [0, 1] }), biasRegularizer: 'l1' }).getConfig();
  assert.deepEqual(layerClass('Conv1D')!.fromConfig(JSON.parse(JSON.stringify(conv)), 'Conv1D').getConfig(), conv);
  // Keras 3 writes L1 / L2 classes (with module keys), Keras 2 also names; all load as L1L2
  const keras = layerClass('Dense')!.fromConfig({ units: 2, kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.05 }, registered_name: null }, bias_regularizer: { class_name: 'L1', config: { l1: 0.02 } }, kernel_constraint: { class_name: 'UnitNorm', config: { axis: 0 } } }, 'Dense').getConfig();
  assert.deepEqual([keras.kernel_regularizer, keras.bias_regularizer, keras.kernel_constraint], [{ class_name: 'L1L2', config: { l1: 0, l2: 0.05 } }, { class_name: 'L1L2', config: { l1: 0.02, l2: 0 } }, { class_name: 'UnitNorm', config: { axis: 0 } }]);
  assert.deepEqual(layerClass('Dense')!.fromConfig({ units: 2, kernel_regularizer: 'l1_l2' }, 'Dense').getConfig().kernel_regularizer, { class_name: 'L1L2', config: { l1: 0.01, l2: 0.01 } });
});

test('bad regularizers and constraints: ConfigErrors naming the owner, option, value and expectation', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => layers.dense({ units: 2, kernelRegularizer: 'l3' as never }), /^Dense: kernelRegularizer must be one of "l1", "l2", "l1l2" or regularizers\.l1\/l2\/l1l2\(\{\.\.\.\}\), got "l3" \(did you mean "l1"\?\)$/],
    [() => layers.conv1d({ filters: 2, kernelSize: 2, biasRegularizer: 0.01 as never }), /^Conv1D: biasRegularizer must be one of .* got 0\.01$/],
    [() => regularizers.l2({ l2: -0.1 }), /^regularizers\.l2: l2 must be a finite number in \[0, Infinity\], got -0\.1$/],
    [() => regularizers.l1l2({ l1: NaN }), /^regularizers\.l1l2: l1 must be a finite number in \[0, Infinity\], got NaN$/],
    [() => regularizers.l1({ l2: 1 } as never), /^regularizers\.l1: unknown option "l2"/],
    [() => layers.dense({ units: 2, kernelConstraint: 'maxnorm' as never }), /^Dense: kernelConstraint must be one of "maxNorm", "nonNeg", "unitNorm" or constraints\.maxNorm\/unitNorm\/nonNeg\(\.\.\.\), got "maxnorm" \(did you mean "maxNorm"\?\)$/],
    [() => constraints.maxNorm({ maxValue: -1 }), /^constraints\.maxNorm: maxValue must be a finite number in \[0, Infinity\], got -1$/],
    [() => constraints.unitNorm({ axis: 0.5 }), /^constraints\.unitNorm: axis must be an integer or a non-empty array of integers, got 0\.5$/],
    [() => sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'head', kernelConstraint: constraints.maxNorm({ axis: 2 }) })] }).build(), /Dense layer "head": kernelConstraint maxNorm: axis 2 does not fit a weight of shape \[3, 2\]; expected axes in -2\.\.1, contiguous/],
    [() => sequential({ layers: [layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 3], kernelConstraint: constraints.unitNorm({ axis: [0, 2] }) })] }).build(), /Conv1D layer "conv1d": kernelConstraint unitNorm: axis \[0, 2\] does not fit a weight of shape \[2, 3, 2\]/],
    [() => layerClass('Dense')!.fromConfig({ units: 2, kernel_regularizer: { class_name: 'L3', config: {} } }, 'Dense'), /^kernel_regularizer must be null or \{class_name: "L1L2" \| "L1" \| "L2", config: \{l1, l2\}\}, got \{"class_name":"L3","config":\{\}\}$/],
    [() => layerClass('Dense')!.fromConfig({ units: 2, kernel_constraint: { class_name: 'MinMaxNorm', config: {} } }, 'Dense'), /^kernel_constraint must be null or \{class_name: "MaxNorm" \| "UnitNorm" \| "NonNeg", config\}/],
  ];
  for (const [make, re] of cases) assert.throws(make, (e: Error) => e instanceof ConfigError && re.test(e.message), String(re));
});

test('conv1dTranspose takes the kernel and bias penalties too (reported loss = data loss + penalty)', () => {
  const make = (opts: object) => {
    const m = sequential({
      seed: 3,
      layers: [layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [8, 2], ...opts }), layers.flatten(), layers.dense({ units: 4, activation: 'softmax' })],
    });
    m.compile({ optimizer: optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    return m;
  };
  const reg = make({ kernelRegularizer: regularizers.l2({ l2: 0.3 }), kernelConstraint: 'nonNeg' });
  const plain = make({});
  try {
    plain.setWeights(reg.getWeights().map((w) => w.data));
    const kernel = reg.getWeights().find((w) => w.name.endsWith('/kernel') && w.shape.length === 3)!;
    const p = ref.l1l2Penalty(kernel.data, null, kernel.data.length, 0, 0.3);
    const data = plain.computeLossAndGrads(x, y, B);
    const total = reg.trainOnBatch(x, y, B);
    assert.ok(p > 0.01, `penalty ${p} is not negligible`);
    assert.ok(Math.abs(total - (data + p)) <= 1e-5 * (1 + total), `trainOnBatch ${total} vs data ${data} + penalty ${p}`);
    const after = reg.getWeights().find((w) => w.name === kernel.name)!;
    assert.ok(after.data.every((v) => v >= 0), 'nonNeg holds after the step');
  } finally {
    reg.dispose();
    plain.dispose();
  }
});
